/**
 * The deletion log applied by the ETL (DuckDB over plain files; the same SQL as Athena): merges re-key an anonymous
 * reader's rows to the account, deletions remove a reader's rows up to the request, the raw objects stay.
 *
 * The lake, all on 2026-03-02 unless said (UTC; e<n> is event `event-0n`; the deletion log written by the
 * reader-data API's adapter):
 *
 *   reader   log                                      events (e<n> type time)               lists
 *   anon-a   merge into acct-a 12:00                  e1 impression M1/201@0 09:01,         M1 (v1) 201, 09:00
 *                                                     e2 click M1/201 09:02, e4 open 13:00
 *   acct-a   —                                        e3 borrow 201 03-03 10:00
 *   anon-b   merge into acct-b 10:00, acct-c 14:00    e5 open 09:00, e6 open 11:00, e7 open 15:00
 *   r-del    delete 12:00                             e8 open 11:00, e9 open 12:00, e10 open 13:00  M2 11:30, M3 12:30
 *   anon-d   delete 10:00, then merge into acct-d 12:00   e11 open 09:00, e12 open 11:00
 *   anon-e   merge into acct-e 10:00                  e13 open 09:00
 *   acct-e   delete 12:00                             e14 open 11:00, e15 open 13:00
 *
 * Hand-computed: e1, e2 → acct-a (before the merge), e4 stays anon-a (after it), so acct-a's impression e1 is
 * credited with acct-a's borrow e3 (without the merge: not). e5 → acct-b, e6 → acct-c (each merge takes the rows
 * since the previous one), e7 stays anon-b. e8, e9 (a deletion includes its own second) and list M2 are gone; e10
 * and M3 (after it) stay. e11 is gone (deleted under the anonymous id, though it merged later); e12 → acct-d.
 * e13 → acct-e, then deleted with e14 by acct-e's deletion; e15 stays.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DeletionLog } from '../../src/identity/adapters/s3-deletion-log';
import type { DeletionRequest } from '../../src/identity/ports';
import { readerEventSchema, type ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { RecommendationList } from '../../src/recommendations/domain/recommendation';
import { S3LakeObjectWriter } from '../../src/warehouse/adapters/s3-lake-object-writer';
import { S3ServedRecommendationsArchive } from '../../src/warehouse/adapters/s3-served-recommendations-archive';
import { DuckDbWarehouse, plainLakeFolder } from '../../src/warehouse/duckdb-runner';
import { groupByPartition, rawObjectKey, toNdjson } from '../../src/warehouse/lake-layout';
import { folderS3 } from '../support/warehouse-lake';

/** e<n> is event id `event-0n` (ids have at least 8 characters). */
const id = (n: number) => `event-${String(n).padStart(2, '0')}`;
const at = (time: string) => `2026-03-${time.includes('T') ? time : `02T${time}`}:00.000Z`;

const opened = (n: number, readerId: string, time: string): ReaderEvent => ({
  eventId: id(n),
  readerId,
  type: 'open',
  occurredAt: at(time),
  bookId: '201',
});

const served = (id: string, readerId: string, time: string): RecommendationList => ({
  recommendationId: id,
  readerId,
  modelVersion: 'v1',
  strategy: 'policy',
  generatedAt: at(time),
  items: [{ bookId: '201', score: 1, reason: { kind: 'popular' } }],
});

const shownM1 = { bookId: '201', recommendationId: 'M1', position: 0, modelVersion: 'v1' } as const;

const events: ReaderEvent[] = [
  { eventId: id(1), readerId: 'anon-a', type: 'impression', occurredAt: at('09:01'), ...shownM1 },
  { eventId: id(2), readerId: 'anon-a', type: 'click', occurredAt: at('09:02'), ...shownM1 },
  { eventId: id(3), readerId: 'acct-a', type: 'borrow', occurredAt: at('03T10:00'), bookId: '201' },
  opened(4, 'anon-a', '13:00'),
  opened(5, 'anon-b', '09:00'),
  opened(6, 'anon-b', '11:00'),
  opened(7, 'anon-b', '15:00'),
  opened(8, 'r-del', '11:00'),
  opened(9, 'r-del', '12:00'),
  opened(10, 'r-del', '13:00'),
  opened(11, 'anon-d', '09:00'),
  opened(12, 'anon-d', '11:00'),
  opened(13, 'anon-e', '09:00'),
  opened(14, 'acct-e', '11:00'),
  opened(15, 'acct-e', '13:00'),
].map((event) => readerEventSchema.parse(event));

