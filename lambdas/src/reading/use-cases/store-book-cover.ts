/**
 * Store a book's cover (Calibre's `cover.jpg`, which the catalogue ingest finds beside the book's files).
 *
 * 1. Refuse a cover over the size limit: the caller reports it like any bad input; nothing is written.
 * 2. Key it by content hash under the public prefix (`covers/<sha-256>.jpg`): covers are served without a signature,
 *    unlike book files, so anyone may fetch them; the same bytes are stored once whatever book has them.
 * 3. Copy it to the books bucket unless that key is already there (a re-ingest copies only what changed).
 * 4. Record it as the book's cover (the row changes only when the key does).
 */
import { createHash } from 'node:crypto';
import type { BookCovers, BookFileObjects } from '../ports';
import { tooLargeReason } from './store-book-file';

/** The books bucket's prefix of covers, served publicly (no signature, no loan). */
export const coverPrefix = 'covers/';

export interface StoreBookCoverDeps {
  readonly objects: BookFileObjects;
  readonly covers: BookCovers;
  /** Largest file stored. */
  readonly maxBytes: number;
}

export type StoredBookCover =
  | { readonly status: 'stored' | 'unchanged'; readonly key: string }
  | { readonly status: 'refused'; readonly reason: string };

export async function storeBookCover(
  deps: StoreBookCoverDeps,
  bookId: string,
  bytes: Uint8Array,
): Promise<StoredBookCover> {
  const tooLarge = tooLargeReason('cover', bytes.byteLength, deps.maxBytes);
  if (tooLarge) return { status: 'refused', reason: tooLarge };
  const key = `${coverPrefix}${createHash('sha256').update(bytes).digest('hex')}.jpg`;
  const present = await deps.objects.exists(key);
  if (!present) await deps.objects.put(key, bytes, 'image/jpeg');
  await deps.covers.recordCover(bookId, key);
  return { status: present ? 'unchanged' : 'stored', key };
}
