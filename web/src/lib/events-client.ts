import { z } from 'zod';

import type { ReaderEvent, ReaderEventType } from '@shelfwise/lambdas/recommendations/domain/reader-event';

import { ApiError, type ApiClient } from './api-client';
import { randomUuid } from './reader-id';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a component reports; the client adds the event id, the reader id and the time. */
export type TrackedEvent = DistributiveOmit<ReaderEvent, 'eventId' | 'readerId' | 'occurredAt'>;

/** The answer of `POST /events` (lambdas/src/recommendations/handlers/events-api.ts). */
const eventsAnswerSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(
    z.object({ index: z.number().int(), eventId: z.string().optional(), reason: z.string(), retryable: z.boolean() }),
  ),
});

/** Events that enter the reader's history, so a fresh recommendation list follows them. */
const ACTIONS: ReadonlySet<ReaderEventType> = new Set([
  'view',
  'open',
  'click',
  'borrow',
  'add-to-list',
  'finish',
  'rate',
  'dismiss',
]);

export const EVENTS_PATH = '/events';

export interface EventsClientOptions {
  api: ApiClient;
  readerId: string;
  /** Most events per request; a full batch is sent at once. */
  batchSize?: number;
  /** How long an event waits for others before its batch is sent. */
  flushIntervalMs?: number;
  /** Sends of one event before it is given up. */
  maxAttempts?: number;
  /** Wait before the next try after `failures` failed sends in a row. */
  retryDelayMs?: (failures: number) => number;
  /**
   * `navigator.sendBeacon`, used when the page is hidden; without it, or when there is an access token (a beacon
   * cannot send the `authorization` header), fetch with `keepalive`.
   */
  sendBeacon?: ((url: string, data: Blob) => boolean) | undefined;
  /**
   * The token this reader's events are sent with: the signed-in reader's, or null for an anonymous reader (whose
   * queued events must go without the token even after a sign-in). Undefined: the api client's default.
   */
  accessToken?: () => string | null;
  /** Told about every tracked event (the app keeps the reader's shelf from them). */
  onTrack?: (event: ReaderEvent) => void;
  now?: () => number;
  newId?: () => string;
  /** Told about events that will never be sent (rejected by the API, or out of tries). */
  onDrop?: (events: readonly ReaderEvent[], reason: string) => void;
}

export interface EventsClient {
  readonly readerId: string;
  /** Queues an event; never blocks and never throws. */
  track(event: TrackedEvent): void;
  /** Sends what is queued now (resolves when the queue is empty or a send failed and a retry is scheduled). */
  flush(): Promise<void>;
  /** Hands everything queued to `sendBeacon` (or a keepalive fetch): for `pagehide` and hidden tabs. */
  flushOnHide(): void;
  /** `now()` when the last batch holding an action (open, borrow, rate…) was sent and accepted; 0 before. */
  lastActionSentAt(): number;
  /** Called after each accepted batch that held an action; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Events waiting to be sent (queued or being retried). */
  pendingCount(): number;
  /** Stops the timers; queued events stay unsent. */
  dispose(): void;
}

/** 1 s, 2 s, 4 s … up to 30 s, with up to 20 % jitter so that many tabs do not retry together. */
export function defaultRetryDelayMs(failures: number, random = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (1 + 0.2 * random()));
}

/** Network failures, timeouts, throttling and server errors are worth another try; other 4xx are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

interface Queued {
  event: ReaderEvent;
  attempts: number;
}

/**
 * Reader events to `POST /events`: queued in memory, sent in small batches (every `flushIntervalMs`, or at once when
 * `batchSize` are waiting), retried with backoff when the network or the stream fails (only the events the API says
 * are retryable), and flushed with `sendBeacon` when the page is hidden.
 */
