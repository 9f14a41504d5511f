/**
 * A small lake whose warehouse answers were computed by hand, shared by the test of the ETL on DuckDB
 * (lambdas/tests/integration/warehouse-duckdb.test.ts) and the test of the synthesised `warehouse-etl` state machine
 * (local/tests/warehouse-named-queries.test.ts): the raw objects, the catalogue snapshot, the deletion log, and every
 * named query's answer.
 *
 * The lake (attribution window 7 days; books 101–110 in dim_book; positions 0-based):
 *
 *   list  reader  model     strategy  made (UTC)         books
 *   L1    r1      v1        policy    03-02 09:00        101, 102      (archived twice)
 *   L2    r2      v2        policy    03-02 10:00        101, 103
 *   L3    r3      fallback  popular   03-02 11:00        101, 102
 *   L6    r2      v2        policy    03-02 14:59        106
 *   L4    r1      v2        policy    03-03 09:00        104, 101
 *   L5    r3      fallback  similar   03-03 12:00        105, 101
 *   L7    r4      v2        policy    03-02 16:00        107           (r4 deleted: never in a fact)
 *   L8    r4      fallback  popular   03-01 12:00        108           (r4 deleted: never in a fact)
 *
 * (L1/101@0: book 101 at position 0 of list L1)
 *
 *   r1  e1 impression L1/101@0 03-02 09:01 (delivered twice)  e2 impression L1/102@1 09:01  e3 click L1/101 09:02
 *       e4 borrow 101 03-05 10:00  e5 impression L4/104@0 03-03 09:01  e6 impression L4/101@1 09:01
 *       e7 click L4/104 09:05  e8 borrow 104 03-11 09:00 (8 days after e5: outside the window)
 *   r2  e9 impression L2/101@0 03-02 10:01  e10 impression L2/103@1 10:01  e11 click L2/103 10:02  e12 open 103 10:03
 *       e13 finish 103 03-06 00:00 (sent as 02:00+02:00)  e14 rate 103 00:01
 *       e21 impression L6/106@0 03-02 15:00  e22 click L6/106 15:01
 *   r3  e17 borrow 102 03-02 10:00 (before its impression: not credited)  e15 impression L3/101@0 11:01
 *       e16 impression L3/102@1 11:01  e18 impression L5/105@0 03-03 12:01  e19 click L5/105 12:02
 *       e20 search 03-09 00:30 (sent as 03-08 23:30-01:00)
 *   r4  e26 search 03-01 12:00  e23 impression L7/107@0 03-02 16:01  e24 click L7/107 16:02  e25 borrow 107 03-03 10:00
 *
 * The deletion log: r4 deleted their history on 03-12 00:00, after all of the above. Each of r4's rows would change
 * every answer below (a 03-01 cohort and list day, a third v2 impression on 03-02 at position 0 with a click and a
 * borrow, books 107 and 108 recommended), so the answers being the same as without r4 shows r4 left out everywhere.
 *
 * The catalogue (dim_book): subjects 101 Fiction + Science fiction, 102 Fiction, 103 Fantasy + Fiction,
 * 104 History, 105 History, 106 Fiction, 107 Science fiction, 108 Fantasy, 109 History (withdrawn), 110 Poetry.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3DeletionLog } from '../../src/identity/adapters/s3-deletion-log';
import type { DeletionRequest } from '../../src/identity/ports';
import { readerEventSchema, type ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { RecommendationList, Strategy } from '../../src/recommendations/domain/recommendation';
import { HyparquetDimBookParquet } from '../../src/warehouse/adapters/hyparquet-dim-book-parquet';
import { S3LakeObjectWriter } from '../../src/warehouse/adapters/s3-lake-object-writer';
import { S3ServedRecommendationsArchive } from '../../src/warehouse/adapters/s3-served-recommendations-archive';
import type { DimBookRow } from '../../src/warehouse/domain/dim-book';
import type { Row } from '../../src/warehouse/duckdb-runner';
import { groupByPartition, rawObjectKey, toNdjson } from '../../src/warehouse/lake-layout';
import { exportDimBook } from '../../src/warehouse/use-cases/export-dim-book';

function list(id: string, readerId: string, modelVersion: string, strategy: Strategy, at: string, books: string[]) {
  return {
    recommendationId: id,
    readerId,
    modelVersion,
    strategy,
    generatedAt: `2026-03-${at}Z`,
    items: books.map((bookId, rank) => ({ bookId, score: 1 - rank / 10, reason: { kind: 'popular' } })),
  } satisfies RecommendationList;
}

export const lists: readonly RecommendationList[] = [
  list('L1', 'r1', 'v1', 'policy', '02T09:00:00', ['101', '102']),
  list('L1', 'r1', 'v1', 'policy', '02T09:00:00', ['101', '102']),
  list('L2', 'r2', 'v2', 'policy', '02T10:00:00', ['101', '103']),
  list('L3', 'r3', 'fallback', 'popular', '02T11:00:00', ['101', '102']),
  list('L6', 'r2', 'v2', 'policy', '02T14:59:00', ['106']),
  list('L4', 'r1', 'v2', 'policy', '03T09:00:00', ['104', '101']),
  list('L5', 'r3', 'fallback', 'similar', '03T12:00:00', ['105', '101']),
  list('L7', 'r4', 'v2', 'policy', '02T16:00:00', ['107']),
  list('L8', 'r4', 'fallback', 'popular', '01T12:00:00', ['108']),
];

/** `02T09:01:00` is 2026-03-02 09:01 UTC; a time may carry its own offset (`06T02:00:00+02:00`). */
const t = (at: string) => `2026-03-${at}${/[+-]\d\d:\d\d$/.test(at) ? '' : 'Z'}`;
const eventId = (n: number) => `event-${String(n).padStart(2, '0')}`;
const versions = Object.fromEntries(lists.map((served) => [served.recommendationId, served.modelVersion]));
/** An impression or click of the book at `position` of list `rec`. */
const shown = (
  type: 'impression' | 'click',
  n: number,
  readerId: string,
  at: string,
  rec: string,
  position: number,
  bookId: string,
): ReaderEvent => ({
  eventId: eventId(n),
  readerId,
  type,
  occurredAt: t(at),
  bookId,
  recommendationId: rec,
  position,
  modelVersion: versions[rec]!,
});

