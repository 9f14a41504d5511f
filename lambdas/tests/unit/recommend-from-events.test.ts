import { describe, expect, it } from 'vitest';
import { emptyHistory, type ReaderHistory } from '../../src/recommendations/domain/history';
import { readerEventSchema, type ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { Recommendation, RecommendationList } from '../../src/recommendations/domain/recommendation';
import type { CatalogueSignals, Policy, PolicyInput, ReaderStore } from '../../src/recommendations/ports';
import { makeLists, recommendFromEvents } from '../../src/recommendations/use-cases/recommend-from-events';

/** Readers' state in memory, with the store's version check; `conflicts` makes the next saves lose a race. */
class MemoryReaderStore implements ReaderStore {
  readonly stored = new Map<string, ReaderHistory>();
  readonly lists = new Map<string, RecommendationList>();
  conflicts = 0;
  failListWrites = false;
  listWrites = 0;

  async histories(readerIds: readonly string[]) {
    return new Map(readerIds.flatMap((id) => (this.stored.has(id) ? [[id, this.stored.get(id)!] as const] : [])));
  }

  async saveHistory(history: ReaderHistory) {
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      // Someone else wrote meanwhile: the stored version moves on.
      const current = this.stored.get(history.readerId);
      this.stored.set(history.readerId, { ...(current ?? history), version: (current?.version ?? 0) + 1 });
      return false;
    }
    if ((this.stored.get(history.readerId)?.version ?? 0) !== history.version) return false;
    this.stored.set(history.readerId, { ...history, version: history.version + 1 });
    return true;
  }

  async saveRecommendations(lists: readonly RecommendationList[]) {
    if (this.failListWrites) throw new Error('DynamoDB is unavailable');
    this.listWrites += 1;
    for (const list of lists) this.lists.set(list.readerId, list);
  }

  async recommendations(readerId: string) {
    return this.lists.get(readerId) ?? null;
  }
}

const catalogueBooks = Array.from({ length: 40 }, (_, i) => String(i + 1));

class FakeCatalogue implements CatalogueSignals {
  withdrawn = new Set<string>();
  popularity = new Map<string, number>();
  /** The factor the stored popularity weights carry (exp((t − 2026-01-01) / 7 days): about 1e21 by December 2026). */
  weightScale = 1;
  async popular(limit: number) {
    return catalogueBooks
      .filter((id) => !this.withdrawn.has(id))
      .slice(0, limit)
      .map((bookId, i) => ({ bookId, score: (100 - i) * this.weightScale }));
  }
  async similarInContent(bookIds: readonly string[], limit: number, skip: ReadonlySet<string>) {
    // "Similar" = the next ids after the source.
    return bookIds
      .flatMap((source) =>
        [1, 2, 3].map((step) => ({ bookId: String(Number(source) + step), score: 1 / step, becauseBookId: source })),
      )
      .filter((book) => !skip.has(book.bookId))
      .slice(0, limit);
  }
  async sameAuthorOrSeries(): Promise<Recommendation[]> {
    return [];
  }
  async addPopularity(weights: ReadonlyMap<string, number>) {
    for (const [id, weight] of weights) this.popularity.set(id, (this.popularity.get(id) ?? 0) + weight);
  }
  async availableBooks(bookIds: readonly string[]) {
    return new Set(bookIds.filter((id) => catalogueBooks.includes(id) && !this.withdrawn.has(id)));
  }
}

/** A policy that recommends the highest ids it knows, except skipped ones; it counts its calls. */
class FakePolicy implements Policy {
  readonly version = 'v-test';
  calls: PolicyInput[][] = [];
  knows(bookId: string) {
    return catalogueBooks.includes(bookId);
  }
  async recommend(inputs: readonly PolicyInput[], limit: number) {
    this.calls.push([...inputs]);
    return inputs.map((input) =>
      [...catalogueBooks]
        .reverse()
        .filter((id) => !input.skip.has(id))
        .slice(0, limit)
        .map((bookId, i): Recommendation => ({ bookId, score: -i, reason: { kind: 'policy' } })),
    );
  }
  similar() {
    return [];
  }
}

