/**
 * An anonymous history merged into an account's: pure. Events are kept once (by event id), newest first, within the
 * same limits as the recommender's own histories; books never to show again are the union of both.
 */
import { defaultHistoryLimits, type HistoryLimits, type ReaderHistory } from '../../recommendations/domain/history';

/** `target` (the account's, at its stored version) with `source`'s events; `changed` is false when it had them all. */
export function mergeHistories(
  target: ReaderHistory,
  source: ReaderHistory,
  limits: HistoryLimits = defaultHistoryLimits,
): { history: ReaderHistory; changed: boolean } {
  const known = new Set([...target.appliedEventIds, ...target.entries.map((entry) => entry.eventId)]);
  const newEntries = source.entries.filter((entry) => !known.has(entry.eventId));
  const excludedBefore = new Set(target.excluded);
  const newExcluded = source.excluded.filter((bookId) => !excludedBefore.has(bookId));
  const newEventIds = source.appliedEventIds.filter((eventId) => !known.has(eventId));
  if (newEntries.length === 0 && newExcluded.length === 0 && newEventIds.length === 0) {
    return { history: target, changed: false };
  }
  const entries = [...target.entries, ...newEntries]
    .map((entry, index) => ({ entry, index, time: Date.parse(entry.occurredAt) }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .map(({ entry }) => entry)
    .slice(0, limits.entries);
  const tasteChanged = newEntries.length > 0 || newExcluded.length > 0;
  return {
    history: {
      ...target,
      entries,
      excluded: [...newExcluded, ...target.excluded].slice(0, limits.excluded),
      appliedEventIds: [...newEventIds, ...target.appliedEventIds].slice(0, limits.appliedEventIds),
      // The version this history will have once stored: a list made before the merge is stale.
      tasteVersion: tasteChanged ? target.version + 1 : (target.tasteVersion ?? 0),
    },
    changed: true,
  };
}
