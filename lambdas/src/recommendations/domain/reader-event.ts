/**
 * Reader events: what the web app sends to `POST /events`, what travels through the reader-events Kinesis stream
 * (one JSON record per event, partition key = reader id), what the recommender consumes and what the warehouse
 * archives. One schema for all of them.
 */
import { z } from 'zod';

/** Catalogue book id (a Postgres bigint, sent as a string). */
const bookId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a catalogue book id');

/** Anonymous ids from the web app (`anon-<uuid>`) and signed-in ids share one shape. */
export const readerIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'may hold only letters, digits and . _ : @ -');

const common = {
  /** Client-made id (a UUID in the web app); the same id sent twice is one event. */
  eventId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, _ and -'),
  readerId: readerIdSchema,
  /** When it happened, on the reader's device (ISO 8601 with offset). */
  occurredAt: z.iso.datetime({ offset: true }),
};

/** Where on the page a recommendation was shown (impressions and clicks carry it). */
const recommendation = {
  recommendationId: z.string().min(1).max(64),
  position: z.number().int().min(0).max(999),
  modelVersion: z.string().min(1).max(128),
};

export const readerEventSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('view'), bookId }).strict(),
  z.object({ ...common, type: z.literal('open'), bookId }).strict(),
  z.object({ ...common, type: z.literal('borrow'), bookId }).strict(),
  z.object({ ...common, type: z.literal('return'), bookId }).strict(),
  z.object({ ...common, type: z.literal('finish'), bookId }).strict(),
  z.object({ ...common, type: z.literal('rate'), bookId, rating: z.number().int().min(1).max(5) }).strict(),
  z.object({ ...common, type: z.literal('add-to-list'), bookId, list: z.string().min(1).max(64) }).strict(),
  z.object({ ...common, type: z.literal('dismiss'), bookId }).strict(),
  z.object({ ...common, type: z.literal('search'), query: z.string().min(1).max(500) }).strict(),
  z.object({ ...common, type: z.literal('impression'), bookId, ...recommendation }).strict(),
  z.object({ ...common, type: z.literal('click'), bookId, ...recommendation }).strict(),
]);

export type ReaderEvent = z.infer<typeof readerEventSchema>;
export type ReaderEventType = ReaderEvent['type'];
export type BookEvent = Extract<ReaderEvent, { bookId: string }>;

export const readerEventTypes = readerEventSchema.options.map((option) => option.shape.type.value);

/** Most events `POST /events` takes at once (Kinesis PutRecords takes 500 records per call). */
export const maxEventsPerBatch = 500;

/** The body of `POST /events`: events are validated one by one, so one bad event does not reject the others. */
export const eventBatchSchema = z.object({ events: z.array(z.unknown()).min(1).max(maxEventsPerBatch) }).strict();

export function isBookEvent(event: ReaderEvent): event is BookEvent {
  return 'bookId' in event;
}

/**
 * How an event enters a reader's history, in the model's event vocabulary (`manifest.eventTypes`:
 * rate, borrow, finish, dismiss, view), or null when it says nothing about the reader's taste for a book
 * (searches, impressions, returns: a return only ends a loan that the borrow already recorded).
 */
export function historyEventType(event: ReaderEvent): 'rate' | 'borrow' | 'finish' | 'dismiss' | 'view' | null {
  switch (event.type) {
    case 'view':
    case 'open':
    case 'click':
      return 'view';
    case 'borrow':
    case 'add-to-list':
      return 'borrow';
    case 'finish':
      return 'finish';
    case 'rate':
      return 'rate';
    case 'dismiss':
      return 'dismiss';
    case 'return':
    case 'search':
    case 'impression':
      return null;
  }
}

/**
 * Whether the book must never be recommended to this reader again: they borrowed, finished, rated or dismissed it,
 * or put it on a list. Books only viewed or opened are left out while they are in the recent history (the model
 * excludes its input) but may come back later.
 */
export function excludesBook(event: ReaderEvent): boolean {
  return ['borrow', 'finish', 'rate', 'dismiss', 'add-to-list', 'return'].includes(event.type);
}
