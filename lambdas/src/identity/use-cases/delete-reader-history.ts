/**
 * A reader deletes their history:
 * 1. Log the deletion for the lake first (`deletions/` in the lake bucket), so that a failure after it still leaves
 *    the warehouse ETL a record to act on; a retried request only adds a second, harmless entry.
 * 2. Delete, at once, everything kept under the reader id in DynamoDB: history, recommendations, conversations.
 * 3. Delete the reader's reading records in Postgres: reading progress, ended loans and ended holds (open loans and
 *    live holds stay while the library lends the book). Popularity is an aggregate over all readers and stays.
 * The pause flag is a setting and stays.
 */
import type { DeletionLog, ReaderDataStore, ReadingRecords } from '../ports';

export interface DeleteDependencies {
  readonly readerData: ReaderDataStore;
  readonly readingRecords: ReadingRecords;
  readonly deletionLog: DeletionLog;
  readonly now: () => Date;
}

export async function deleteReaderHistory(
  deps: DeleteDependencies,
  readerId: string,
): Promise<{ deleted: number; readingRecords: number }> {
  await deps.deletionLog.append({ readerId, requestedAt: deps.now().toISOString(), reason: 'delete' });
  const deleted = await deps.readerData.deleteReaderData(readerId);
  return { deleted, readingRecords: await deps.readingRecords.forgetReader(readerId) };
}