const acted = (n: number, readerId: string, type: 'open' | 'borrow' | 'finish', at: string, bookId: string) =>
  ({ eventId: eventId(n), readerId, type, occurredAt: t(at), bookId }) satisfies ReaderEvent;

/** Every raw event line, duplicates included, in the order they are archived. */
export const events: readonly ReaderEvent[] = [
  shown('impression', 1, 'r1', '02T09:01:00', 'L1', 0, '101'),
  shown('impression', 1, 'r1', '02T09:01:00', 'L1', 0, '101'),
  shown('impression', 2, 'r1', '02T09:01:00', 'L1', 1, '102'),
  shown('click', 3, 'r1', '02T09:02:00', 'L1', 0, '101'),
  acted(4, 'r1', 'borrow', '05T10:00:00', '101'),
  shown('impression', 5, 'r1', '03T09:01:00', 'L4', 0, '104'),
  shown('impression', 6, 'r1', '03T09:01:00', 'L4', 1, '101'),
  shown('click', 7, 'r1', '03T09:05:00', 'L4', 0, '104'),
  acted(8, 'r1', 'borrow', '11T09:00:00', '104'),
  shown('impression', 9, 'r2', '02T10:01:00', 'L2', 0, '101'),
  shown('impression', 10, 'r2', '02T10:01:00', 'L2', 1, '103'),
  shown('click', 11, 'r2', '02T10:02:00', 'L2', 1, '103'),
  acted(12, 'r2', 'open', '02T10:03:00', '103'),
  acted(13, 'r2', 'finish', '06T02:00:00+02:00', '103'),
  { eventId: eventId(14), readerId: 'r2', type: 'rate', occurredAt: t('06T00:01:00'), bookId: '103', rating: 5 },
  shown('impression', 21, 'r2', '02T15:00:00', 'L6', 0, '106'),
  shown('click', 22, 'r2', '02T15:01:00', 'L6', 0, '106'),
  acted(17, 'r3', 'borrow', '02T10:00:00', '102'),
  shown('impression', 15, 'r3', '02T11:01:00', 'L3', 0, '101'),
  shown('impression', 16, 'r3', '02T11:01:00', 'L3', 1, '102'),
  shown('impression', 18, 'r3', '03T12:01:00', 'L5', 0, '105'),
  shown('click', 19, 'r3', '03T12:02:00', 'L5', 0, '105'),
  { eventId: eventId(20), readerId: 'r3', type: 'search', occurredAt: t('08T23:30:00-01:00'), query: 'dune' },
  { eventId: eventId(26), readerId: 'r4', type: 'search', occurredAt: t('01T12:00:00'), query: 'robots' },
  shown('impression', 23, 'r4', '02T16:01:00', 'L7', 0, '107'),
  shown('click', 24, 'r4', '02T16:02:00', 'L7', 0, '107'),
  acted(25, 'r4', 'borrow', '03T10:00:00', '107'),
].map((event) => readerEventSchema.parse(event));

