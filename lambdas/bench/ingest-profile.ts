/**
 * Where an ingest's write time goes: `tsx bench/ingest-profile.ts <metadata.db> [pglite|server]` ingests the library
 * into a fresh database (as `bench/ingest.ts` prepares it) through the real use case, and prints, for each kind of
 * statement the writer sends, how many it sent and the seconds from sending each to its result (the database's work
 * plus the wire; the statements of one ingest go one after the other on one connection). Not a benchmark: it adds
 * its own overhead; use it with `node --cpu-prof` to see the JavaScript side. With KEEP_DATABASE=1 the database is
 * kept (server target) and its URL printed, to try statements on the ingested rows.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { PostgresCatalogueWriter } from '../src/catalogue/adapters/postgres-catalogue-writer';
import { PostgresIngestRunLog } from '../src/catalogue/adapters/postgres-ingest-run-log';
import { parseCalibreFile } from '../src/catalogue/calibre/detect-format';
import { ingestCalibreObject } from '../src/catalogue/use-cases/ingest-calibre-object';
import { DEFAULT_SERVER_URL, openDatabase, type TargetName } from './targets';

/** A statement's kind: its first words, with the CTE names that say what a `WITH` statement does. */
function kindOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const ctes = [...flat.matchAll(/(\w+) AS \((?:SELECT|INSERT|DELETE|UPDATE)/g)].map((match) => match[1]);
  return flat.startsWith('WITH') ? `WITH ${ctes.join(', ')}` : flat.slice(0, 60);
}

async function main(): Promise<void> {
  const [file, target = 'server'] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/ingest-profile.ts <metadata.db> [pglite|server]');
  const db = await openDatabase(target as TargetName, process.env.DATABASE_URL ?? DEFAULT_SERVER_URL);
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  const runPool = new pg.Pool({ connectionString: db.url, max: 1 });
  const spent = new Map<string, { count: number; ms: number }>();
  const connect = pool.connect.bind(pool);
  (pool as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const client = await connect();
    const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
    (client as unknown as { query: typeof query }).query = async (text, values) => {
      const started = performance.now();
      try {
        return await query(text, values);
      } finally {
        const kind = kindOf(text);
        const entry = spent.get(kind) ?? { count: 0, ms: 0 };
        spent.set(kind, { count: entry.count + 1, ms: entry.ms + performance.now() - started });
      }
    };
    return client;
  };
  const key = `calibre/${path.basename(path.dirname(file))}/metadata.db`;
  const started = performance.now();
  try {
    const run = await ingestCalibreObject(
      {
        objects: {
          get: () => readFile(file),
          put: () => Promise.resolve(),
          move: () => Promise.resolve(),
        },
        writer: new PostgresCatalogueWriter(pool),
        runs: new PostgresIngestRunLog(runPool),
        parse: parseCalibreFile,
        maxObjectBytes: 2 ** 31,
      },
      key,
    );
    console.log(`${db.version}: ingest ${((performance.now() - started) / 1000).toFixed(2)} s`, run?.counts ?? run);
    for (const [kind, { count, ms }] of [...spent.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
      console.log(`${(ms / 1000).toFixed(2).padStart(8)} s ${String(count).padStart(6)} × ${kind}`);
    }
  } finally {
    await pool.end();
    await runPool.end();
    if (process.env.KEEP_DATABASE) console.log(`kept ${db.url}`);
    else await db.stop();
  }
}

await main();
