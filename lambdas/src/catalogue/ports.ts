import type { AuthorPage, BookDetail, BookPage, ListAuthorsQuery, ListBooksQuery, Series } from './domain/book';
import type { PreparedLibrary } from './domain/prepare-library';

/** The catalogue as readers see it (withdrawn books are not listed). */
export interface CatalogueRepository {
  listBooks(query: ListBooksQuery): Promise<BookPage>;
  getBook(id: string): Promise<BookDetail | undefined>;
  listAuthors(query: ListAuthorsQuery): Promise<AuthorPage>;
  getSeries(id: string): Promise<Series | undefined>;
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
   * ones updated, books no longer in the source withdrawn. Re-running with the same books writes nothing. A book
   * whose stored source hash equals its prepared one is unchanged: its record is never asked for.
   */
  ingestLibrary(library: string, prepared: PreparedLibrary): Promise<IngestCounts>;
}

export type IngestStatus = 'running' | 'succeeded' | 'failed' | 'quarantined';

export interface IngestReport {
  /** Rows the source had but that could not be stored, with the reason (at most a thousand are kept). */
  readonly rejected?: readonly { readonly at: string; readonly reason: string }[];
  /** Problems that did not stop a book from being stored (an invalid ISBN dropped, unsafe HTML removed …). */
  readonly warnings?: readonly { readonly at: string; readonly message: string }[];
  /** Why the file could not be ingested at all. */
  readonly error?: string;
  /** Where a quarantined file and its report now are. */
  readonly quarantine?: { readonly key: string; readonly reportKey: string };
  readonly format?: string;
  /** Cover and book files copied from a library zip. */
  readonly files?: { readonly covers: number };
  /**
   * Book files (EPUB, PDF…) of the library zip or folder, stored in the books bucket: newly copied, already there,
   * refused (over the size limit) or unreadable; each refused or unreadable one is also a warning line.
   */
  readonly bookFiles?: {
    readonly stored: number;
    readonly unchanged: number;
    readonly refused: number;
    readonly unreadable: number;
  };
}

export interface IngestRun {
  readonly id: string;
  readonly library: string;
  readonly sourceKey: string;
  readonly status: IngestStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly counts: IngestCounts & { readonly rejected: number };
  readonly report: IngestReport;
}

/** The record of every ingest, for librarians. */
export interface IngestRunLog {
  start(library: string, sourceKey: string): Promise<string>;
  finish(
    id: string,
    outcome: {
      status: Exclude<IngestStatus, 'running'>;
      counts?: IngestCounts;
      rejected?: number;
      report: IngestReport;
    },
  ): Promise<IngestRun>;
  list(query: { limit: number; before?: string | undefined }): Promise<IngestRun[]>;
  get(id: string): Promise<IngestRun | undefined>;
}

/** Objects in a bucket (S3 in every environment). */
export interface ObjectStore {
  get(key: string): Promise<Uint8Array>;
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /** Copies then deletes. */
  move(fromKey: string, toKey: string): Promise<void>;
}