/** The deletion log, as the reader-data API writes it. */
export const deletionRequests: readonly DeletionRequest[] = [
  { readerId: 'r4', requestedAt: '2026-03-12T00:00:00.000Z', reason: 'delete' },
];

/** The reader whose history was deleted, and how many of their rows the raw objects keep. */
export const deletedReader = { readerId: 'r4', rawEvents: 4, rawListRows: 2 } as const;

const subjects: Record<string, string[]> = {
  '101': ['Fiction', 'Science fiction'],
  '102': ['Fiction'],
  '103': ['Fantasy', 'Fiction'],
  '104': ['History'],
  '105': ['History'],
  '106': ['Fiction'],
  '107': ['Science fiction'],
  '108': ['Fantasy'],
  '109': ['History'],
  '110': ['Poetry'],
};

export const books: readonly DimBookRow[] = Object.entries(subjects).map(([bookId, bookSubjects]) => ({
  book_id: bookId,
  work_id: null,
  library: 'main',
  title: `Book ${bookId}`,
  authors: [],
  subjects: bookSubjects,
  languages: ['eng'],
  pub_year: null,
  withdrawn: bookId === '109',
  added_at: '2026-02-01T00:00:00.000Z',
  modified_at: '2026-02-01T00:00:00.000Z',
}));

/** An S3 client that writes each PutObject into a folder at its key (the lake as plain files). */
export function folderS3(root: string): S3Client {
  return {
    send: async (command: PutObjectCommand) => {
      const file = path.join(root, command.input.Key!);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, command.input.Body as string | Uint8Array);
      return {};
    },
  } as unknown as S3Client;
}

/**
 * Writes the lake into `bucket` as its writers do: served lists through the archive adapter, events as the
 * archiver writes them (arrival hour = event hour), the catalogue through the dim_book export, the deletion log
 * through the reader-data API's adapter.
 */
export async function writeWarehouseLake(s3: S3Client, bucket: string): Promise<void> {
  let id = 0;
  const archive = new S3ServedRecommendationsArchive(s3, bucket, () => `part${++id}`);
  for (const served of lists) await archive.archive([served]);
  const lake = new S3LakeObjectWriter(s3, bucket);
  for (const group of groupByPartition(events, (event) => new Date(event.occurredAt))) {
    await lake.put(rawObjectKey('events', group.firstAt, `part${++id}`), toNdjson(group.items), 'application/json');
  }
  await exportDimBook({
    catalogue: { readBooks: async () => [...books] },
    parquet: new HyparquetDimBookParquet(),
    lake,
    now: () => new Date('2026-03-01T00:00:00Z'),
  });
  const deletionLog = new S3DeletionLog(s3, bucket);
  for (const request of deletionRequests) await deletionLog.append(request);
}

