/**
 * `npm run bench:warehouse [-- --events 1000000] [--seed 42] [--profile] [--keep]`: the local ETL over a generated
 * lake (`warehouse-generate.ts`: 1,000,000 reader events and the served lists they answer, raw NDJSON by arrival
 * hour as Firehose and the recommender write them) in a temporary folder.
 *
 * Measured: `DuckDbWarehouse.runEtl()`, the same runner, SQL and DuckDB settings (one thread) as `npm run warehouse`
 * and `npm run pipeline -- etl`, each fact written as Parquet with `COPY … (FORMAT parquet, PARTITION_BY (dt))`.
 * Printed per step and in total: time, rows written, rows/s and the Parquet bytes written.
 * Floor, in the same run, on a fresh connection with the same settings: DuckDB reading the raw NDJSON once
 * (`count(*)` over the raw tables), before and after the ETL; the ETL is printed as a ratio to the floor.
 * Goal (issue 6): the ETL over 1,000,000 events under 30 s.
 *
 * `--profile` prints DuckDB's EXPLAIN ANALYZE of each step's SELECT after the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDbWarehouse, plainLakeFolder, type EtlStepReport } from '../src/warehouse/duckdb-runner';
import { etlParameters, etlSteps, readSql, renderSql, type FactName } from '../src/warehouse/queries';
import { generateLake, type GeneratedLake } from './warehouse-generate';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const goalSeconds = 30;

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function load(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/** Bytes of the files under a folder (recursively). */
async function bytesUnder(folder: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
    files += 1;
  }
  return { bytes, files };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/** DuckDB reading the raw NDJSON once: a count over both raw tables, on a fresh connection. */
async function floor(lakeRoot: string, warehouseDir: string): Promise<{ seconds: number; lines: number }> {
  const warehouse = await DuckDbWarehouse.open({ lake: plainLakeFolder(lakeRoot), warehouseDir });
  try {
    const started = performance.now();
    const [row] = await warehouse.select(
      'SELECT (SELECT count(*) FROM raw_events) + (SELECT count(*) FROM raw_recommendations) AS lines',
    );
    return { seconds: (performance.now() - started) / 1000, lines: Number(row?.lines ?? 0) };
  } finally {
    warehouse.close();
  }
}

async function profile(warehouse: DuckDbWarehouse): Promise<void> {
  for (const step of etlSteps) {
    const select = renderSql(await readSql(step.fact), etlParameters);
    const rows = await warehouse.select(`EXPLAIN ANALYZE ${select}`);
    console.log(`\n### EXPLAIN ANALYZE ${step.fact}\n`);
    for (const row of rows) console.log(String(row.explain_value ?? ''));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '42' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const cpus = os.cpus();
  console.log(`# Warehouse benchmark (npm run bench:warehouse)\n`);
  console.log(
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.version}; commit ${commit()}; load average ${load()} (1 / 5 / 15 min) at the start`,
  );

  const dir = await mkdtemp(path.join(os.tmpdir(), 'shelfwise-bench-warehouse-'));
  const lakeRoot = path.join(dir, 'lake');
  const warehouseDir = path.join(dir, 'warehouse');
  try {
    let started = performance.now();
    const lake: GeneratedLake = await generateLake(lakeRoot, {
      events: Number(values.events),
      seed: Number(values.seed),
    });
    const rawBytes = lake.eventBytes + lake.recommendationBytes;
    console.log(
      `Lake (seed ${values.seed}, generated in ${((performance.now() - started) / 1000).toFixed(1)} s): ` +
        `${thousands(lake.events)} events (${thousands(lake.eventLines)} lines with duplicates; ` +
        `${thousands(lake.impressions)} impressions, ${thousands(lake.clicks)} clicks) in ` +
        `${thousands(lake.eventObjects)} objects, ${mib(lake.eventBytes)}; ${thousands(lake.servedLists)} served lists = ` +
        `${thousands(lake.servedRows)} rows in ${thousands(lake.recommendationObjects)} objects, ` +
        `${mib(lake.recommendationBytes)}`,
    );

    const before = await floor(lakeRoot, path.join(dir, 'floor'));

    started = performance.now();
    const warehouse = await DuckDbWarehouse.open({ lake: plainLakeFolder(lakeRoot), warehouseDir });
    const openSeconds = (performance.now() - started) / 1000;
    const steps: EtlStepReport[] = [];
    try {
      const [engine] = await warehouse.select('SELECT version() AS version');
      console.log(`DuckDB ${String(engine?.version)} (@duckdb/node-api), one thread, as the local ETL runs it`);
      started = performance.now();
      await warehouse.runEtl((step) => steps.push(step));
      const etlSeconds = (performance.now() - started) / 1000;
      const loadAfter = load();
      const after = await floor(lakeRoot, path.join(dir, 'floor'));
      const floorSeconds = (before.seconds + after.seconds) / 2;

      const bytes: Partial<Record<FactName, { bytes: number; files: number }>> = {};
      for (const step of steps) bytes[step.fact] = await bytesUnder(path.join(warehouseDir, step.fact));
      const totalBytes = Object.values(bytes).reduce((sum, b) => sum + b.bytes, 0);
      const totalFiles = Object.values(bytes).reduce((sum, b) => sum + b.files, 0);
      const totalRows = steps.reduce((sum, step) => sum + step.rows, 0);
      const rawLines = lake.eventLines + lake.servedRows;

      console.log(`\n| step | seconds | rows written | rows/s | Parquet written | files |`);
      console.log(`|:--|--:|--:|--:|--:|--:|`);
      for (const step of steps) {
        const seconds = step.milliseconds / 1000;
        console.log(
          `| ${step.fact} | ${seconds.toFixed(2)} | ${thousands(step.rows)} | ${thousands(step.rows / seconds)} | ` +
            `${mib(bytes[step.fact]!.bytes)} | ${bytes[step.fact]!.files} |`,
        );
      }
      console.log(
        `| **ETL total** | **${etlSeconds.toFixed(2)}** | ${thousands(totalRows)} | ${thousands(totalRows / etlSeconds)} | ` +
          `${mib(totalBytes)} (${thousands(totalBytes)} B) | ${totalFiles} |`,
      );
      console.log(
        `| floor: read raw NDJSON once (count) | ${floorSeconds.toFixed(2)} | ${thousands(before.lines)} lines read | ` +
          `${thousands(before.lines / floorSeconds)} | — | — |`,
      );
      console.log(
        `\nRaw input: ${thousands(rawLines)} lines, ${mib(rawBytes)}; the ETL read them at ` +
          `${thousands(rawLines / etlSeconds)} lines/s (${mib(rawBytes / etlSeconds)}/s). ` +
          `Opening DuckDB and binding the lake: ${openSeconds.toFixed(2)} s (not in the ETL time).`,
      );
      console.log(
        `Floor: ${before.seconds.toFixed(2)} s before the ETL, ${after.seconds.toFixed(2)} s after; ` +
          `ETL ÷ floor = ${(etlSeconds / floorSeconds).toFixed(1)}×.`,
      );
      console.log(`Load average at the end of the ETL: ${loadAfter}.`);
      const met = etlSeconds < goalSeconds;
      console.log(
        `\nGoal (issue 6): the local ETL over ${thousands(lake.events)} events under ${goalSeconds} s: ` +
          `${met ? 'MET' : 'NOT MET'} (${etlSeconds.toFixed(1)} s).`,
      );
      if (values.profile) await profile(warehouse);
    } finally {
      warehouse.close();
    }
  } finally {
    if (values.keep) console.log(`\nKept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
