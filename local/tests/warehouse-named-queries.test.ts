/**
 * The synthesised `warehouse-etl` state machine, run locally (aws-local-stepfunctions, Athena's statements run by
 * DuckDB) over a lake in the local S3 emulator whose answers were computed by hand, then every named query over the
 * facts it built. The lake, its deletion log (one reader deleted their history) and the answers are those of the
 * DuckDB test: lambdas/tests/support/warehouse-lake.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import { DuckDbWarehouse, localS3LakeFolder } from '@shelfwise/lambdas/warehouse/duckdb-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_NAMES } from '../../cdk/src/pipelines-stack';
import { answers, ctrBrief, deletedReader, writeWarehouseLake } from '../../lambdas/tests/support/warehouse-lake';
import { synthesizedTemplates } from '../src/pipelines/definitions';
import { runPipeline, type PipelineRun } from '../src/pipelines/run-pipeline';
import { startLocalServices, type LocalServices } from '../src/pipelines/services';

describe('warehouse-etl (synthesised state machine) and every named query', () => {
  let dataDir: string;
  let services: LocalServices;
  let warehouse: DuckDbWarehouse;
  let run: PipelineRun;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-named-queries-'));
    services = await startLocalServices(dataDir);
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: services.environment.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      await writeWarehouseLake(s3, buckets.lake.localName);
    } finally {
      s3.destroy();
    }
    const templates = synthesizedTemplates();

    run = await runPipeline('etl', { templates, dataDir, environment: services.environment });

    warehouse = await DuckDbWarehouse.open({
      lake: localS3LakeFolder(path.join(dataDir, 's3'), buckets.lake.localName),
      warehouseDir: path.join(dataDir, 'warehouse'),
    });
  }, 180_000);

  afterAll(async () => {
    warehouse?.close();
    await services?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('builds every fact in order, each event and listed book once', async () => {
    expect(run.error).toBeUndefined();
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual([
      ...Object.keys(answers.etlRows).flatMap((fact) => [STATE_NAMES.etlClear(fact), STATE_NAMES.etlStep(fact)]),
      'Done',
    ]);
    const counts = await warehouse.select(
      `SELECT 'interactions' AS fact, count(*) AS n FROM interactions
        UNION ALL SELECT 'recommendations_served', count(*) FROM recommendations_served
        UNION ALL SELECT 'outcomes', count(*) FROM outcomes`,
    );
    expect(Object.fromEntries(counts.map((row) => [row.fact, row.n]))).toEqual(answers.etlRows);
    const days = await warehouse.select('SELECT DISTINCT dt FROM interactions ORDER BY dt');
    expect(days.map((row) => row.dt)).toEqual(answers.interactionDays);
  });

  it('leaves the deleted reader out of every fact, while the raw objects in the lake stay', async () => {
    const [raw] = await warehouse.select(
      `SELECT (SELECT count(*) FROM raw_events WHERE reader_id = 'r4') AS events,
        (SELECT count(*) FROM raw_recommendations WHERE reader_id = 'r4') AS list_rows`,
    );
    const facts = await warehouse.select(
      `SELECT count(*) AS n FROM interactions WHERE reader_id = 'r4'
        UNION ALL SELECT count(*) FROM recommendations_served WHERE reader_id = 'r4'
        UNION ALL SELECT count(*) FROM outcomes WHERE reader_id = 'r4'`,
    );

    expect(raw).toEqual({ events: deletedReader.rawEvents, list_rows: deletedReader.rawListRows });
    expect(facts.map((row) => row.n)).toEqual([0, 0, 0]);
  });

  it('credits outcomes within the attribution window only', async () => {
    const rows = await warehouse.select(
      'SELECT impression_id, clicked, opened, borrowed, finished, rated FROM outcomes ORDER BY impression_id',
    );

    const byId = Object.fromEntries(rows.map(({ impression_id, ...rest }) => [impression_id, rest]));
    for (const [impression, expected] of Object.entries(answers.outcomes)) {
      expect(byId[impression]).toEqual(expected);
    }
  });

  it('ctr-by-model', async () => {
    expect((await warehouse.query('ctr-by-model')).map(ctrBrief)).toEqual(answers.ctrByModel);
  });

  it('coverage', async () => {
    expect(await warehouse.query('coverage')).toEqual(answers.coverage);
  });

  it('coverage-by-subject', async () => {
    expect(await warehouse.query('coverage-by-subject')).toEqual(answers.coverageBySubject);
  });

  it('fallback-share', async () => {
    expect(await warehouse.query('fallback-share')).toEqual(answers.fallbackShare);
  });

  it('retention (7 days, and 3)', async () => {
    expect(await warehouse.query('retention')).toEqual(answers.retention.days7);
    expect(await warehouse.query('retention', { retention_days: 3 })).toEqual(answers.retention.days3);
  });

  it('ab-compare', async () => {
    const [row] = await warehouse.query('ab-compare', { model_a: 'v1', model_b: 'v2' });

    expect(row).toMatchObject(answers.abCompare.a);
    expect(row).toMatchObject(answers.abCompare.b);
    expect(row!.ctr_difference).toBeCloseTo(answers.abCompare.ctrDifference, 10);
    expect(row!.ci_low).toBeCloseTo(answers.abCompare.ciLow, 6);
    expect(row!.ci_high).toBeCloseTo(answers.abCompare.ciHigh, 6);
  });
});
