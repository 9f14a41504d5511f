import type { BookPage, BookSummary, ListBooksQuery } from './domain/book';
import type { CatalogueRecord } from './domain/catalogue-record';

export interface LibraryUpsertResult {
  readonly library: string;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly removed: number;
}

/** Where the catalogue lives (Postgres in every environment). */
export interface CatalogueRepository {
  listBooks(query: ListBooksQuery): Promise<BookPage>;
  getBook(id: string): Promise<BookSummary | undefined>;
  /** The fingerprint recorded by the last complete upsert of the library, if any. */
  libraryFingerprint(library: string): Promise<string | undefined>;
  /**
   * Makes the library hold exactly `records`, in one transaction: new books are inserted, changed ones updated,
   * books no longer in the source removed. Re-running with the same records changes nothing.
   */
  replaceLibrary(
    library: string,
    records: readonly CatalogueRecord[],
    fingerprint: string,
  ): Promise<LibraryUpsertResult>;
  ping(): Promise<void>;
}
