/**
 * A seeded, generated lake for `npm run bench:warehouse`: reader events (the schema of
 * `recommendations/domain/reader-event.ts`) and the served recommendation lists they answer, written as the cloud
 * writes them, at the keys of `warehouse/lake-layout.ts`:
 *
 * - `raw/events/dt=…/hour=…/…json`: what Firehose delivers, one object per buffer (`bufferSeconds`, Firehose's
 *   default 300 s) of ARRIVAL time, split at the hour; arrival is a second or so after the event, now and then hours
 *   (a device that was offline); a small share of records is delivered twice (at least once delivery);
 * - `raw/recommendations/dt=…/hour=…/…json`: the recommender's archive of each served list (one row per listed
 *   book, `servedRows`), one object per buffer of generation time, as the recommender writes per batch.
 *
 * Readers come back in sessions. A session either opens the For-you list (a list of `listLength` books made by the
 * policy, model `v1` or `v2` by reader, or by a fallback) with impressions of the books scrolled past, clicks that
 * fall with the position, and later opens, borrows, finishes, ratings and returns of clicked books; or it browses
 * (a search, views, a list, a dismissal). Book and reader popularity are skewed. Some devices send their local time
 * with an offset. Every 997th event is checked against the event schema.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readerEventSchema, type ReaderEvent } from '../src/recommendations/domain/reader-event';
import type { RecommendationList, Strategy } from '../src/recommendations/domain/recommendation';
import { servedRows } from '../src/warehouse/domain/served-recommendations';
import { rawObjectKey, type RawDataset } from '../src/warehouse/lake-layout';

export interface GenerateOptions {
  /** Distinct reader events (duplicates delivered on top of these). */
  readonly events: number;
  readonly readers: number;
  readonly books: number;
  /** First day (UTC) and how many days the sessions span. */
  readonly start: string;
  readonly days: number;
  readonly seed: number;
  /** Books per served list. */
  readonly listLength: number;
  /** Seconds per raw object (Firehose's buffering interval). */
  readonly bufferSeconds: number;
  /** Share of records delivered twice. */
  readonly duplicateRate: number;
}

export const defaultGenerateOptions: GenerateOptions = {
  events: 1_000_000,
  readers: 20_000,
  books: 10_000,
  start: '2026-03-01',
  days: 28,
  seed: 42,
  listLength: 10,
  bufferSeconds: 300,
  duplicateRate: 0.005,
};

export interface GeneratedLake {
  /** Distinct events, and lines written (with the duplicates). */
  readonly events: number;
  readonly eventLines: number;
  readonly impressions: number;
  readonly clicks: number;
  readonly servedLists: number;
  readonly servedRows: number;
  readonly eventObjects: number;
  readonly recommendationObjects: number;
  /** Bytes of NDJSON written, per dataset. */
  readonly eventBytes: number;
  readonly recommendationBytes: number;
}

/** mulberry32: small, fast and seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** ISO 8601 at a fixed offset (minutes east of UTC), as a device on local time sends it. */
function withOffset(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, 23);
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Lines of one dataset, by buffer (object): the first arrival and the NDJSON lines. */
class Buffers {
  private readonly buffers = new Map<string, { firstAt: number; lines: string[] }>();
  lines = 0;

  constructor(private readonly bufferMs: number) {}

  add(at: number, line: string): void {
    // A buffer never spans two hours: Firehose's prefix is evaluated per record.
    const index = `${Math.floor(at / HOUR)}-${Math.floor(at / this.bufferMs)}`;
    const buffer = this.buffers.get(index);
    if (buffer) {
      buffer.lines.push(line);
      if (at < buffer.firstAt) buffer.firstAt = at;
    } else {
      this.buffers.set(index, { firstAt: at, lines: [line] });
    }
    this.lines += 1;
  }

  /** Writes one object per buffer; returns the objects and bytes written. */
  async write(root: string, dataset: RawDataset): Promise<{ objects: number; bytes: number }> {
    let bytes = 0;
    const folders = new Set<string>();
    const entries = [...this.buffers.entries()].sort(([, a], [, b]) => a.firstAt - b.firstAt);
    for (const [index, buffer] of entries) {
      const file = path.join(root, rawObjectKey(dataset, new Date(buffer.firstAt), `bench-${index}`));
      const folder = path.dirname(file);
      if (!folders.has(folder)) {
        await mkdir(folder, { recursive: true });
        folders.add(folder);
      }
      const body = buffer.lines.join('');
      bytes += Buffer.byteLength(body);
      await writeFile(file, body);
    }
    return { objects: entries.length, bytes };
  }
}

