/**
 * What the reading use cases need from the outside world. Adapters: Postgres (loans, holds, book files, the OPDS
 * catalogue queries), CloudFront or HMAC URL signing; reader events go out through the recommendations'
 * `EventPublisher` port.
 */
import type { Hold, HoldStatus, Loan, ReaderLoans } from './domain/lending';
import type { OpdsBook } from './domain/opds';
import type { ReadingProgress } from './domain/progress';

/** A book as lending sees it, read under its lock. */
export interface LendableBook {
  readonly id: string;
  /** Copies lent at once; null = unlimited digital lending. */
  readonly copies: number | null;
  readonly withdrawn: boolean;
}

/**
 * One database transaction. Locks are taken in one order everywhere (reader, then book), so concurrent requests
 * wait for each other instead of deadlocking; everything read after a lock is current until commit.
 */
export interface LendingTransaction {
  /** Serialises this reader's borrows (their loan count) until commit. */
  lockReader(readerId: string): Promise<void>;
  /** Locks the book's lending until commit; null when there is no such book. */
  lockBook(bookId: string): Promise<LendableBook | null>;
  /** The loan with this id, if it is this reader's. */
  loanOf(readerId: string, loanId: string): Promise<Loan | null>;
  /** Open loans (not returned, not yet expired by `settle`) of a book or of a reader. */
  openLoans(filter: { readonly bookId: string } | { readonly readerId: string }): Promise<Loan[]>;
  /** Waiting and ready holds of a book, in queue order (oldest first). */
  liveHolds(bookId: string): Promise<Hold[]>;
  addLoan(loan: { bookId: string; readerId: string; borrowedAt: Date; dueAt: Date }): Promise<Loan>;
  endLoan(loanId: string, at: Date, reason: 'returned' | 'expired'): Promise<Loan>;
  addHold(hold: { bookId: string; readerId: string; placedAt: Date }): Promise<Hold>;
  setHoldStatus(holdId: string, status: HoldStatus, at: Date, readyUntil?: Date): Promise<void>;
}

export interface LendingStore {
  /** Runs `work` in one transaction (committed if it returns, rolled back if it throws). */
  transaction<T>(work: (tx: LendingTransaction) => Promise<T>): Promise<T>;
  /** Books with an open loan past due or a ready hold past its time at `now` (of one reader's loans, if given). */
  booksToSettle(now: Date, readerId?: string): Promise<string[]>;
  /** The loan with this id, if it is this reader's. */
  loanOf(readerId: string, loanId: string): Promise<Loan | null>;
  /** The reader's open loans, their last ended ones and their live holds (with queue positions). */
  readerLoans(readerId: string, endedLimit: number): Promise<ReaderLoans>;
}

/** A stored file of a book (the books bucket, keyed by content hash). */
export interface BookFile {
  readonly bookId: string;
  /** Calibre's format name, upper case: EPUB, PDF, TXT… */
  readonly format: string;
  readonly contentHash: string;
  readonly sizeBytes: number;
  /** The object key in the books bucket. */
  readonly key: string;
}

export interface BookFiles {
  /** The book's files, EPUB first. */
  filesOf(bookId: string): Promise<BookFile[]>;
  /** Which of these books have at least one file (for acquisition links). */
  withFiles(bookIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Records (or replaces) the book's file of this format. */
  record(file: BookFile): Promise<void>;
}

/** The books' covers (`book.cover_key`, migration 0008), written by the ingest. */
export interface BookCovers {
  /** Records the object key of the book's cover (in the books bucket's public `covers/` prefix). */
  recordCover(bookId: string, key: string): Promise<void>;
}

/** The books bucket, as the ingest writes it. */
export interface BookFileObjects {
  exists(key: string): Promise<boolean>;
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
}

/** Makes a URL that serves one object of the books bucket until `expiresAt`, to whoever holds it. */
export interface UrlSigner {
  sign(key: string, expiresAt: Date): Promise<string>;
}

/** What the OPDS feeds need of the catalogue beyond its repository's listings. */
export interface OpdsCatalogue {
  /** Ids of the newest additions to the catalogue (not withdrawn), newest first. */
  newest(limit: number): Promise<string[]>;
  /** Ids of the most popular available books (decayed popularity, then rating). */
  popular(limit: number): Promise<string[]>;
  /** The books with these ids, in the given order (missing ones left out). */
  books(bookIds: readonly string[]): Promise<OpdsBook[]>;
}

/** Where readers are in their books (one row per reader and book), for every device they read on. */
export interface ReadingProgressStore {
  get(readerId: string, bookId: string): Promise<ReadingProgress | null>;
  /** Saves the reader's place (the last save wins). */
  save(readerId: string, bookId: string, place: { location: string; progress: number }, at: Date): Promise<void>;
  /**
   * Records that the reader finished the book during this loan; true only the first time for the loan (so one
   * `finish` event per loan, even when two devices save the last page at once).
   */
  markFinished(readerId: string, bookId: string, loanId: string, at: Date): Promise<boolean>;
}
