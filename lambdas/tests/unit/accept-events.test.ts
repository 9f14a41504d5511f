import { describe, expect, it } from 'vitest';
import type { ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { EventPublication, EventPublisher } from '../../src/recommendations/event-publisher';
import { acceptEvents } from '../../src/recommendations/use-cases/accept-events';

const now = new Date('2026-03-01T12:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000).toISOString();

/** An in-memory publisher that stores every event except those whose eventId it is told to fail. */
class FakePublisher implements EventPublisher {
  readonly calls: ReaderEvent[][] = [];
  constructor(private readonly failures: Readonly<Record<string, EventPublication>> = {}) {}

  async publish(events: readonly ReaderEvent[]) {
    this.calls.push([...events]);
    return events.map((event) => this.failures[event.eventId] ?? { status: 'stored' as const });
  }

  get published() {
    return this.calls.flat();
  }
}

function view(eventId: string, overrides: Record<string, unknown> = {}) {
  return { type: 'view', eventId, readerId: 'anon-1', occurredAt: minutes(0), bookId: '42', ...overrides };
}

describe('acceptEvents', () => {
  it('publishes every valid event in one call and rejects none', async () => {
    // Prepare
    const publisher = new FakePublisher();
    const events = [
      view('event-0001'),
      { type: 'rate', eventId: 'event-0002', readerId: 'reader-7', occurredAt: minutes(-1), bookId: '9', rating: 4 },
      { type: 'search', eventId: 'event-0003', readerId: 'reader-7', occurredAt: minutes(0), query: 'dragons' },
      {
        type: 'click',
        eventId: 'event-0004',
        readerId: 'anon-1',
        occurredAt: '2026-03-01T13:00:00+01:00',
        bookId: '42',
        recommendationId: 'rec-1',
        position: 2,
        modelVersion: 'v3',
      },
    ];

    // Act
    const result = await acceptEvents({ publisher, now: () => now }, events);

    // Assess
    expect(result).toEqual({
      accepted: 4,
      duplicates: 0,
      rejected: [],
      acceptedTypes: { view: 1, rate: 1, search: 1, click: 1 },
    });
    expect(publisher.calls).toHaveLength(1);
    expect(publisher.published).toEqual(events);
  });

  it('rejects an invalid event with its index, eventId and every problem, and lets the others through', async () => {
    // Prepare
    const publisher = new FakePublisher();
    const events = [
      view('event-0001'),
      view('event-0002', { bookId: '0', rating: 5 }),
      { type: 'teleport', eventId: 'event-0003' },
      42,
      view('short'),
      view('event-0006'),
    ];

    // Act
    const result = await acceptEvents({ publisher, now: () => now }, events);

    // Assess
    expect(result.accepted).toBe(2);
    expect(publisher.published.map((event) => event.eventId)).toEqual(['event-0001', 'event-0006']);
    expect(result.rejected.map(({ index, eventId, retryable }) => ({ index, eventId, retryable }))).toEqual([
      { index: 1, eventId: 'event-0002', retryable: false },
      { index: 2, eventId: 'event-0003', retryable: false },
      { index: 3, eventId: undefined, retryable: false },
      { index: 4, eventId: 'short', retryable: false },
    ]);
    const [badBook, badType, notAnObject, shortId] = result.rejected.map((rejection) => rejection.reason);
    expect(badBook).toMatch(/^Invalid event: /);
    expect(badBook).toContain('bookId: must be a catalogue book id');
    expect(badBook).toContain('Unrecognized key: "rating"');
    expect(badType).toMatch(/^Invalid event: type: .*'view'/);
    expect(notAnObject).toMatch(/expected object/);
    expect(shortId).toMatch(/^Invalid event: eventId: /);
    expect(result.rejected[2]).not.toHaveProperty('eventId');
  });

  it('publishes a repeated eventId once and counts the repeats as accepted duplicates', async () => {
    // Prepare
    const publisher = new FakePublisher();
    const events = [view('event-0001'), view('event-0002'), view('event-0001'), view('event-0001')];

    // Act
    const result = await acceptEvents({ publisher, now: () => now }, events);

    // Assess
    expect(publisher.published.map((event) => event.eventId)).toEqual(['event-0001', 'event-0002']);
    expect(result).toMatchObject({ accepted: 4, duplicates: 2, rejected: [] });
  });

  it('rejects events more than 5 minutes ahead or more than 24 hours old, and takes those just inside', async () => {
    // Prepare
    const publisher = new FakePublisher();
    const events = [
      view('event-ahead-in', { occurredAt: minutes(5) }),
      view('event-ahead-out', { occurredAt: minutes(5.1) }),
      view('event-old-in', { occurredAt: minutes(-24 * 60) }),
      view('event-old-out', { occurredAt: minutes(-24 * 60 - 1) }),
    ];

    // Act
    const result = await acceptEvents({ publisher, now: () => now }, events);

    // Assess
    expect(publisher.published.map((event) => event.eventId)).toEqual(['event-ahead-in', 'event-old-in']);
    expect(result.rejected).toEqual([
      {
        index: 1,
        eventId: 'event-ahead-out',
        reason: 'occurredAt is more than 5 min in the future; check the device clock',
        retryable: false,
      },
      {
        index: 3,
        eventId: 'event-old-out',
        reason: 'occurredAt is more than 24 h in the past; events that old are not accepted',
        retryable: false,
      },
    ]);
  });

  it('takes its time window from the options', async () => {
    // Prepare
    const publisher = new FakePublisher();
    const window = { maxFutureMs: 0, maxAgeMs: 60_000 };

    // Act
    const result = await acceptEvents({ publisher, now: () => now, window }, [
      view('event-0001', { occurredAt: minutes(0.5) }),
      view('event-0002', { occurredAt: minutes(-2) }),
      view('event-0003', { occurredAt: minutes(-0.5) }),
    ]);

    // Assess
    expect(result.accepted).toBe(1);
    expect(result.rejected.map((rejection) => rejection.reason)).toEqual([
      'occurredAt is more than 0 s in the future; check the device clock',
      'occurredAt is more than 1 min in the past; events that old are not accepted',
    ]);
  });

  it('rejects what the publisher could not store, retryable as it says, with the repeats of those events', async () => {
    // Prepare
    const publisher = new FakePublisher({
      'event-0002': { status: 'failed', errorCode: 'ProvisionedThroughputExceededException', retryable: true },
      'event-0003': { status: 'failed', errorCode: 'SomethingFinal', retryable: false },
    });
    const events = [view('event-0001'), view('event-0002'), view('event-0003'), view('event-0002')];

    // Act
    const result = await acceptEvents({ publisher, now: () => now }, events);

    // Assess
    expect(publisher.published).toHaveLength(3);
    expect(result.accepted).toBe(1);
    expect(result.duplicates).toBe(0);
    expect(result.acceptedTypes).toEqual({ view: 1 });
    expect(result.rejected).toEqual([
      {
        index: 1,
        eventId: 'event-0002',
        reason: 'Not stored (ProvisionedThroughputExceededException); send it again later',
        retryable: true,
      },
      { index: 2, eventId: 'event-0003', reason: 'Not stored (SomethingFinal)', retryable: false },
      { index: 3, eventId: 'event-0002', reason: 'Repeats event 1, which was not stored', retryable: true },
    ]);
  });

  it('does not call the publisher when no event is valid', async () => {
    // Prepare
    const publisher = new FakePublisher();

    // Act
    const result = await acceptEvents({ publisher, now: () => now }, [{}, null]);

    // Assess
    expect(publisher.calls).toHaveLength(0);
    expect(result).toMatchObject({ accepted: 0, duplicates: 0 });
    expect(result.rejected.map((rejection) => rejection.index)).toEqual([0, 1]);
  });
});
