/**
 * The insights API's use case over DuckDB: the shared lake of tests/support/warehouse-lake.ts, its facts built by the
 * ETL, then every insight read through `DuckDbNamedQueries` (the adapter `npm start` uses) and checked against the
 * hand-computed answers, rows typed by the insights' schemas.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbNamedQueries } from '../../src/warehouse/adapters/duckdb-named-queries';
import { DuckDbWarehouse, plainLakeFolder } from '../../src/warehouse/duckdb-runner';
import type { InsightRow } from '../../src/warehouse/domain/insights';
import { readInsight } from '../../src/warehouse/use-cases/read-insight';
import { answers, ctrBrief, folderS3, writeWarehouseLake } from '../support/warehouse-lake';

describe('insights over DuckDB', () => {
  let dir: string;
  let warehouse: DuckDbNamedQueries;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-insights-'));
    const lake = path.join(dir, 'lake');
    await writeWarehouseLake(folderS3(lake), 'lake');
    const options = { lake: plainLakeFolder(lake), warehouseDir: path.join(dir, 'wh') };
    const etl = await DuckDbWarehouse.open(options);
    try {
      await etl.runEtl();
    } finally {
      etl.close();
    }
    warehouse = new DuckDbNamedQueries(options);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers click-through and conversion by model version, day and position', async () => {
    // Act
    const insight = await readInsight({ warehouse }, 'ctr-by-model', {});

    // Assess
    expect(insight.rows.map((row) => ctrBrief(row))).toEqual(answers.ctrByModel);
  });

  it('answers coverage, fallback share and retention as computed by hand', async () => {
    // Act
    const [coverage, fallbacks, retention] = await Promise.all(
      (['coverage', 'fallback-share', 'retention'] as const).map((name) => readInsight({ warehouse }, name, {})),
    );

    // Assess
    const rounded = (coverage!.rows as InsightRow<'coverage'>[]).map((row) => ({
      ...row,
      gini: Number(row.gini?.toFixed(6)),
    }));
    expect(rounded).toEqual(answers.coverage);
    expect(fallbacks!.rows).toEqual(answers.fallbackShare);
    expect(retention!.rows).toEqual(answers.retention.days7);
  });

  it('compares two model versions with a confidence interval', async () => {
    // Act
    const insight = await readInsight({ warehouse }, 'ab-compare', { model_a: 'v1', model_b: 'v2' });

    // Assess
    const [row] = insight.rows as InsightRow<'ab-compare'>[];
    expect(row).toMatchObject({ ...answers.abCompare.a, ...answers.abCompare.b });
    expect(row!.ctr_difference).toBeCloseTo(answers.abCompare.ctrDifference, 6);
    expect(row!.ci_low).toBeCloseTo(answers.abCompare.ciLow, 5);
    expect(row!.ci_high).toBeCloseTo(answers.abCompare.ciHigh, 5);
  });

  it('answers no rows, not an error, before the ETL has run', async () => {
    // Prepare
    const empty = new DuckDbNamedQueries({
      lake: plainLakeFolder(path.join(dir, 'no-lake')),
      warehouseDir: path.join(dir, 'no-facts'),
    });

    // Act
    const insight = await readInsight({ warehouse: empty }, 'ctr-by-model', {});

    // Assess
    expect(insight.rows).toEqual([]);
  });
});