const lists = [served('M1', 'anon-a', '09:00'), served('M2', 'r-del', '11:30'), served('M3', 'r-del', '12:30')];

const merge = (readerId: string, mergedInto: string, time: string): DeletionRequest => ({
  readerId,
  requestedAt: at(time),
  reason: 'merge',
  mergedInto,
});
const deletion = (readerId: string, time: string): DeletionRequest => ({
  readerId,
  requestedAt: at(time),
  reason: 'delete',
});

const log: DeletionRequest[] = [
  merge('anon-a', 'acct-a', '12:00'),
  merge('anon-b', 'acct-b', '10:00'),
  merge('anon-b', 'acct-c', '14:00'),
  deletion('r-del', '12:00'),
  deletion('anon-d', '10:00'),
  merge('anon-d', 'acct-d', '12:00'),
  merge('anon-e', 'acct-e', '10:00'),
  deletion('acct-e', '12:00'),
];

describe('the deletion log in the warehouse ETL', () => {
  let dir: string;
  let warehouse: DuckDbWarehouse;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-deletions-'));
    const s3 = folderS3(path.join(dir, 'lake'));
    await new S3ServedRecommendationsArchive(s3, 'lake').archive(lists);
    const lake = new S3LakeObjectWriter(s3, 'lake');
    for (const [i, group] of groupByPartition(events, (event) => new Date(event.occurredAt)).entries()) {
      await lake.put(rawObjectKey('events', group.firstAt, `part${i}`), toNdjson(group.items), 'application/json');
    }
    const deletionLog = new S3DeletionLog(s3, 'lake');
    for (const request of log) await deletionLog.append(request);
    warehouse = await DuckDbWarehouse.open({
      lake: plainLakeFolder(path.join(dir, 'lake')),
      warehouseDir: path.join(dir, 'wh'),
    });
    await warehouse.runEtl();
  });

  afterAll(async () => {
    warehouse?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('attributes merged rows to the account and leaves deleted rows out of interactions', async () => {
    // Act
    const rows = await warehouse.select('SELECT event_id, reader_id FROM interactions ORDER BY occurred_at, event_id');

    // Assess
    expect(rows.map((row) => [row.event_id, row.reader_id])).toEqual([
      [id(5), 'acct-b'],
      [id(1), 'acct-a'],
      [id(2), 'acct-a'],
      [id(6), 'acct-c'],
      [id(12), 'acct-d'],
      [id(4), 'anon-a'],
      [id(10), 'r-del'],
      [id(15), 'acct-e'],
      [id(7), 'anon-b'],
      [id(3), 'acct-a'],
    ]);
  });

  it('moves a merged reader’s count to the account', async () => {
    // Act
    const rows = await warehouse.select(
      "SELECT reader_id, count(*) AS events FROM interactions WHERE reader_id LIKE '%-a' GROUP BY reader_id ORDER BY 1",
    );

    // Assess: e1, e2 (merged) and e3 are the account's; e4 came after the merge.
    expect(rows).toEqual([
      { reader_id: 'acct-a', events: 3 },
      { reader_id: 'anon-a', events: 1 },
    ]);
  });

  it('applies the log to the served lists the same way', async () => {
    // Act
    const rows = await warehouse.select('SELECT recommendation_id, reader_id FROM recommendations_served ORDER BY 1');

    // Assess
    expect(rows).toEqual([
      { recommendation_id: 'M1', reader_id: 'acct-a' },
      { recommendation_id: 'M3', reader_id: 'r-del' },
    ]);
  });

  it('credits an anonymous impression with what the account did after the merge', async () => {
    // Act
    const rows = await warehouse.query('ctr-by-model');

    // Assess: e1 clicked (e2) and borrowed (e3, by acct-a, which anon-a merged into).
    expect(rows).toEqual([
      {
        model_version: 'v1',
        impression_day: '2026-03-02',
        position: 0,
        impressions: 1,
        clicks: 1,
        ctr: 1,
        conversions: 1,
        conversion_rate: 1,
      },
    ]);
  });

  it('keeps the raw objects: the log changes the facts only', async () => {
    // Act
    const [raw] = await warehouse.select(
      `SELECT (SELECT count(*) FROM raw_events) AS events, (SELECT count(*) FROM raw_deletions) AS requests`,
    );

    // Assess
    expect(raw).toEqual({ events: events.length, requests: log.length });
  });
});
