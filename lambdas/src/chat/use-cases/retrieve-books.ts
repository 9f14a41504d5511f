import type { Embedder } from '../../shared/embedding/embedder';
import type { BookCard, RetrievalQuery } from '../domain/chat';
import { fuseByReciprocalRank, type Fused } from '../domain/fusion';
import type { BookSearch, RankedBook } from '../ports';

export interface RetrieveBooksDependencies {
  readonly search: BookSearch;
  readonly embedder: Embedder;
}

/** A retrieved book: its card, fused score and rank in each list. */
export type FusedBook = Fused<BookCard>;

/** How many books each method contributes before fusion. */
const perMethod = 50;

/**
 * Hybrid retrieval.
 * 1. Embed the search text with the catalogue's embedder and take the nearest books (pgvector, cosine).
 * 2. Take the full-text matches (accent-folded and English-stemmed).
 * 3. Both lists apply the same filters (language, audience, length, tags, author, exclusions; never withdrawn books).
 * 4. Fuse them by reciprocal rank; well-rated books break ties. With no search words (filters only), the filtered
 *    books come in rating order from the lexical side.
 * 5. When the request named several subjects ("a funny fantasy": Humor, Fantasy), books with more of them come first,
 *    in fused order among equals: a close neighbour in one subject does not outrank a book in all of them.
 * 6. Read the cards (authors, subjects, description) of the books kept only: the lists carry ids and ratings.
 */
export async function retrieveBooks(deps: RetrieveBooksDependencies, query: RetrievalQuery): Promise<FusedBook[]> {
  const wide = { ...query, limit: Math.max(query.limit, perMethod) };
  const [vector] = query.text ? await deps.embedder.embed([query.text]) : [];
  const [nearest, lexical] = await Promise.all([
    vector ? deps.search.nearest(vector, deps.embedder.modelId, wide) : Promise.resolve([]),
    deps.search.lexical(wide),
  ]);
  const fused = fuseByReciprocalRank<RankedBook>([nearest, lexical]);
  const tags = query.filters.tags ?? [];
  if (tags.length > 1) {
    // Every fused book's subjects are needed to order by them: read all the cards.
    const hits = (subjects: readonly string[]) =>
      tags.filter((tag) => subjects.some((path) => path === tag || path.startsWith(`${tag}.`))).length;
    const ranked = (await withCards(deps.search, fused)).map((entry) => ({ entry, hits: hits(entry.book.subjects) }));
    // Array.prototype.sort is stable: equal hits keep their fused order.
    return ranked
      .sort((a, b) => b.hits - a.hits)
      .slice(0, query.limit)
      .map(({ entry }) => entry);
  }
  return withCards(deps.search, fused.slice(0, query.limit));
}

/** The fused entries with their cards, in the same order; a book gone from the catalogue meanwhile is left out. */
async function withCards(search: BookSearch, fused: readonly Fused<RankedBook>[]): Promise<FusedBook[]> {
  if (fused.length === 0) return [];
  const cards = new Map((await search.cards(fused.map((entry) => entry.book.id))).map((card) => [card.id, card]));
  return fused.flatMap((entry) => {
    const book = cards.get(entry.book.id);
    return book ? [{ ...entry, book }] : [];
  });
}
