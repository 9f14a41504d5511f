import { createHash } from 'node:crypto';
import { bookText } from '../../shared/embedding/book-text';
import type { Embedder } from '../../shared/embedding/embedder';
import type { BookEmbeddingStore } from '../ports';

export interface EmbedBooksDependencies {
  readonly store: BookEmbeddingStore;
  readonly embedder: Embedder;
}

export interface EmbedBooksOptions {
  /** Books read per page and embedded per call to the embedder (default 200). */
  readonly batchSize?: number;
}

export interface EmbedBooksResult {
  readonly modelId: string;
  readonly scanned: number;
  readonly embedded: number;
}

/** The hash stored beside an embedding: of the exact text embedded, so a change to that text re-embeds the book. */
export function embeddingHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * Embed the books that need it, incrementally.
 * 1. Page through the books that are not withdrawn, in id order.
 * 2. Build each book's text with the shared `bookText` and hash it.
 * 3. Keep the books with no embedding for the embedder's model, or whose hash differs from the stored one.
 * 4. Embed them in one call per page and upsert the vectors with their hashes.
 * A second run over an unchanged catalogue embeds nothing.
 */
export async function embedBooks(
  deps: EmbedBooksDependencies,
  options: EmbedBooksOptions = {},
): Promise<EmbedBooksResult> {
  const batchSize = options.batchSize ?? 200;
  const modelId = deps.embedder.modelId;
  let afterId: string | undefined;
  let scanned = 0;
  let embedded = 0;
  for (;;) {
    const page = await deps.store.candidates(modelId, afterId, batchSize);
    if (page.length === 0) break;
    scanned += page.length;
    afterId = page.at(-1)?.bookId;
    const stale = page
      .map((candidate) => {
        const text = bookText(candidate.fields);
        return { bookId: candidate.bookId, text, contentHash: embeddingHash(text), storedHash: candidate.storedHash };
      })
      .filter((book) => book.contentHash !== book.storedHash);
    if (stale.length > 0) {
      const vectors = await deps.embedder.embed(stale.map((book) => book.text));
      await deps.store.save(
        modelId,
        stale.map((book, index) => ({
          bookId: book.bookId,
          contentHash: book.contentHash,
          vector: vectors[index] ?? new Float32Array(deps.embedder.dimension),
        })),
      );
      embedded += stale.length;
    }
    if (page.length < batchSize) break;
  }
  return { modelId, scanned, embedded };
}
