/**
 * The warehouse's ETL and every named query, run by DuckDB over a small lake whose answers were computed by hand
 * (the lake, its deletion log and the answers: tests/support/warehouse-lake.ts; the same lake goes through the
 * synthesised state machine in local/tests/warehouse-named-queries.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse, plainLakeFolder } from '../../src/warehouse/duckdb-runner';
import { answers, ctrBrief, deletedReader, folderS3, writeWarehouseLake } from '../support/warehouse-lake';

describe('the warehouse on DuckDB', () => {
  let dir: string;
  let warehouse: DuckDbWarehouse;
  const lakeDir = () => path.join(dir, 'lake');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-warehouse-'));
    await writeWarehouseLake(folderS3(lakeDir()), 'lake');
    warehouse = await DuckDbWarehouse.open({ lake: plainLakeFolder(lakeDir()), warehouseDir: path.join(dir, 'wh') });
  });

  afterAll(async () => {
    warehouse?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the facts, each event and listed book once', async () => {
    // Act
    const report = await warehouse.runEtl();

    // Assess
    expect(report.rows).toEqual(answers.etlRows);
    const days = await warehouse.select('SELECT dt, count(*) AS n FROM interactions GROUP BY dt ORDER BY dt');
    expect(days.map((row) => row.dt)).toEqual(answers.interactionDays);
  });

  it('leaves a deleted reader out of every fact, while the raw objects stay', async () => {
    // Act
    const [raw] = await warehouse.select(
      `SELECT (SELECT count(*) FROM raw_events WHERE reader_id = 'r4') AS events,
        (SELECT count(*) FROM raw_recommendations WHERE reader_id = 'r4') AS list_rows,
        (SELECT count(*) FROM raw_deletions WHERE reader_id = 'r4') AS requests`,
    );
    const facts = await warehouse.select(
      `SELECT 'interactions' AS fact, count(*) AS n FROM interactions WHERE reader_id = 'r4'
        UNION ALL SELECT 'recommendations_served', count(*) FROM recommendations_served WHERE reader_id = 'r4'
        UNION ALL SELECT 'outcomes', count(*) FROM outcomes WHERE reader_id = 'r4'`,
    );

    // Assess
    expect(raw).toEqual({ events: deletedReader.rawEvents, list_rows: deletedReader.rawListRows, requests: 1 });
    expect(facts.map((row) => row.n)).toEqual([0, 0, 0]);
  });

  it('credits outcomes within the attribution window only', async () => {
    // Act
    const rows = await warehouse.select(
      'SELECT impression_id, clicked, opened, borrowed, finished, rated FROM outcomes ORDER BY impression_id',
    );

    // Assess
    const byId = Object.fromEntries(rows.map(({ impression_id, ...rest }) => [impression_id, rest]));
    for (const [impression, expected] of Object.entries(answers.outcomes)) {
      expect(byId[impression]).toEqual(expected);
    }
  });

  it('ctr-by-model: click-through and conversion by model version, day and position', async () => {
    const rows = await warehouse.query('ctr-by-model');

    expect(rows.map(ctrBrief)).toEqual(answers.ctrByModel);
  });

  it('coverage: share of the catalogue recommended and Gini concentration', async () => {
    expect(await warehouse.query('coverage')).toEqual(answers.coverage);
  });

  it('coverage-by-subject: share of each subject recommended, withdrawn books left out', async () => {
    expect(await warehouse.query('coverage-by-subject')).toEqual(answers.coverageBySubject);
  });

  it('fallback-share: lists a fallback made, by day', async () => {
    expect(await warehouse.query('fallback-share')).toEqual(answers.fallbackShare);
  });

  it('retention: readers active again N days after their first day', async () => {
    expect(await warehouse.query('retention')).toEqual(answers.retention.days7);
    expect(await warehouse.query('retention', { retention_days: 3 })).toEqual(answers.retention.days3);
  });

  it('ab-compare: CTR difference of two versions with a 95 % confidence interval', async () => {
    const [row] = await warehouse.query('ab-compare', { model_a: 'v1', model_b: 'v2' });

    expect(row).toMatchObject(answers.abCompare.a);
    expect(row).toMatchObject(answers.abCompare.b);
    expect(row!.ctr_difference).toBeCloseTo(answers.abCompare.ctrDifference, 10);
    expect(row!.ci_low).toBeCloseTo(answers.abCompare.ciLow, 6);
    expect(row!.ci_high).toBeCloseTo(answers.abCompare.ciHigh, 6);
  });

  it('credits nothing when the attribution window is shorter than every borrow delay', async () => {
    const short = await DuckDbWarehouse.open({
      lake: plainLakeFolder(lakeDir()),
      warehouseDir: path.join(dir, 'wh-short'),
      etl: { attribution_days: 1 },
    });
    try {
      await short.runEtl();
      const [row] = await short.select('SELECT sum(borrowed) AS borrowed, sum(clicked) AS clicked FROM outcomes');
      expect(row).toEqual(answers.oneDayWindow);
    } finally {
      short.close();
    }
  });
});
