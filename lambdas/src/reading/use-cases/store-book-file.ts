/**
 * Store a book's file (the hook the catalogue ingest calls for each EPUB, PDF, TXT… of a Calibre library folder).
 *
 * 1. Refuse a file over the size limit: the caller reports it like any bad input; nothing is written.
 * 2. Key it by content hash (`files/<sha-256>.<format>`), so the same bytes are stored once whatever book has them.
 * 3. Copy it to the books bucket unless that key is already there (a re-ingest copies only what changed).
 * 4. Record it as the book's file of that format (the row changes only when the hash does).
 */
import { createHash } from 'node:crypto';
import { mediaTypeOf } from '../domain/opds';
import type { BookFile, BookFileObjects, BookFiles } from '../ports';

export interface StoreBookFileDeps {
  readonly objects: BookFileObjects;
  readonly files: Pick<BookFiles, 'record'>;
  /** Largest file stored. */
  readonly maxBytes: number;
}

export type StoredBookFile =
  | { readonly status: 'stored' | 'unchanged'; readonly file: BookFile }
  | { readonly status: 'refused'; readonly reason: string };

/** Why a file of this size is refused, or null when it is within the limit. */
export function tooLargeReason(format: string, size: number, maxBytes: number): string | null {
  return size > maxBytes ? `The ${format.toUpperCase()} file is ${size} bytes, over the limit of ${maxBytes}` : null;
}

export async function storeBookFile(
  deps: StoreBookFileDeps,
  bookId: string,
  format: string,
  bytes: Uint8Array,
): Promise<StoredBookFile> {
  const upper = format.toUpperCase();
  if (!/^[A-Z0-9]{1,10}$/.test(upper)) return { status: 'refused', reason: `"${format}" is not a file format` };
  const tooLarge = tooLargeReason(upper, bytes.byteLength, deps.maxBytes);
  if (tooLarge) return { status: 'refused', reason: tooLarge };
  const contentHash = createHash('sha256').update(bytes).digest('hex');
  const key = `files/${contentHash}.${upper.toLowerCase()}`;
  const present = await deps.objects.exists(key);
  if (!present) await deps.objects.put(key, bytes, mediaTypeOf(upper));
  const file: BookFile = { bookId, format: upper, contentHash, sizeBytes: bytes.byteLength, key };
  await deps.files.record(file);
  return { status: present ? 'unchanged' : 'stored', file };
}
