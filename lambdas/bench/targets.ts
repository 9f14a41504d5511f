/**
 * The databases the benchmark writes to, each fresh and empty for one library:
 * - `pglite`: PGlite with pgvector served over the wire protocol by `startPostgres` (as `npm start` and the tests run
 *   it), in memory, hosted by the benchmark's main process (the measured ingest runs in another process, as the
 *   Lambda and Aurora are apart);
 * - `server`: a throwaway database (`shelfwise_bench_<random>`) created on the PostgreSQL server at DATABASE_URL (or
 *   postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards.
 *
 * Row writes are measured by the database, two ways:
 * - the statistics: the sum of `n_tup_ins + n_tup_upd + n_tup_del` over `pg_stat_user_tables`, after the writing
 *   backend called `pg_stat_force_next_flush()` and with `pg_stat_clear_snapshot()` before reading (both exist on
 *   PostgreSQL 15 and on PGlite's PostgreSQL 18; checked that they count inserts and updates on both);
 * - a row-version fingerprint of every user table: the row count and an md5 over each row's `ctid:xmin`, which
 *   changes when any row is inserted, updated or deleted, whatever the statistics say.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres } from '@shelfwise/local/emulators/postgres';
import { migrateToLatest } from '../src/platform/db/migrate';

export type TargetName = 'pglite' | 'server';

export interface BenchDatabase {
  readonly target: TargetName;
  readonly url: string;
  /** What it is, for the report (engine and version). */
  readonly version: string;
  stop(): Promise<void>;
}

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function withClient<T>(url: string, act: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await act(client);
  } finally {
    await client.end();
  }
}

async function versionOf(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const result = await client.query<{ version: string }>('SELECT version()');
    return (result.rows[0]?.version ?? '').replace(/ on .*$/, '');
  });
}

/** A fresh, migrated database of the target. */
export async function openDatabase(target: TargetName, serverUrl: string): Promise<BenchDatabase> {
  let url: string;
  let stop: () => Promise<void>;
  if (target === 'pglite') {
    const server = await startPostgres({ dataDir: undefined, port: 0 });
    url = server.url;
    stop = server.stop;
  } else {
    const name = `shelfwise_bench_${randomBytes(5).toString('hex')}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    stop = () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then();
  }
  try {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => undefined);
    try {
      await migrateToLatest(pool);
      await pool.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    } finally {
      await pool.end();
    }
    return { target, url, version: await versionOf(url), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface WriteSnapshot {
  /** Per table: n_tup_ins + n_tup_upd + n_tup_del. */
  readonly statWrites: ReadonlyMap<string, number>;
  /** Per table: `rows:md5(ctid:xmin …)`. */
  readonly versions: ReadonlyMap<string, string>;
  /** Per table: live rows. */
  readonly rows: ReadonlyMap<string, number>;
}

export async function writeSnapshot(url: string): Promise<WriteSnapshot> {
  return withClient(url, async (client) => {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const stats = await client.query<{ table: string; writes: string }>(
      `SELECT relname AS table, (n_tup_ins + n_tup_upd + n_tup_del)::text AS writes
         FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`,
    );
    const statWrites = new Map(stats.rows.map((row) => [row.table, Number(row.writes)]));
    const versions = new Map<string, string>();
    const rows = new Map<string, number>();
    for (const table of statWrites.keys()) {
      const result = await client.query<{ n: string; hash: string }>(
        `SELECT count(*)::text AS n, md5(coalesce(string_agg(ctid::text || ':' || xmin::text, ',' ORDER BY ctid), ''))
           AS hash FROM "${table.replaceAll('"', '""')}"`,
      );
      const row = result.rows[0];
      rows.set(table, Number(row?.n ?? 0));
      versions.set(table, `${row?.n ?? 0}:${row?.hash ?? ''}`);
    }
    return { statWrites, versions, rows };
  });
}

export interface WriteDifference {
  /** Rows inserted, updated or deleted between the snapshots, by the statistics. */
  readonly statWrites: number;
  /** Tables whose row versions (ctid, xmin) or row count changed. */
  readonly tablesChanged: readonly string[];
  /** Non-zero statistics, `table +n`. */
  readonly byTable: readonly string[];
}

export function writesBetween(before: WriteSnapshot, after: WriteSnapshot): WriteDifference {
  const byTable: string[] = [];
  let statWrites = 0;
  for (const [table, writes] of after.statWrites) {
    const delta = writes - (before.statWrites.get(table) ?? 0);
    statWrites += delta;
    if (delta !== 0) byTable.push(`${table} +${delta}`);
  }
  const tablesChanged = [...after.versions.keys()].filter(
    (table) => before.versions.get(table) !== after.versions.get(table),
  );
  return { statWrites, tablesChanged, byTable };
}
