/**
 * A reader's recent history as the recommender keeps it: the last events that say something about their taste (most
 * recent first, bounded), the books never to recommend again, and the ids of events already applied, so a replayed
 * batch changes nothing. Pure functions; the store writes the result with a version check.
 */
import { excludesBook, historyEventType, isBookEvent, type ReaderEvent } from './reader-event';

export type HistoryEventType = NonNullable<ReturnType<typeof historyEventType>>;

export interface HistoryEntry {
  readonly eventId: string;
  readonly bookId: string;
  readonly type: HistoryEventType;
  /** 1–5 stars for `rate`, else 0. */
  readonly rating: number;
  readonly occurredAt: string;
}

export interface ReaderHistory {
  readonly readerId: string;
  /** Most recent first, at most `HistoryLimits.entries`. */
  readonly entries: readonly HistoryEntry[];
  /** Books borrowed, finished, rated, listed or dismissed: never recommended again. Most recent first. */
  readonly excluded: readonly string[];
  /** Ids of the events already applied, most recent first. */
  readonly appliedEventIds: readonly string[];
  /** Store version this history was read at (0: never stored). */
  readonly version: number;
  /**
   * Version at which an event last changed what the reader likes or must not see (impressions and searches do not):
   * a list made from an older version is stale.
   */
  readonly tasteVersion?: number;
}

export interface HistoryLimits {
  /** Entries kept (the model reads its own `historyLength` of them). */
  readonly entries: number;
  readonly excluded: number;
  readonly appliedEventIds: number;
}

export const defaultHistoryLimits: HistoryLimits = { entries: 50, excluded: 1000, appliedEventIds: 500 };

export function emptyHistory(readerId: string): ReaderHistory {
  return { readerId, entries: [], excluded: [], appliedEventIds: [], version: 0 };
}

/**
 * The history after `events` (any order; they are applied in `occurredAt` order, ties in the given order). Events
 * whose id was applied before are ignored; `changed` is false when nothing new was applied.
 */
export function applyEvents(
  history: ReaderHistory,
  events: readonly ReaderEvent[],
  limits: HistoryLimits = defaultHistoryLimits,
): { history: ReaderHistory; changed: boolean; tasteChanged: boolean; applied: ReaderEvent[] } {
  const seen = new Set(history.appliedEventIds);
  const fresh: ReaderEvent[] = [];
  for (const event of events) {
    if (event.readerId !== history.readerId) {
      throw new Error(`Event ${event.eventId} belongs to another reader than ${history.readerId}`);
    }
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    fresh.push(event);
  }
  if (fresh.length === 0) return { history, changed: false, tasteChanged: false, applied: [] };
  const ordered = fresh
    .map((event, index) => ({ event, index, time: Date.parse(event.occurredAt) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ event }) => event);

  const newEntries: HistoryEntry[] = [];
  let excluded = [...history.excluded];
  let tasteChanged = false;
  for (const event of ordered) {
    if (!isBookEvent(event)) continue;
    const type = historyEventType(event);
    if (type) {
      newEntries.push({
        eventId: event.eventId,
        bookId: event.bookId,
        type,
        rating: event.type === 'rate' ? event.rating : 0,
        occurredAt: event.occurredAt,
      });
    }
    if (excludesBook(event)) excluded = [event.bookId, ...excluded.filter((id) => id !== event.bookId)];
    if (type || excludesBook(event)) tasteChanged = true;
  }
  // Newest first; an event that happened before entries already kept is placed by its time.
  const entries = [...newEntries.reverse(), ...history.entries]
    .map((entry, index) => ({ entry, index, time: Date.parse(entry.occurredAt) }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .map(({ entry }) => entry)
    .slice(0, limits.entries);
  const appliedEventIds = [...ordered.map((event) => event.eventId).reverse(), ...history.appliedEventIds].slice(
    0,
    limits.appliedEventIds,
  );
  return {
    history: {
      ...history,
      entries,
      excluded: excluded.slice(0, limits.excluded),
      appliedEventIds,
      // The version this history will have once stored.
      tasteVersion: tasteChanged ? history.version + 1 : (history.tasteVersion ?? 0),
    },
    changed: true,
    tasteChanged,
    applied: ordered,
  };
}

/** Books this reader must not be shown now: excluded ones and those in the recent history. */
export function booksToSkip(history: ReaderHistory): Set<string> {
  return new Set([...history.excluded, ...history.entries.map((entry) => entry.bookId)]);
}

/** Distinct books of the history, most recent first, leaving out dismissed ones (they say what the reader dislikes). */
export function likedBooks(history: ReaderHistory): string[] {
  const dismissed = new Set(history.entries.filter((entry) => entry.type === 'dismiss').map((entry) => entry.bookId));
  const seen = new Set<string>();
  const books: string[] = [];
  for (const entry of history.entries) {
    if (dismissed.has(entry.bookId) || seen.has(entry.bookId)) continue;
    if (entry.type === 'rate' && entry.rating <= 2) continue;
    seen.add(entry.bookId);
    books.push(entry.bookId);
  }
  return books;
}
