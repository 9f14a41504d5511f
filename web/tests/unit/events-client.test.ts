import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';

import { createApiClient } from '../../src/lib/api-client';
import { createEventsClient, defaultRetryDelayMs, type EventsClientOptions } from '../../src/lib/events-client';

interface Answer {
  status: number;
  body?: unknown;
}

/** A fake `fetch` that records each POSTed batch and answers from a script (200 with all accepted by default). */
function fakeFetch(script: (events: ReaderEvent[], call: number) => Answer | Error = () => ({ status: 200 })) {
  const batches: ReaderEvent[][] = [];
  const inits: RequestInit[] = [];
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const { events } = JSON.parse(String(init?.body)) as { events: ReaderEvent[] };
    batches.push(events);
    inits.push(init ?? {});
    const answer = script(events, batches.length);
    if (answer instanceof Error) throw answer;
    const body = answer.body ?? { accepted: events.length, duplicates: 0, rejected: [] };
    return new Response(JSON.stringify(body), { status: answer.status });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, batches, inits };
}

function clientWith(fetch: typeof globalThis.fetch, options: Partial<EventsClientOptions> = {}) {
  let id = 0;
  const dropped: ReaderEvent[] = [];
  const client = createEventsClient({
    api: createApiClient({ baseUrl: '/api', fetch }),
    readerId: 'anon-test',
    newId: () => `event-${String(++id).padStart(4, '0')}`,
    retryDelayMs: (failures) => 1_000 * 2 ** (failures - 1),
    onDrop: (events) => dropped.push(...events),
    ...options,
  });
  return { client, dropped };
}

const open = (bookId: string) => ({ type: 'open', bookId }) as const;

