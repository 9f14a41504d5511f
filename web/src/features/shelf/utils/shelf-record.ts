import type { ReaderEvent, ReaderEventType } from '@shelfwise/lambdas/recommendations/domain/reader-event';

/*
 * What this browser knows of the reader's history: the API keeps the history (to make recommendations) but has no
 * route to read it back, so the shelf shows what the app itself recorded as the reader acted, per reader id, in
 * localStorage. It records nothing while the reader's history is paused, and forgets a reader's entries when their
 * history is deleted.
 */

export const SHELF_STORAGE_KEY = 'shelfwise.shelf';
export const PAUSED_STORAGE_KEY = 'shelfwise.historyPaused';
/** Entries kept per browser, newest first. */
export const SHELF_LIMIT = 100;

/** The acts a shelf shows (not impressions, views or clicks). */
export const SHELF_EVENT_TYPES = ['open', 'borrow', 'add-to-list', 'rate', 'dismiss', 'finish'] as const;
export type ShelfEventType = (typeof SHELF_EVENT_TYPES)[number] & ReaderEventType;

export interface ShelfEntry {
  readonly readerId: string;
  readonly bookId: string;
  readonly type: ShelfEventType;
  readonly rating?: number;
  /** ISO 8601. */
  readonly at: string;
}

export interface ShelfState {
  readonly entries: readonly ShelfEntry[];
  /** Reader ids whose history is paused (as this browser last set it). */
  readonly paused: readonly string[];
}

type ShelfStorage = Pick<Storage, 'getItem' | 'setItem'>;

function isShelfType(type: string): type is ShelfEventType {
  return (SHELF_EVENT_TYPES as readonly string[]).includes(type);
}

function readJson(storage: ShelfStorage | undefined, key: string): unknown {
  try {
    return JSON.parse(storage?.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

export interface ShelfRecord {
  get(): ShelfState;
  subscribe(listener: () => void): () => void;
  /** Records `event` when it is a shelf act and its reader's history is not paused. */
  record(event: ReaderEvent): void;
  setPaused(readerId: string, paused: boolean): void;
  /** Forgets every entry of `readerId`. */
  clear(readerId: string): void;
  /** After a sign-in merged `from`'s history into `to`: the entries follow. */
  move(from: string, to: string): void;
}

export function createShelfRecord(storage: ShelfStorage | undefined): ShelfRecord {
  const listeners = new Set<() => void>();
  const entries = readJson(storage, SHELF_STORAGE_KEY);
  const paused = readJson(storage, PAUSED_STORAGE_KEY);
  let state: ShelfState = {
    entries: Array.isArray(entries) ? (entries as ShelfEntry[]) : [],
    paused: Array.isArray(paused) ? (paused as string[]) : [],
  };

  function update(next: ShelfState) {
    state = next;
    try {
      storage?.setItem(SHELF_STORAGE_KEY, JSON.stringify(next.entries));
      storage?.setItem(PAUSED_STORAGE_KEY, JSON.stringify(next.paused));
    } catch {
      // Storage blocked or full: the record lasts as long as the page.
    }
    for (const listener of listeners) listener();
  }

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    record(event) {
      const { type } = event;
      if (!isShelfType(type) || !('bookId' in event) || state.paused.includes(event.readerId)) return;
      const entry: ShelfEntry = {
        readerId: event.readerId,
        bookId: event.bookId,
        type,
        at: event.occurredAt,
        ...(event.type === 'rate' ? { rating: event.rating } : {}),
      };
      update({ ...state, entries: [entry, ...state.entries].slice(0, SHELF_LIMIT) });
    },
    setPaused(readerId, isPaused) {
      const others = state.paused.filter((id) => id !== readerId);
      update({ ...state, paused: isPaused ? [...others, readerId] : others });
    },
    clear(readerId) {
      update({ ...state, entries: state.entries.filter((entry) => entry.readerId !== readerId) });
    },
    move(from, to) {
      update({
        entries: state.entries.map((entry) => (entry.readerId === from ? { ...entry, readerId: to } : entry)),
        paused: state.paused.map((id) => (id === from ? to : id)),
      });
    },
  };
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** This browser's shelf record. */
export const shelfRecord: ShelfRecord = createShelfRecord(safeLocalStorage());