/** ctr-by-model's row, briefly: version, day, position, impressions, clicks, ctr, conversions, conversion rate. */
export function ctrBrief(row: Row): unknown[] {
  return [
    row.model_version,
    row.impression_day,
    row.position,
    row.impressions,
    row.clicks,
    row.ctr,
    row.conversions,
    row.conversion_rate,
  ];
}

/** The hand-computed answers. */
export const answers = {
  /** 23 r1–r3 event lines − 1 duplicate (e1) = 22; 13 r1–r3 list rows − 2 of L1's second copy = 11; 10 impressions. */
  etlRows: { interactions: 22, recommendations_served: 11, outcomes: 10 },
  /** e20 happened on 03-09 in UTC (03-08 on the reader's clock); e13 on 03-06. */
  interactionDays: ['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06', '2026-03-09', '2026-03-11'],
  outcomes: {
    // e1: clicked (e3), borrowed 3 days later (e4). e6: same borrow, 2 days after it; its click e3 was another list's.
    'event-01': { clicked: 1, opened: 0, borrowed: 1, finished: 0, rated: 0 },
    'event-06': { clicked: 0, opened: 0, borrowed: 1, finished: 0, rated: 0 },
    // e5: clicked (e7); the borrow e8 came 7 days 23 h 59 min later: outside [impression, impression + 7 days).
    'event-05': { clicked: 1, opened: 0, borrowed: 0, finished: 0, rated: 0 },
    // e10: clicked, opened, finished and rated within the window.
    'event-10': { clicked: 1, opened: 1, borrowed: 0, finished: 1, rated: 1 },
    // e16: r3 borrowed 102 an hour BEFORE the impression.
    'event-16': { clicked: 0, opened: 0, borrowed: 0, finished: 0, rated: 0 },
  },
  ctrByModel: [
    ['fallback', '2026-03-02', 0, 1, 0, 0, 0, 0], // e15
    ['fallback', '2026-03-02', 1, 1, 0, 0, 0, 0], // e16
    ['fallback', '2026-03-03', 0, 1, 1, 1, 0, 0], // e18 clicked (e19)
    ['v1', '2026-03-02', 0, 1, 1, 1, 1, 1], // e1 clicked and borrowed
    ['v1', '2026-03-02', 1, 1, 0, 0, 0, 0], // e2
    ['v2', '2026-03-02', 0, 2, 1, 0.5, 0, 0], // e9, e21 (clicked: e22): 1 / 2 (r4's e23 left out)
    ['v2', '2026-03-02', 1, 1, 1, 1, 0, 0], // e10 clicked
    ['v2', '2026-03-03', 0, 1, 1, 1, 0, 0], // e5 clicked, borrow too late
    ['v2', '2026-03-03', 1, 1, 0, 0, 1, 1], // e6 borrowed
  ],
  // n = 10 books; gini = Σ (2i − n − 1)·x(i) / (n·Σx) over counts sorted ascending (i = 1…10).
  // fallback: 101×2, 102×1, 105×1 → (2·8−11)·1 + (2·9−11)·1 + (2·10−11)·2 = 5 + 7 + 18 = 30; 30 / (10·4) = 0.75
  // v1: 101×1, 102×1 → 7·1 + 9·1 = 16; 16 / (10·2) = 0.8
  // v2: 101×2 (L2, L4), 103, 104, 106 ×1 → 3 + 5 + 7 + 9·2 = 33; 33 / (10·5) = 0.66
  coverage: [
    {
      model_version: 'fallback',
      catalogue_books: 10,
      recommended_books: 3,
      coverage: 0.3,
      recommendations: 4,
      gini: 0.75,
    },
    { model_version: 'v1', catalogue_books: 10, recommended_books: 2, coverage: 0.2, recommendations: 2, gini: 0.8 },
    { model_version: 'v2', catalogue_books: 10, recommended_books: 4, coverage: 0.4, recommendations: 5, gini: 0.66 },
  ],
  // Books of each subject, not withdrawn: Fantasy 103, 108; Fiction 101, 102, 103, 106; History 104, 105 (109
  // withdrawn); Poetry 110; Science fiction 101, 107. Recommended: fallback 101, 102, 105; v1 101, 102;
  // v2 101, 103, 104, 106 (r4's 107 and 108 left out).
  coverageBySubject: [
    ['fallback', 'Fantasy', 2, 0, 0],
    ['fallback', 'Fiction', 4, 2, 0.5],
    ['fallback', 'History', 2, 1, 0.5],
    ['fallback', 'Poetry', 1, 0, 0],
    ['fallback', 'Science fiction', 2, 1, 0.5],
    ['v1', 'Fantasy', 2, 0, 0],
    ['v1', 'Fiction', 4, 2, 0.5],
    ['v1', 'History', 2, 0, 0],
    ['v1', 'Poetry', 1, 0, 0],
    ['v1', 'Science fiction', 2, 1, 0.5],
    ['v2', 'Fantasy', 2, 1, 0.5],
    ['v2', 'Fiction', 4, 3, 0.75],
    ['v2', 'History', 2, 1, 0.5],
    ['v2', 'Poetry', 1, 0, 0],
    ['v2', 'Science fiction', 2, 1, 0.5],
  ].map(([model_version, subject, catalogue_books, recommended_books, coverage]) => ({
    model_version,
    subject,
    catalogue_books,
    recommended_books,
    coverage,
  })),
  fallbackShare: [
    // 03-02: L1, L2, L6 (policy), L3 (popular) → 1 / 4
    { list_day: '2026-03-02', lists: 4, fallback_lists: 1, similar_lists: 0, popular_lists: 1, fallback_share: 0.25 },
    // 03-03: L4 (policy), L5 (similar) → 1 / 2
    { list_day: '2026-03-03', lists: 2, fallback_lists: 1, similar_lists: 1, popular_lists: 0, fallback_share: 0.5 },
  ],
  retention: {
    // All three first seen 03-02. 7 days → on or after 03-09: r1 (03-11), r3 (03-09 UTC); not r2 (last 03-06).
    days7: [{ cohort_day: '2026-03-02', readers: 3, retained: 2, retention: 2 / 3 }],
    // 3 days → on or after 03-05: r2 (03-06) too.
    days3: [{ cohort_day: '2026-03-02', readers: 3, retained: 3, retention: 1 }],
  },
  // A = v1: e1, e2 → 1 click / 2 = 0.5. B = v2: e5, e6, e9, e10, e21 → 3 clicks (e5, e10, e21) / 5 = 0.6.
  // diff = 0.1; margin = 1.96 · sqrt(0.5·0.5/2 + 0.6·0.4/5) = 1.96 · sqrt(0.125 + 0.048) = 1.96 · 0.415933 = 0.815228
  abCompare: {
    a: { model_a: 'v1', impressions_a: 2, clicks_a: 1, ctr_a: 0.5 },
    b: { model_b: 'v2', impressions_b: 5, clicks_b: 3, ctr_b: 0.6 },
    ctrDifference: 0.1,
    ciLow: -0.715228,
    ciHigh: 0.915228,
  },
  /** Attribution window of 1 day: the borrows came 3 (e1) and 2 (e6) days after their impressions. */
  oneDayWindow: { borrowed: 0, clicked: 5 },
} as const;
