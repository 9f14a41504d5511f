/**
 * Store the book files that came with an ingested Calibre library (the ingest calls this after the library's
 * transaction has committed, so every book it wrote has its catalogue id).
 *
 * 1. Find the catalogue ids of the files' books (by library and Calibre uuid); files of books the ingest did not
 *    store (rejected rows) are skipped.
 * 2. Refuse a file whose declared size is over the limit without reading it (a report line, like any bad input).
 * 3. Read the others one at a time (only one file's bytes are held at once); a file that cannot be read (a damaged
 *    zip entry, a file the folder upload did not bring) is a report line too. When the first `giveUpAfter` files
 *    (25) all fail to read, none is likely to be there (a metadata.db uploaded without its folder): the rest are not
 *    tried, and one line says so.
 * 4. Store each through `storeBookFile`: keyed by content hash, copied only when that key is absent, its `book_file`
 *    row rewritten only when the hash changed, so a re-ingest copies only what changed. A cover (format `COVER`) goes
 *    through `storeBookCover` the same way, to the public `covers/` prefix (skipped when no `covers` port is given).
 * A failure of the books bucket or the database is thrown: the ingest fails and its event is retried.
 */
import type { BookCovers } from '../ports';
import { storeBookCover } from './store-book-cover';
import { storeBookFile, tooLargeReason, type StoreBookFileDeps } from './store-book-file';

/** The format name of a book's cover among its library files. */
export const coverFormat = 'COVER';

/** A book file as the ingest found it: in a library zip, or beside the uploaded metadata.db. */
export interface LibraryBookFile {
  /** Calibre's uuid of the book (the catalogue's source id). */
  readonly bookUuid: string;
  /** Upper-case format name (EPUB, PDF, TXT…), or `COVER` for Calibre's cover.jpg. */
  readonly format: string;
  /** Where it is (a path in the zip or a key in the ingest bucket), for the report. */
  readonly path: string;
  /** Size in bytes when known before reading (a zip declares it). */
  readonly size: number | null;
  readonly bytes: () => Uint8Array | Promise<Uint8Array>;
}

export interface LibraryBooks {
  /** Catalogue ids of the library's books with these source ids (Calibre uuids). */
  idsBySourceId(library: string, sourceIds: readonly string[]): Promise<Map<string, string>>;
}

export interface StoreLibraryFilesDeps extends StoreBookFileDeps {
  readonly books: LibraryBooks;
  /** Where covers are recorded; without it covers are not stored. */
  readonly covers?: BookCovers;
  /** Unreadable files in a row, before any was read, after which the rest are not tried (default 25). */
  readonly giveUpAfter?: number;
}

export interface LibraryFileCounts {
  readonly stored: number;
  readonly unchanged: number;
  readonly refused: number;
  readonly unreadable: number;
}

export interface LibraryFilesOutcome {
  /** Book files (covers apart). */
  readonly counts: LibraryFileCounts;
  /** Covers stored or already there. */
  readonly covers: number;
  /** One line per refused or unreadable file. */
  readonly problems: readonly { readonly at: string; readonly message: string }[];
}

export async function storeLibraryFiles(
  deps: StoreLibraryFilesDeps,
  library: string,
  files: readonly LibraryBookFile[],
): Promise<LibraryFilesOutcome> {
  const counts = { stored: 0, unchanged: 0, refused: 0, unreadable: 0 };
  const problems: { at: string; message: string }[] = [];
  let covers = 0;
  const coverPort = deps.covers;
  const wanted = files.filter((file) => file.format !== coverFormat || coverPort);
  if (wanted.length === 0) return { counts, covers, problems };
  const ids = await deps.books.idsBySourceId(library, [...new Set(wanted.map((file) => file.bookUuid))]);
  const ofStoredBooks = wanted.flatMap((file) => {
    const bookId = ids.get(file.bookUuid);
    return bookId === undefined ? [] : [{ file, bookId }];
  });
  const giveUpAfter = deps.giveUpAfter ?? 25;
  for (const [index, { file, bookId }] of ofStoredBooks.entries()) {
    if (index === giveUpAfter && counts.unreadable === giveUpAfter) {
      const rest = ofStoredBooks.length - index;
      counts.unreadable += rest;
      problems.push({
        at: `${rest} more files`,
        message: `not tried: the first ${giveUpAfter} files could not be read either`,
      });
      break;
    }
    const declared = file.size === null ? null : tooLargeReason(file.format, file.size, deps.maxBytes);
    if (declared) {
      counts.refused += 1;
      problems.push({ at: file.path, message: `refused: ${declared}` });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await file.bytes();
    } catch (error) {
      counts.unreadable += 1;
      problems.push({ at: file.path, message: `not stored: ${(error as Error).message}` });
      continue;
    }
    const outcome =
      file.format === coverFormat && coverPort
        ? await storeBookCover({ ...deps, covers: coverPort }, bookId, bytes)
        : await storeBookFile(deps, bookId, file.format, bytes);
    if (outcome.status === 'refused') {
      counts.refused += 1;
      problems.push({ at: file.path, message: `refused: ${outcome.reason}` });
    } else if (file.format === coverFormat) covers += 1;
    else counts[outcome.status] += 1;
  }
  return { counts, covers, problems };
}
