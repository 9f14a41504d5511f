/**
 * Accept a batch of reader events (`POST /events`).
 *
 * 1. Validate each event on its own with the reader-event schema: a bad event is rejected (with its index, its
 *    eventId when one can be read, and every schema problem) and the others go on.
 * 2. Reject events whose `occurredAt` lies outside the accepted window: more than `maxFutureMs` ahead of the server
 *    clock (a device clock that is wrong) or more than `maxAgeMs` old (older than the stream keeps its records, so
 *    a consumer replaying the stream could never see it in order with its neighbours).
 * 3. Drop repeated eventIds within the batch: the first valid occurrence is published, the repeats are accepted as
 *    duplicates and share its fate (a repeat of an event that failed to be stored is rejected with it).
 * 4. Publish the remaining events once, and reject those the publisher could not store, retryable as it says.
 *
 * Schema and window rejections are final (`retryable: false`): sending the same event again cannot succeed.
 */
import type { z } from 'zod';
import { streams } from '../../shared/infrastructure';
import { readerEventSchema, type ReaderEvent, type ReaderEventType } from '../domain/reader-event';
import type { EventPublisher } from '../event-publisher';

export interface EventWindow {
  /** How far ahead of the server clock `occurredAt` may be (device clock skew). */
  readonly maxFutureMs: number;
  /** How old `occurredAt` may be. */
  readonly maxAgeMs: number;
}

/** Five minutes of clock skew; as old as the reader-events stream keeps its records (24 h). */
export const defaultEventWindow: EventWindow = {
  maxFutureMs: 5 * 60_000,
  maxAgeMs: streams.readerEvents.retentionHours * 3_600_000,
};

export interface Rejection {
  /** Position of the event in the request's `events`. */
  readonly index: number;
  readonly eventId?: string;
  readonly reason: string;
  /** Whether the client should send this event again later. */
  readonly retryable: boolean;
}

export interface AcceptEventsResult {
  /** Events stored, counting accepted duplicates. */
  readonly accepted: number;
  /** Of `accepted`, events that repeated an eventId earlier in the batch and were not stored twice. */
  readonly duplicates: number;
  /** In order of index. */
  readonly rejected: readonly Rejection[];
  /** Accepted events per type, duplicates included (counts only: all that may be logged about readers' events). */
  readonly acceptedTypes: Readonly<Partial<Record<ReaderEventType, number>>>;
}

export interface AcceptEventsDependencies {
  readonly publisher: EventPublisher;
  readonly now?: () => Date;
  readonly window?: EventWindow;
}

export async function acceptEvents(
  { publisher, now = () => new Date(), window = defaultEventWindow }: AcceptEventsDependencies,
  events: readonly unknown[],
): Promise<AcceptEventsResult> {
  const rejected: Rejection[] = [];
  const toPublish: { index: number; event: ReaderEvent }[] = [];
  /** Index of each repeat → position in `toPublish` of the first occurrence. */
  const duplicateOf = new Map<number, number>();
  const firstByEventId = new Map<string, number>();
  const serverTime = now().getTime();

  events.forEach((input, index) => {
    const parsed = readerEventSchema.safeParse(input);
    if (!parsed.success) {
      rejected.push({ index, ...readableEventId(input), reason: describeIssues(parsed.error), retryable: false });
      return;
    }
    const event = parsed.data;
    const outOfWindow = windowProblem(Date.parse(event.occurredAt), serverTime, window);
    if (outOfWindow) {
      rejected.push({ index, eventId: event.eventId, reason: outOfWindow, retryable: false });
      return;
    }
    const first = firstByEventId.get(event.eventId);
    if (first !== undefined) {
      duplicateOf.set(index, first);
      return;
    }
    firstByEventId.set(event.eventId, toPublish.length);
    toPublish.push({ index, event });
  });

  const publications = toPublish.length > 0 ? await publisher.publish(toPublish.map(({ event }) => event)) : [];
  const acceptedTypes: Partial<Record<ReaderEventType, number>> = {};
  let accepted = 0;
  const count = (event: ReaderEvent) => {
    accepted += 1;
    acceptedTypes[event.type] = (acceptedTypes[event.type] ?? 0) + 1;
  };
  toPublish.forEach(({ index, event }, position) => {
    const publication = publications[position] ?? { status: 'failed', errorCode: 'NoResult', retryable: true };
    if (publication.status === 'stored') count(event);
    else {
      rejected.push({
        index,
        eventId: event.eventId,
        reason: `Not stored (${publication.errorCode})${publication.retryable ? '; send it again later' : ''}`,
        retryable: publication.retryable,
      });
    }
  });
  let duplicates = 0;
  for (const [index, position] of duplicateOf) {
    const first = toPublish[position]!;
    const publication = publications[position];
    if (publication?.status === 'stored') {
      count(first.event);
      duplicates += 1;
    } else {
      rejected.push({
        index,
        eventId: first.event.eventId,
        reason: `Repeats event ${first.index}, which was not stored`,
        retryable: publication?.retryable ?? true,
      });
    }
  }

  rejected.sort((a, b) => a.index - b.index);
  return { accepted, duplicates, rejected, acceptedTypes };
}

function windowProblem(occurredAt: number, serverTime: number, window: EventWindow): string | undefined {
  if (occurredAt > serverTime + window.maxFutureMs) {
    return `occurredAt is more than ${describeDuration(window.maxFutureMs)} in the future; check the device clock`;
  }
  if (occurredAt < serverTime - window.maxAgeMs) {
    return `occurredAt is more than ${describeDuration(window.maxAgeMs)} in the past; events that old are not accepted`;
  }
  return undefined;
}

function describeDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return `Invalid event: ${issues.join('; ')}`;
}

/** The eventId of an invalid event, when it is a string short enough to echo back (the schema allows 64). */
function readableEventId(input: unknown): { eventId?: string } {
  if (typeof input !== 'object' || input === null || !('eventId' in input)) return {};
  const { eventId } = input;
  return typeof eventId === 'string' && eventId.length > 0 && eventId.length <= 64 ? { eventId } : {};
}
