/**
 * What the reader-data use cases need beyond the recommender's `ReaderStore` (histories and lists): the pause flags,
 * the deletion of everything kept under a reader id, and the deletion log the warehouse ETL applies to the lake.
 */

export interface ReaderDataStore {
  /** Which of these readers paused their history. */
  pausedReaders(readerIds: readonly string[]): Promise<Set<string>>;
  setPaused(readerId: string, paused: boolean, at: Date): Promise<void>;
  /**
   * Deletes the reader's history, recommendations and chat conversations (every item under the reader's key, except
   * the pause flag, which is a setting, not history). Returns how many items were deleted; 0 when none were left.
   */
  deleteReaderData(readerId: string): Promise<number>;
}

export interface DeletionRequest {
  readonly readerId: string;
  readonly requestedAt: string;
  /** `delete`: the reader deleted their history; `merge`: an anonymous id merged into an account. */
  readonly reason: 'delete' | 'merge';
  /** For `merge`: the account the anonymous history now belongs to (the ETL may re-key the lake's rows to it). */
  readonly mergedInto?: string;
}

export interface DeletionLog {
  append(request: DeletionRequest): Promise<void>;
}

/** The reader's rows in Postgres that record what they read: reading progress, ended loans and holds. */
export interface ReadingRecords {
  /**
   * Deletes them in one transaction. Open loans and live holds stay: the library is lending the book (they end as
   * usual, and a later deletion takes them). Returns how many rows were deleted.
   */
  forgetReader(readerId: string): Promise<number>;
}
