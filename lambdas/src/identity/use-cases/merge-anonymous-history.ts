/**
 * Merge on sign-in: the reader's anonymous history (read under the `anon-…` id they browsed with) moves into their
 * account, so recommendations follow them to every device.
 *
 * 1. Read both histories. No anonymous history left: nothing to do (already merged, or none): idempotent.
 * 2. Write the account's history with the anonymous events added (conditional on the version read; re-read and
 *    re-apply on conflict). Its taste version moves on, so the recommender remakes the list at the reader's next event.
 * 3. If the account has no list yet, the anonymous list becomes the account's, so the reader sees it at once,
 *    without the books the merged history holds.
 * 4. Delete everything kept under the anonymous id (history, list, conversations) and log that deletion for the lake.
 * A failure part-way is repaired by calling it again: events are merged once by id, deletion is idempotent.
 */
import { booksToSkip, emptyHistory } from '../../recommendations/domain/history';
import type { ReaderStore } from '../../recommendations/ports';
import { mergeHistories } from '../domain/merge-histories';
import type { DeletionLog, ReaderDataStore } from '../ports';

export interface MergeDependencies {
  readonly histories: ReaderStore;
  readonly readerData: ReaderDataStore;
  readonly deletionLog: DeletionLog;
  readonly now: () => Date;
}

export interface MergeOutcome {
  /** Events of the anonymous history that the account did not have. */
  readonly mergedEvents: number;
  /** Whether the anonymous list became the account's. */
  readonly listMoved: boolean;
}

export async function mergeAnonymousHistory(
  deps: MergeDependencies,
  accountId: string,
  anonymousId: string,
): Promise<MergeOutcome> {
  const stored = await deps.histories.histories([anonymousId, accountId]);
  const source = stored.get(anonymousId);
  const sourceList = await deps.histories.recommendations(anonymousId);
  if (!source && !sourceList) return { mergedEvents: 0, listMoved: false };

  let mergedEvents = 0;
  let mergedHistory = stored.get(accountId);
  if (source) {
    let target = stored.get(accountId) ?? emptyHistory(accountId);
    for (let attempt = 0; ; attempt++) {
      const merged = mergeHistories(target, source);
      if (!merged.changed) break;
      if (await deps.histories.saveHistory(merged.history)) {
        mergedHistory = merged.history;
        const known = new Set(target.appliedEventIds);
        mergedEvents = source.appliedEventIds.filter((eventId) => !known.has(eventId)).length;
        break;
      }
      if (attempt >= 4) throw new Error('The account history kept changing while merging');
      target = (await deps.histories.histories([accountId])).get(accountId) ?? emptyHistory(accountId);
    }
  }

  let listMoved = false;
  if (sourceList && !(await deps.histories.recommendations(accountId))) {
    // Without the books the merged history already holds (the anonymous list may predate its last events).
    const skip = mergedHistory ? booksToSkip(mergedHistory) : new Set<string>();
    const items = sourceList.items.filter((item) => !skip.has(item.bookId));
    await deps.histories.saveRecommendations([{ ...sourceList, items, readerId: accountId, historyVersion: 0 }]);
    listMoved = true;
  }

  await deps.deletionLog.append({
    readerId: anonymousId,
    requestedAt: deps.now().toISOString(),
    reason: 'merge',
    mergedInto: accountId,
  });
  await deps.readerData.deleteReaderData(anonymousId);
  return { mergedEvents, listMoved };
}
