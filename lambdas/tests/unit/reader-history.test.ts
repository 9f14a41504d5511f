import { describe, expect, it } from 'vitest';
import { applyEvents, booksToSkip, emptyHistory, likedBooks } from '../../src/recommendations/domain/history';
import { readerEventSchema, type ReaderEvent } from '../../src/recommendations/domain/reader-event';
import { fillUp, shuffleAmongTop } from '../../src/recommendations/domain/recommendation';

let clock = Date.UTC(2026, 10, 1);
const at = () => new Date((clock += 1000)).toISOString();
const event = (fields: Partial<ReaderEvent> & Pick<ReaderEvent, 'type'>): ReaderEvent =>
  readerEventSchema.parse({ eventId: `event-${clock}`, readerId: 'r1', occurredAt: at(), bookId: '1', ...fields });

describe('reader history', () => {
  it('keeps taste events newest first with ratings, and excludes borrowed, rated and dismissed books', () => {
    const events = [
      event({ type: 'open', bookId: '1' }),
      event({ type: 'borrow', bookId: '2' }),
      event({ type: 'rate', bookId: '3', rating: 4 } as ReaderEvent),
      event({ type: 'dismiss', bookId: '4' }),
      event({ type: 'return', bookId: '2' }),
    ];

    const { history, changed } = applyEvents(emptyHistory('r1'), events);

    expect(changed).toBe(true);
    expect(history.entries.map((entry) => [entry.bookId, entry.type, entry.rating])).toEqual([
      ['4', 'dismiss', 0],
      ['3', 'rate', 4],
      ['2', 'borrow', 0],
      ['1', 'view', 0],
    ]);
    expect(history.excluded).toEqual(['2', '4', '3']);
    expect([...booksToSkip(history)].sort()).toEqual(['1', '2', '3', '4']);
    expect(likedBooks(history)).toEqual(['3', '2', '1']);
  });

  it('ignores events it applied before, so a replayed batch changes nothing', () => {
    const events = [event({ type: 'open', bookId: '7' }), event({ type: 'finish', bookId: '8' })];
    const once = applyEvents(emptyHistory('r1'), events).history;

    const again = applyEvents(once, [...events].reverse());

    expect(again.changed).toBe(false);
    expect(again.history).toBe(once);
  });

  it('places a late event by its time and bounds what it keeps', () => {
    const early = event({ type: 'open', bookId: '1' });
    const later = [event({ type: 'open', bookId: '2' }), event({ type: 'open', bookId: '3' })];
    const limits = { entries: 2, excluded: 10, appliedEventIds: 10 };
    const first = applyEvents(emptyHistory('r1'), later, limits).history;

    const { history } = applyEvents(first, [early], limits);

    expect(history.entries.map((entry) => entry.bookId)).toEqual(['3', '2']);
    expect(history.appliedEventIds).toContain(early.eventId);
  });

  it("refuses another reader's event", () => {
    expect(() => applyEvents(emptyHistory('r2'), [event({ type: 'open' })])).toThrow(/another reader/);
  });

  it('leaves out books rated two stars or less from what the reader liked', () => {
    const { history } = applyEvents(emptyHistory('r1'), [
      event({ type: 'rate', bookId: '5', rating: 2 } as ReaderEvent),
      event({ type: 'open', bookId: '6' }),
    ]);

    expect(likedBooks(history)).toEqual(['6']);
  });
});

describe('reader events', () => {
  it('says what is wrong with a malformed event', () => {
    const result = readerEventSchema.safeParse({
      eventId: 'short',
      readerId: 'r1',
      type: 'rate',
      bookId: 'abc',
      rating: 9,
      occurredAt: 'yesterday',
    });

    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['eventId', 'bookId', 'rating', 'occurredAt']));
  });

  it('requires the recommendation id, position and model version on impressions and clicks', () => {
    const base = { eventId: 'event-0001', readerId: 'r1', type: 'click', bookId: '3', occurredAt: at() };

    expect(readerEventSchema.safeParse(base).success).toBe(false);
    expect(
      readerEventSchema.safeParse({ ...base, recommendationId: 'rec-1', position: 2, modelVersion: 'v1' }).success,
    ).toBe(true);
  });
});

describe('list helpers', () => {
  const item = (bookId: string) => ({ bookId, score: 0, reason: { kind: 'popular' as const } });

  it('fills a list up to its size without repeats or skipped books', () => {
    const filled = fillUp([item('1')], [item('1'), item('2'), item('3'), item('4')], 3, new Set(['2']));

    expect(filled.map((entry) => entry.bookId)).toEqual(['1', '3', '4']);
  });

  it('draws distinct books from the top of the pool, favouring the best ranked', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const pool = Array.from({ length: 30 }, (_, i) => i);
    const firsts = new Map<number, number>();

    for (let draw = 0; draw < 2000; draw++) {
      const picks = shuffleAmongTop(pool, 10, random);
      expect(new Set(picks).size).toBe(10);
      firsts.set(picks[0]!, (firsts.get(picks[0]!) ?? 0) + 1);
    }

    expect(firsts.get(0) ?? 0).toBeGreaterThan(firsts.get(29) ?? 0);
    expect(firsts.size).toBeGreaterThan(5);
  });
});