export function createEventsClient({
  api,
  readerId,
  batchSize = 20,
  flushIntervalMs = 1_000,
  maxAttempts = 6,
  retryDelayMs = defaultRetryDelayMs,
  sendBeacon,
  accessToken,
  onTrack,
  now = Date.now,
  newId = randomUuid,
  onDrop = (events, reason) => console.warn('Reader events dropped', { count: events.length, reason }),
}: EventsClientOptions): EventsClient {
  let queue: Queued[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending: Promise<void> | null = null;
  let failures = 0;
  let lastAction = 0;
  let disposed = false;
  const listeners = new Set<() => void>();
  /** The request's token option: only when the reader's token is set by the caller (see `accessToken`). */
  const auth = () => (accessToken ? { accessToken: accessToken() } : {});

  function clearTimer() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule(delayMs: number) {
    if (timer !== undefined || disposed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, delayMs);
  }

  /** Puts events back at the head of the queue for another try, dropping those out of tries. */
  function requeue(batch: readonly Queued[], reason: string) {
    const again = batch.map((queued) => ({ ...queued, attempts: queued.attempts + 1 }));
    const spent = again.filter((queued) => queued.attempts >= maxAttempts);
    if (spent.length > 0)
      onDrop(
        spent.map((queued) => queued.event),
        `${reason} (after ${maxAttempts} tries)`,
      );
    queue = [...again.filter((queued) => queued.attempts < maxAttempts), ...queue];
  }

  /** Sends one batch; false when some of it must be tried again later. */
  async function send(batch: readonly Queued[]): Promise<boolean> {
    const startedAt = now();
    let answer: z.infer<typeof eventsAnswerSchema>;
    try {
      answer = await api.post(EVENTS_PATH, { events: batch.map(({ event }) => event) }, eventsAnswerSchema, {
        keepalive: true,
        ...auth(),
      });
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      const reason = error instanceof Error ? error.message : String(error);
      if (!isRetryableStatus(status)) {
        onDrop(
          batch.map(({ event }) => event),
          reason,
        );
        return true;
      }
      failures += 1;
      requeue(batch, reason);
      return false;
    }

    const rejectedIndexes = new Set(answer.rejected.map(({ index }) => index));
    const retry = answer.rejected.filter(({ retryable }) => retryable);
    const final = answer.rejected.filter(({ retryable }) => !retryable);
    if (final.length > 0) {
      onDrop(
        final.flatMap(({ index }) => batch[index]?.event ?? []),
        final.map(({ reason }) => reason).join('; '),
      );
    }
    if (retry.length > 0) {
      requeue(
        retry.flatMap(({ index }) => batch[index] ?? []),
        retry[0]?.reason ?? 'retryable',
      );
    }
    failures = retry.length > 0 ? failures + 1 : 0;
    if (batch.some(({ event }, index) => !rejectedIndexes.has(index) && ACTIONS.has(event.type))) {
      lastAction = startedAt;
      for (const listener of listeners) listener();
    }
    return retry.length === 0;
  }

  async function drain() {
    while (queue.length > 0 && !disposed) {
      const batch = queue.slice(0, batchSize);
      queue = queue.slice(batchSize);
      if (!(await send(batch))) return;
    }
  }

  function flush(): Promise<void> {
    clearTimer();
    sending ??= drain().finally(() => {
      sending = null;
      if (queue.length > 0) schedule(failures > 0 ? retryDelayMs(failures) : flushIntervalMs);
    });
    return sending;
  }

  return {
    readerId,
    track(input) {
      if (disposed) return;
      const event = { ...input, eventId: newId(), readerId, occurredAt: new Date(now()).toISOString() } as ReaderEvent;
      queue.push({ event, attempts: 0 });
      try {
        onTrack?.(event);
      } catch {
        // The shelf's record is best effort; tracking never throws.
      }
      // A full batch goes at once, unless the API is failing and a retry is already waiting.
      if (queue.length >= batchSize && failures === 0) void flush();
      else schedule(failures > 0 ? retryDelayMs(failures) : flushIntervalMs);
    },
    flush,
    flushOnHide() {
      clearTimer();
      const events = queue.map(({ event }) => event);
      queue = [];
      const options = auth();
      // A beacon cannot carry the `authorization` header: a signed-in reader's events go by keepalive fetch.
      const beacon = options.accessToken ? undefined : sendBeacon;
      for (let start = 0; start < events.length; start += batchSize) {
        const body = { events: events.slice(start, start + batchSize) };
        // text/plain keeps the beacon a "simple" request: no CORS preflight, which beacons cannot make.
        const beaconed =
          beacon?.(api.urlOf(EVENTS_PATH), new Blob([JSON.stringify(body)], { type: 'text/plain;charset=UTF-8' })) ??
          false;
        if (!beaconed) {
          void api.post(EVENTS_PATH, body, eventsAnswerSchema, { keepalive: true, ...options }).catch(() => undefined);
        }
      }
    },
    lastActionSentAt: () => lastAction,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pendingCount: () => queue.length,
    dispose() {
      disposed = true;
      clearTimer();
    },
  };
}

/** Flushes the client when the page is hidden or left (`visibilitychange`, `pagehide`); returns the cleanup. */
export function flushWhenPageHides(client: EventsClient, doc: Document = document, win: Window = window): () => void {
  const onVisibilityChange = () => {
    if (doc.visibilityState === 'hidden') client.flushOnHide();
  };
  const onPageHide = () => client.flushOnHide();
  doc.addEventListener('visibilitychange', onVisibilityChange);
  win.addEventListener('pagehide', onPageHide);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibilityChange);
    win.removeEventListener('pagehide', onPageHide);
  };
}
