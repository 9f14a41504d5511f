/**
 * A reader deletes their history:
 * 1. Log the deletion for the lake first (`deletions/` in the lake bucket), so that a failure after it still leaves
 *    the warehouse ETL a record to act on; a retried request only adds a second, harmless entry.
 * 2. Delete, at once, everything kept under the reader id in DynamoDB: history, recommendations, conversations.
 *    Postgres holds no per-reader rows (popularity is an aggregate over all readers), so nothing there.
 * The pause flag is a setting and stays.
 */
import type { DeletionLog, ReaderDataStore } from '../ports';

export interface DeleteDependencies {
  readonly readerData: ReaderDataStore;
  readonly deletionLog: DeletionLog;
  readonly now: () => Date;
}

export async function deleteReaderHistory(deps: DeleteDependencies, readerId: string): Promise<{ deleted: number }> {
  await deps.deletionLog.append({ readerId, requestedAt: deps.now().toISOString(), reason: 'delete' });
  return { deleted: await deps.readerData.deleteReaderData(readerId) };
}