describe('events client', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-01T10:00:00Z') });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends queued events together after the flush interval, with ids, reader and time', async () => {
    // Prepare
    const api = fakeFetch();
    const { client } = clientWith(api.fetch);

    // Act
    client.track(open('1'));
    client.track({ type: 'rate', bookId: '2', rating: 4 });
    await vi.advanceTimersByTimeAsync(999);

    // Assess: nothing yet, never synchronously
    expect(api.batches).toEqual([]);

    // Act
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(api.batches).toEqual([
      [
        {
          type: 'open',
          bookId: '1',
          eventId: 'event-0001',
          readerId: 'anon-test',
          occurredAt: '2026-03-01T10:00:00.000Z',
        },
        {
          type: 'rate',
          bookId: '2',
          rating: 4,
          eventId: 'event-0002',
          readerId: 'anon-test',
          occurredAt: '2026-03-01T10:00:00.000Z',
        },
      ],
    ]);
    expect(api.inits[0]).toMatchObject({ method: 'POST', keepalive: true });
    expect(client.pendingCount()).toBe(0);
  });

  it('sends a full batch at once, without waiting for the interval', async () => {
    // Prepare
    const api = fakeFetch();
    const { client } = clientWith(api.fetch, { batchSize: 3 });

    // Act
    for (const bookId of ['1', '2', '3', '4']) client.track(open(bookId));
    await vi.advanceTimersByTimeAsync(0);

    // Assess: batches of at most 3; what queued while the first was sent follows it
    expect(api.batches.map((batch) => batch.map((event) => event.eventId))).toEqual([
      ['event-0001', 'event-0002', 'event-0003'],
      ['event-0004'],
    ]);
  });

  it('retries a failed network call with growing backoff, keeping the order', async () => {
    // Prepare: two network failures, then success
    const api = fakeFetch((_events, call) => (call <= 2 ? new TypeError('Failed to fetch') : { status: 200 }));
    const { client, dropped } = clientWith(api.fetch);

    // Act
    client.track(open('1'));
    await vi.advanceTimersByTimeAsync(1_000);
    client.track(open('2'));

    // Assess: first try failed; the retry waits 1 s, the next 2 s
    expect(api.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(api.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.batches).toHaveLength(3);
    expect(api.batches[2]?.map((event) => event.eventId)).toEqual(['event-0001', 'event-0002']);
    expect(client.pendingCount()).toBe(0);
    expect(dropped).toEqual([]);
  });

  it('retries server errors but drops a batch the API refuses as malformed', async () => {
    // Prepare
    const api = fakeFetch((_events, call) =>
      call === 1 ? { status: 503, body: { message: 'Unavailable' } } : { status: 400, body: { message: 'Bad' } },
    );
    const { client, dropped } = clientWith(api.fetch);

    // Act
    client.track(open('1'));
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(10_000);

    // Assess
    expect(api.batches).toHaveLength(2);
    expect(dropped.map((event) => event.eventId)).toEqual(['event-0001']);
    expect(client.pendingCount()).toBe(0);
  });

  it('sends again only the events the API rejected as retryable', async () => {
    // Prepare: the first answer rejects event 0 for good and event 1 for now
    const api = fakeFetch((events, call) =>
      call === 1
        ? {
            status: 200,
            body: {
              accepted: 1,
              duplicates: 0,
              rejected: [
                {
                  index: 0,
                  eventId: events[0]?.eventId,
                  reason: 'bookId: must be a catalogue book id',
                  retryable: false,
                },
                { index: 1, eventId: events[1]?.eventId, reason: 'throttled', retryable: true },
              ],
            },
          }
        : { status: 200 },
    );
    const { client, dropped } = clientWith(api.fetch);

    // Act
    client.track(open('x'));
    client.track(open('2'));
    client.track(open('3'));
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(1_000);

    // Assess
    expect(dropped.map((event) => event.eventId)).toEqual(['event-0001']);
    expect(api.batches[1]?.map((event) => event.eventId)).toEqual(['event-0002']);
    expect(client.pendingCount()).toBe(0);
  });

  it('gives an event up after its last try', async () => {
    // Prepare
    const api = fakeFetch(() => ({ status: 500 }));
    const { client, dropped } = clientWith(api.fetch, { maxAttempts: 3 });

    // Act
    client.track(open('1'));
    await vi.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(api.batches).toHaveLength(3);
    expect(dropped.map((event) => event.eventId)).toEqual(['event-0001']);
    expect(client.pendingCount()).toBe(0);
  });

  it('tells subscribers when an action was sent, not for impressions alone', async () => {
    // Prepare
    const api = fakeFetch();
    const { client } = clientWith(api.fetch);
    const listener = vi.fn();
    client.subscribe(listener);
    const impression = {
      type: 'impression',
      bookId: '1',
      recommendationId: 'rec-1',
      position: 0,
      modelVersion: 'fallback',
    } as const;

    // Act
    client.track(impression);
    await vi.advanceTimersByTimeAsync(1_000);

    // Assess
    expect(listener).not.toHaveBeenCalled();
    expect(client.lastActionSentAt()).toBe(0);

    // Act
    client.track(open('1'));
    await vi.advanceTimersByTimeAsync(1_000);

    // Assess: the time the batch was sent
    expect(listener).toHaveBeenCalledOnce();
    expect(client.lastActionSentAt()).toBe(Date.parse('2026-03-01T10:00:02Z'));
  });

  it('hands the queue to sendBeacon when the page is hidden', async () => {
    // Prepare
    const api = fakeFetch();
    const beacons: { url: string; body: string; type: string }[] = [];
    const sendBeacon = vi.fn((url: string, data: Blob) => {
      void data.text().then((body) => beacons.push({ url, body, type: data.type }));
      return true;
    });
    const { client } = clientWith(api.fetch, { sendBeacon });
    for (const bookId of ['1', '2', '3']) client.track(open(bookId));

    // Act
    client.flushOnHide();
    await vi.advanceTimersByTimeAsync(5_000);

    // Assess: one beacon, nothing left for fetch
    expect(api.batches).toEqual([]);
    expect(sendBeacon).toHaveBeenCalledOnce();
    expect(beacons[0]?.url).toBe('/api/events');
    expect(beacons[0]?.type).toBe('text/plain;charset=utf-8');
    expect((JSON.parse(beacons[0]?.body ?? '{}') as { events: ReaderEvent[] }).events).toHaveLength(3);
    expect(client.pendingCount()).toBe(0);
  });

  it('falls back to a keepalive fetch when the beacon is refused', async () => {
    // Prepare
    const api = fakeFetch();
    const { client } = clientWith(api.fetch, { sendBeacon: () => false });
    client.track(open('1'));

    // Act
    client.flushOnHide();
    await vi.advanceTimersByTimeAsync(0);

    // Assess
    expect(api.batches).toHaveLength(1);
    expect(api.inits[0]).toMatchObject({ keepalive: true });
  });
});

describe('defaultRetryDelayMs', () => {
  it('doubles from 1 s up to 30 s, with at most 20 % jitter', () => {
    expect([1, 2, 3, 6, 10].map((failures) => defaultRetryDelayMs(failures, () => 0))).toEqual([
      1_000, 2_000, 4_000, 30_000, 30_000,
    ]);
    expect(defaultRetryDelayMs(1, () => 1)).toBe(1_200);
  });
});
