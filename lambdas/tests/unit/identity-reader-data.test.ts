import { describe, expect, it } from 'vitest';
import { PauseAwarePublisher } from '../../src/identity/adapters/pause-aware-publisher';
import { deletionLogKey } from '../../src/identity/adapters/s3-deletion-log';
import { mergeHistories } from '../../src/identity/domain/merge-histories';
import type { DeletionRequest, ReaderDataStore } from '../../src/identity/ports';
import { deleteReaderHistory } from '../../src/identity/use-cases/delete-reader-history';
import { mergeAnonymousHistory } from '../../src/identity/use-cases/merge-anonymous-history';
import { type HistoryEntry, type ReaderHistory } from '../../src/recommendations/domain/history';
import type { ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { RecommendationList } from '../../src/recommendations/domain/recommendation';
import type { ReaderStore } from '../../src/recommendations/ports';

const anon = 'anon-3f2b8c1e-9d4a-4b7e-8c21-5a6f0e9d1b2c';
const account = '5b1f7e2a-0c9d-4e8f-a1b2-c3d4e5f60718';
const entry = (eventId: string, bookId: string, minute: number): HistoryEntry => ({
  eventId,
  bookId,
  type: 'view',
  rating: 0,
  occurredAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:00Z`,
});
const history = (readerId: string, entries: HistoryEntry[], excluded: string[] = [], version = 1): ReaderHistory => ({
  readerId,
  entries: [...entries].reverse(),
  excluded,
  appliedEventIds: entries.map((e) => e.eventId).reverse(),
  version,
});

/** In-memory reader store and reader data, with the same version rule as DynamoDB's. */
function memoryStores() {
  const histories = new Map<string, ReaderHistory>();
  const lists = new Map<string, RecommendationList>();
  const paused = new Set<string>();
  const store: ReaderStore = {
    histories: async (ids) => new Map(ids.flatMap((id) => (histories.has(id) ? [[id, histories.get(id)!]] : []))),
    saveHistory: async (h) => {
      if ((histories.get(h.readerId)?.version ?? 0) !== h.version) return false;
      histories.set(h.readerId, { ...h, version: h.version + 1 });
      return true;
    },
    saveRecommendations: async (ls) => ls.forEach((l) => lists.set(l.readerId, l)),
    recommendations: async (id) => lists.get(id) ?? null,
  };
  const readerData: ReaderDataStore = {
    pausedReaders: async (ids) => new Set(ids.filter((id) => paused.has(id))),
    setPaused: async (id, p) => void (p ? paused.add(id) : paused.delete(id)),
    deleteReaderData: async (id) => {
      const n = Number(histories.delete(id)) + Number(lists.delete(id));
      return n;
    },
  };
  const log: DeletionRequest[] = [];
  return {
    histories,
    lists,
    paused,
    store,
    readerData,
    log,
    deletionLog: { append: async (r: DeletionRequest) => void log.push(r) },
  };
}

describe('mergeHistories', () => {
  it('adds the events the account lacks, newest first, and unites the excluded books', () => {
    // Prepare
    const target = history(account, [entry('e1', '1', 1)], ['9']);
    const source = history(anon, [entry('e1', '1', 1), entry('e2', '2', 5)], ['8']);

    // Act
    const { history: merged, changed } = mergeHistories(target, source);

    // Assess
    expect(changed).toBe(true);
    expect(merged.readerId).toBe(account);
    expect(merged.entries.map((e) => e.eventId)).toEqual(['e2', 'e1']);
    expect(merged.excluded).toEqual(['8', '9']);
    expect(merged.tasteVersion).toBe(2);
  });

  it('changes nothing when the account already has every event', () => {
    const target = history(account, [entry('e1', '1', 1)]);
    expect(mergeHistories(target, history(anon, [entry('e1', '1', 1)])).changed).toBe(false);
  });
});

describe('mergeAnonymousHistory', () => {
  it('moves the anonymous history and list into the account, deletes the anonymous data and logs it; again: nothing', async () => {
    // Prepare
    const stores = memoryStores();
    stores.histories.set(anon, history(anon, [entry('e1', '1', 1), entry('e2', '2', 2)]));
    stores.lists.set(anon, {
      readerId: anon,
      recommendationId: 'r1',
      modelVersion: 'fallback',
      strategy: 'similar',
      generatedAt: '2026-12-01T10:03:00Z',
      items: [],
    } as RecommendationList);
    const deps = {
      histories: stores.store,
      readerData: stores.readerData,
      deletionLog: stores.deletionLog,
      now: () => new Date('2026-12-01T11:00:00Z'),
    };

    // Act
    const first = await mergeAnonymousHistory(deps, account, anon);
    const second = await mergeAnonymousHistory(deps, account, anon);

    // Assess
    expect(first).toEqual({ mergedEvents: 2, listMoved: true });
    expect(second).toEqual({ mergedEvents: 0, listMoved: false });
    expect(stores.histories.get(account)?.entries.map((e) => e.eventId)).toEqual(['e2', 'e1']);
    expect(stores.lists.get(account)?.readerId).toBe(account);
    expect(stores.histories.has(anon)).toBe(false);
    expect(stores.lists.has(anon)).toBe(false);
    expect(stores.log).toEqual([
      { readerId: anon, requestedAt: '2026-12-01T11:00:00.000Z', reason: 'merge', mergedInto: account },
    ]);
  });

  it('moves the list without the books the merged history holds (a list made before the last events)', async () => {
    // Prepare: the account read book 3 on another device; the anonymous list still offers books 2, 3 and 4.
    const stores = memoryStores();
    stores.histories.set(anon, history(anon, [entry('e1', '1', 1), entry('e2', '2', 2)]));
    stores.histories.set(account, history(account, [entry('a1', '3', 0)]));
    const item = (bookId: string) => ({ bookId, score: 1, reason: { kind: 'popular' } });
    stores.lists.set(anon, {
      readerId: anon,
      recommendationId: 'r1',
      modelVersion: 'fallback',
      strategy: 'similar',
      generatedAt: '2026-12-01T10:03:00Z',
      items: [item('2'), item('3'), item('4')],
    } as RecommendationList);
    const deps = {
      histories: stores.store,
      readerData: stores.readerData,
      deletionLog: stores.deletionLog,
      now: () => new Date('2026-12-01T11:00:00Z'),
    };

    // Act
    const outcome = await mergeAnonymousHistory(deps, account, anon);

    // Assess
    expect(outcome).toEqual({ mergedEvents: 2, listMoved: true });
    expect(stores.lists.get(account)?.items.map((i) => i.bookId)).toEqual(['4']);
  });
});

describe('deleteReaderHistory', () => {
  it('logs the deletion for the lake, then deletes the DynamoDB data and the reading records', async () => {
    const stores = memoryStores();
    stores.histories.set(account, history(account, [entry('e1', '1', 1)]));
    const forgotten: string[] = [];
    const deps = {
      readerData: stores.readerData,
      readingRecords: { forgetReader: async (id: string) => (forgotten.push(id), 3) },
      deletionLog: stores.deletionLog,
      now: () => new Date('2026-12-01T11:00:00Z'),
    };

    const outcome = await deleteReaderHistory(deps, account);

    expect(outcome).toEqual({ deleted: 1, readingRecords: 3 });
    expect(forgotten).toEqual([account]);
    expect(stores.histories.has(account)).toBe(false);
    expect(stores.log).toEqual([{ readerId: account, requestedAt: '2026-12-01T11:00:00.000Z', reason: 'delete' }]);
  });

  it('keys the log by day under deletions/', () => {
    expect(deletionLogKey(new Date('2026-12-01T11:02:03.456Z'), 'id1')).toBe(
      'deletions/dt=2026-12-01/20261201T110203Z-id1.json',
    );
  });
});

describe('PauseAwarePublisher', () => {
  it("answers paused readers' events as stored without publishing them", async () => {
    // Prepare
    const stores = memoryStores();
    stores.paused.add(anon);
    const published: ReaderEvent[] = [];
    const inner = {
      publish: async (events: readonly ReaderEvent[]) => (
        published.push(...events),
        events.map(() => ({ status: 'failed' as const, errorCode: 'X', retryable: true }))
      ),
    };
    const event = (readerId: string, eventId: string) =>
      ({ type: 'view', eventId, readerId, bookId: '1', occurredAt: '2026-12-01T10:00:00Z' }) as ReaderEvent;
    const publisher = new PauseAwarePublisher(inner, stores.readerData);

    // Act
    const result = await publisher.publish([event(anon, 'e1'), event(account, 'e2')]);

    // Assess
    expect(published.map((e) => e.eventId)).toEqual(['e2']);
    expect(result.map((r) => r.status)).toEqual(['stored', 'failed']);
    expect(publisher.notRecorded).toBe(1);
  });
});