/** Generates the lake under `root` (a plain folder: key = path). */
export async function generateLake(root: string, overrides: Partial<GenerateOptions> = {}): Promise<GeneratedLake> {
  const options = { ...defaultGenerateOptions, ...overrides };
  const rand = random(options.seed);
  const pick = (n: number, skew: number) => Math.min(n - 1, Math.floor(n * rand() ** skew));
  const between = (low: number, high: number) => low + (high - low) * rand();
  const start = Date.parse(`${options.start}T00:00:00Z`);
  const bufferMs = options.bufferSeconds * 1000;
  const events = new Buffers(bufferMs);
  const served = new Buffers(bufferMs);
  // Devices on local time (minutes east of UTC), by reader; most send UTC.
  const offsets = [0, 0, 0, 0, 0, 0, 0, 60, 120, -300];

  let eventCount = 0;
  let impressions = 0;
  let clicks = 0;
  let lists = 0;
  let rows = 0;

  const emit = (event: ReaderEvent, at: number): void => {
    if (eventCount >= options.events) return;
    eventCount += 1;
    if (event.type === 'impression') impressions += 1;
    if (event.type === 'click') clicks += 1;
    if (eventCount % 997 === 1) readerEventSchema.parse(event);
    const line = `${JSON.stringify(event)}\n`;
    // Arrival: about a second later; 2 % of devices were offline for up to 6 hours.
    const arrival = at + (rand() < 0.02 ? between(MINUTE, 6 * HOUR) : between(200, 3000));
    events.add(arrival, line);
    if (rand() < options.duplicateRate) events.add(arrival + between(1000, 60_000), line);
  };

  let session = 0;
  while (eventCount < options.events) {
    session += 1;
    const reader = pick(options.readers, 2);
    const readerId = `reader-${reader}`;
    const offset = offsets[reader % offsets.length]!;
    const at = start + Math.floor(rand() * options.days * DAY);
    let seq = 0;
    const base = (type: string, when: number) => ({
      eventId: `ev-${session.toString(36).padStart(6, '0')}-${(seq++).toString(36)}`,
      readerId,
      type,
      occurredAt: withOffset(when, offset),
    });
    const book = () => String(1 + pick(options.books, 1.6));

    if (rand() < 0.7) {
      // The For-you list: made, archived, scrolled past, clicked.
      const strategyDraw = rand();
      const strategy: Strategy = strategyDraw < 0.85 ? 'policy' : strategyDraw < 0.95 ? 'popular' : 'similar';
      const modelVersion = strategy === 'policy' ? (reader % 2 === 0 ? 'v1' : 'v2') : 'fallback';
      const recommendationId = `rec-${session.toString(36)}`;
      const books = new Set<string>();
      while (books.size < options.listLength) books.add(book());
      const list: RecommendationList = {
        readerId,
        recommendationId,
        modelVersion,
        strategy,
        generatedAt: new Date(at).toISOString(),
        items: [...books].map((bookId, rank) => ({ bookId, score: 1 - rank / 100, reason: { kind: 'popular' } })),
      };
      lists += 1;
      for (const row of servedRows(list)) {
        served.add(at, `${JSON.stringify(row)}\n`);
        rows += 1;
      }
      const seen = 3 + Math.floor(rand() * (options.listLength - 2));
      const better = modelVersion === 'v2' ? 1.2 : 1;
      [...books].slice(0, seen).forEach((bookId, position) => {
        const shownAt = at + between(500, 4000);
        const shown = { bookId, recommendationId, position, modelVersion };
        emit({ ...base('impression', shownAt), ...shown } as ReaderEvent, shownAt);
        if (rand() >= (0.12 * better) / (1 + 0.25 * position)) return;
        const clickAt = shownAt + between(2000, 120_000);
        emit({ ...base('click', clickAt), ...shown } as ReaderEvent, clickAt);
        if (rand() < 0.8) emit({ ...base('view', clickAt + 500), bookId } as ReaderEvent, clickAt + 500);
        if (rand() < 0.4) {
          const openAt = clickAt + between(MINUTE, 30 * MINUTE);
          emit({ ...base('open', openAt), bookId } as ReaderEvent, openAt);
        }
        if (rand() >= 0.25) return;
        // Borrowed: usually within days (some after the 7-day window), then finished, rated, returned.
        const borrowAt = clickAt + Math.min(-Math.log(1 - rand()) * 2 * DAY, 20 * DAY);
        emit({ ...base('borrow', borrowAt), bookId } as ReaderEvent, borrowAt);
        const finishAt = borrowAt + between(DAY, 20 * DAY);
        if (rand() < 0.5) {
          emit({ ...base('finish', finishAt), bookId } as ReaderEvent, finishAt);
          if (rand() < 0.3) {
            const rating = 1 + Math.floor(rand() * 5);
            emit({ ...base('rate', finishAt + HOUR), bookId, rating } as ReaderEvent, finishAt + HOUR);
          }
        }
        if (rand() < 0.7) emit({ ...base('return', finishAt + DAY), bookId } as ReaderEvent, finishAt + DAY);
      });
    } else {
      // Browsing: a search, a few views, now and then a list or a dismissal.
      emit({ ...base('search', at), query: `query ${pick(500, 2)}` } as ReaderEvent, at);
      const views = 1 + Math.floor(rand() * 4);
      for (let v = 0; v < views; v += 1) {
        const viewAt = at + (v + 1) * between(5000, 60_000);
        const bookId = book();
        emit({ ...base('view', viewAt), bookId } as ReaderEvent, viewAt);
        const laterAt = viewAt + 1000;
        if (rand() < 0.1) emit({ ...base('add-to-list', laterAt), bookId, list: 'later' } as ReaderEvent, laterAt);
        if (rand() < 0.05) emit({ ...base('dismiss', laterAt), bookId } as ReaderEvent, laterAt);
      }
    }
  }

  const writtenEvents = await events.write(root, 'events');
  const writtenServed = await served.write(root, 'recommendations');
  return {
    events: eventCount,
    eventLines: events.lines,
    impressions,
    clicks,
    servedLists: lists,
    servedRows: rows,
    eventObjects: writtenEvents.objects,
    recommendationObjects: writtenServed.objects,
    eventBytes: writtenEvents.bytes,
    recommendationBytes: writtenServed.bytes,
  };
}
