import type { BookPage, BookSummary, ListBooksQuery } from './domain/book';
import type { PreparedLibrary } from './domain/prepare-library';

/** The catalogue as readers see it (withdrawn books are not listed). */
export interface CatalogueRepository {
  listBooks(query: ListBooksQuery): Promise<BookPage>;
  getBook(id: string): Promise<BookSummary | undefined>;
  ping(): Promise<void>;
}

export interface IngestCounts {
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly withdrawn: number;
}

/** Where libraries are written. */
export interface CatalogueWriter {
  /**
   * Makes the library hold `prepared`'s books, in one transaction, serialised per library: new books added, changed
   * ones updated, books no longer in the source withdrawn. Re-running with the same books writes nothing.
   */
  ingestLibrary(library: string, prepared: PreparedLibrary): Promise<IngestCounts>;
}