let clock = Date.UTC(2026, 10, 1);
let ids = 0;
const open = (readerId: string, bookId: string, type: 'open' | 'borrow' | 'search' = 'open'): ReaderEvent =>
  readerEventSchema.parse({
    eventId: `event-${String((ids += 1)).padStart(4, '0')}`,
    readerId,
    type,
    ...(type === 'search' ? { query: 'dragons' } : { bookId }),
    occurredAt: new Date((clock += 1000)).toISOString(),
  });

function setup(options: { policy?: boolean } = {}) {
  const store = new MemoryReaderStore();
  const catalogue = new FakeCatalogue();
  const policy = new FakePolicy();
  let n = 0;
  const deps = {
    store,
    catalogue,
    policies: { current: async () => (options.policy === false ? null : policy) },
    now: () => new Date(clock),
    random: () => 0.5,
    newId: () => `rec-${(n += 1)}`,
  };
  return { store, catalogue, policy, deps };
}

const settings = { listSize: 5, policyMinInteractions: 3, popularPool: 20 };

describe('recommendFromEvents', () => {
  it('gives a reader with no book events popular books, made when asked rather than stored', async () => {
    const { store, deps } = setup();

    const outcome = await recommendFromEvents(deps, [open('r1', '', 'search')], settings);
    const made = await makeLists(deps, [emptyHistory('r1')], settings);

    expect(outcome.failed.size).toBe(0);
    expect(store.lists.has('r1')).toBe(false);
    expect(made.lists[0]).toMatchObject({ strategy: 'popular', modelVersion: 'fallback' });
    expect(made.lists[0]!.items).toHaveLength(5);
  });

  it('scores popular books relative to the most popular one, so lists stay writable as the weights grow', async () => {
    // Prepare
    const { store, catalogue, deps } = setup();
    catalogue.weightScale = 2e21;

    // Act
    const outcome = await recommendFromEvents(deps, [open('r1', '40')], settings);
    const made = await makeLists(deps, [emptyHistory('r2')], settings);

    // Assess
    expect(outcome.failed.size).toBe(0);
    const stored = store.lists.get('r1')!;
    const popular = [...stored.items, ...made.lists[0]!.items].filter((item) => item.reason.kind === 'popular');
    expect(popular.length).toBeGreaterThan(5);
    for (const item of popular) {
      expect(item.score).toBeCloseTo((100 - Number(item.bookId) + 1) / 100, 12);
    }
    expect(stored.items.every((item) => Math.abs(item.score) <= Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('answers content-similar books after one interaction, without the book itself', async () => {
    const { store, deps } = setup();

    await recommendFromEvents(deps, [open('r1', '10')], settings);

    const list = store.lists.get('r1')!;
    expect(list.strategy).toBe('similar');
    expect(list.items.slice(0, 3).map((item) => item.bookId)).toEqual(['11', '12', '13']);
    expect(list.items.map((item) => item.bookId)).not.toContain('10');
    expect(list.items[0]!.reason).toEqual({ kind: 'similar', becauseBookId: '10' });
  });

  it('runs the policy once for every reader of the batch with enough history', async () => {
    const { store, policy, deps } = setup();
    const events = ['a', 'b', 'c'].flatMap((reader) => ['1', '2', '3'].map((book) => open(reader, book)));

    const outcome = await recommendFromEvents(deps, [...events, open('d', '5')], settings);

    expect(policy.calls).toHaveLength(1);
    expect(policy.calls[0]!.map((input) => input.history.readerId).sort()).toEqual(['a', 'b', 'c']);
    expect(outcome.strategies).toEqual({ policy: 3, similar: 1, popular: 0 });
    expect(store.lists.get('a')).toMatchObject({ strategy: 'policy', modelVersion: 'v-test' });
  });

  it('falls back to content and popular books when no model is promoted', async () => {
    const { store, deps } = setup({ policy: false });

    await recommendFromEvents(
      deps,
      ['1', '2', '3'].map((book) => open('a', book)),
      settings,
    );

    expect(store.lists.get('a')!.strategy).toBe('similar');
  });

  it('never recommends a borrowed book, even after it left the recent history', async () => {
    const { store, deps } = setup();
    await recommendFromEvents(deps, [open('r1', '40', 'borrow')], settings);

    // 55 books outside the catalogue push it out of the 50 recent entries; then three the policy knows.
    const later = [...Array.from({ length: 55 }, (_, i) => String(100 + i)), '1', '2', '3'];
    await recommendFromEvents(
      deps,
      later.map((book) => open('r1', book)),
      settings,
    );

    const stored = store.stored.get('r1')!;
    expect(stored.entries.map((entry) => entry.bookId)).not.toContain('40');
    expect(store.lists.get('r1')!.strategy).toBe('policy');
    expect(store.lists.get('r1')!.items.map((item) => item.bookId)).not.toContain('40');
  });

  it('drops withdrawn books and fills the list from popular ones', async () => {
    const { store, catalogue, deps } = setup();
    catalogue.withdrawn = new Set(['40', '39']);

    await recommendFromEvents(
      deps,
      ['1', '2', '3'].map((book) => open('r1', book)),
      settings,
    );

    const books = store.lists.get('r1')!.items.map((item) => item.bookId);
    expect(books).toHaveLength(5);
    expect(books).not.toContain('40');
    expect(books).not.toContain('39');
  });

  it('re-reads and re-applies when another writer changed the history meanwhile', async () => {
    const { store, deps } = setup();
    store.conflicts = 2;

    const outcome = await recommendFromEvents(deps, [open('r1', '7')], settings);

    expect(outcome.failed.size).toBe(0);
    expect(store.stored.get('r1')!.entries.map((entry) => entry.bookId)).toEqual(['7']);
  });

  it('changes nothing when the same batch is replayed', async () => {
    const { store, catalogue, deps } = setup();
    const batch = [open('r1', '7'), open('r2', '8')];
    await recommendFromEvents(deps, batch, settings);
    const before = { histories: structuredClone([...store.stored]), lists: structuredClone([...store.lists]) };
    const popularity = structuredClone([...catalogue.popularity]);

    const outcome = await recommendFromEvents(deps, batch, settings);

    expect(outcome.unchanged).toBe(2);
    expect(outcome.lists).toEqual([]);
    expect([...store.stored]).toEqual(before.histories);
    expect([...store.lists]).toEqual(before.lists);
    expect([...catalogue.popularity]).toEqual(popularity);
  });

  it('reports the readers whose list could not be written, and writes it when the batch is retried', async () => {
    const { store, deps } = setup();
    const batch = [open('r1', '7')];
    store.failListWrites = true;

    const failed = await recommendFromEvents(deps, batch, settings);
    expect([...failed.failed.keys()]).toEqual(['r1']);
    expect(store.lists.has('r1')).toBe(false);

    store.failListWrites = false;
    const retried = await recommendFromEvents(deps, batch, settings);

    expect(retried.failed.size).toBe(0);
    expect(store.lists.get('r1')!.strategy).toBe('similar');
  });

  it('records impressions without replacing the list the reader is looking at', async () => {
    const { store, deps } = setup();
    await recommendFromEvents(deps, [open('r1', '7')], settings);
    const shown = store.lists.get('r1')!;
    const impressions = shown.items.map((item, position) =>
      readerEventSchema.parse({
        eventId: `impression-${position}-0000`,
        readerId: 'r1',
        type: 'impression',
        bookId: item.bookId,
        recommendationId: shown.recommendationId,
        position,
        modelVersion: shown.modelVersion,
        occurredAt: new Date((clock += 1000)).toISOString(),
      }),
    );

    const outcome = await recommendFromEvents(deps, impressions, settings);

    expect(outcome.lists).toEqual([]);
    expect(store.lists.get('r1')).toEqual(shown);
    expect(store.stored.get('r1')!.appliedEventIds).toContain('impression-0-0000');
  });
});
