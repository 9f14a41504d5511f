/**
 * The warehouse on one machine: the ETL and the named queries of `sql/`, run by DuckDB over a lake folder on the
 * local filesystem (a temporary folder in tests, or the lake bucket's folder inside s3rver's data for `npm start`).
 * The facts are written as Parquet under `warehouseDir/<fact>/dt=…/`, rebuilt whole on each run.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { dimBookView, factView, quote, rawTableView, sessionSetup, writeFact } from './duckdb-dialect';
import { dimBookCurrentPrefix, rawTables, type RawTableName } from './lake-layout';
import {
  etlParameters,
  etlSteps,
  namedQueries,
  readSql,
  renderSql,
  type FactName,
  type NamedQueryName,
  type ParameterValues,
} from './queries';

export interface LakeFolder {
  /** The folder that holds the bucket's keys (`raw/…`, `snapshots/…`). */
  readonly root: string;
  /** What the store appends to an object's file name: '' for a plain folder, `._S3rver_object` in s3rver's. */
  readonly objectSuffix: string;
}

/** A lake written as plain files, key = path (tests). */
export function plainLakeFolder(root: string): LakeFolder {
  return { root, objectSuffix: '' };
}

/** The lake bucket inside the local S3 emulator's data folder (`<data-dir>/s3` in `npm start`). */
export function localS3LakeFolder(s3DataDir: string, bucket: string): LakeFolder {
  return { root: path.join(s3DataDir, bucket), objectSuffix: '._S3rver_object' };
}

export interface DuckDbWarehouseOptions {
  readonly lake: LakeFolder;
  /** Where the facts' Parquet files go. */
  readonly warehouseDir: string;
  /** Values of the ETL's parameters (`attribution_days`). */
  readonly etl?: ParameterValues;
}

export type Row = Record<string, string | number | boolean | null>;

export interface EtlReport {
  /** Rows written per fact. */
  readonly rows: Readonly<Record<FactName, number>>;
}

/** One ETL step done: the fact, the rows written and how long it took (SQL, COPY to Parquet and binding). */
export interface EtlStepReport {
  readonly fact: FactName;
  readonly rows: number;
  readonly milliseconds: number;
}

function plain(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export class DuckDbWarehouse {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly options: DuckDbWarehouseOptions,
  ) {}

  /** Opens an in-memory DuckDB (one thread: the machine is shared) with the lake's raw tables bound. */
  static async open(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    const warehouse = new DuckDbWarehouse(instance, connection, options);
    try {
      for (const statement of sessionSetup) await connection.run(statement);
      await warehouse.bindSources();
      await warehouse.bindExistingFacts();
    } catch (error) {
      warehouse.close();
      throw error;
    }
    return warehouse;
  }

  /** Rebuilds every fact from the raw files, in order; `onStep` hears of each step when it is done. */
  async runEtl(onStep?: (step: EtlStepReport) => void): Promise<EtlReport> {
    await this.bindSources();
    await mkdir(this.options.warehouseDir, { recursive: true });
    const rows: Partial<Record<FactName, number>> = {};
    for (const step of etlSteps) {
      const started = performance.now();
      const select = renderSql(await readSql(step.fact), etlParameters, this.options.etl);
      const folder = path.join(this.options.warehouseDir, step.fact);
      await rm(folder, { recursive: true, force: true });
      const written = await this.connection.runAndReadAll(writeFact(select, folder));
      const count = Number(written.getRows()[0]?.[0] ?? 0);
      rows[step.fact] = count;
      await this.bindFact(step.fact, select);
      onStep?.({ fact: step.fact, rows: count, milliseconds: performance.now() - started });
    }
    return { rows: rows as Record<FactName, number> };
  }

  /** Runs a named query over the facts (run the ETL first, in this process or an earlier one). */
  async query(name: NamedQueryName, values: ParameterValues = {}): Promise<Row[]> {
    const sql = renderSql(await readSql(name), namedQueries[name].parameters, values);
    return this.select(sql);
  }

  /** Any SELECT over the bound tables (tests, exploration). */
  async select(sql: string): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader
      .getRowObjectsJS()
      .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, plain(value)])));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** The files matching a glob, or null when there are none (DuckDB refuses to read an empty glob). */
  private async existing(pattern: string): Promise<string | null> {
    const found = await this.connection.runAndReadAll(`SELECT count(*) FROM glob(${quote(pattern)})`);
    return Number(found.getRows()[0]?.[0] ?? 0) > 0 ? pattern : null;
  }

  private async bindSources(): Promise<void> {
    const { root, objectSuffix } = this.options.lake;
    for (const table of Object.keys(rawTables) as RawTableName[]) {
      const { prefix, partitions } = rawTables[table];
      const folders = partitions.map((column) => `${column}=*`);
      const pattern = path.join(root, prefix, ...folders, `*.json${objectSuffix}`);
      await this.connection.run(rawTableView(table, await this.existing(pattern)));
    }
    const books = path.join(root, dimBookCurrentPrefix, `*.parquet${objectSuffix}`);
    await this.connection.run(dimBookView(await this.existing(books)));
  }

  private async bindFact(fact: FactName, select: string): Promise<void> {
    const pattern = path.join(this.options.warehouseDir, fact, 'dt=*', '*.parquet');
    await this.connection.run(factView(fact, await this.existing(pattern), select));
  }

  private async bindExistingFacts(): Promise<void> {
    for (const step of etlSteps) {
      const select = renderSql(await readSql(step.fact), etlParameters, this.options.etl);
      await this.bindFact(step.fact, select);
    }
  }
}
