/**
 * Search benchmark: `npm run bench:search`; with options, from the root: `npm run bench:search -w lambdas --
 * [--target pglite|server|both] [--size 10k|100k|all] [--rounds N] [--skip-shared]`. Prints the machine, then for each library and database: p50 / p95 / p99 of hybrid retrieval
 * (`retrieveBooks`: kNN + full text with the request's filters, fused) per kind of reader request, the floor measured
 * in the same run (the bare full-text query and the bare kNN query), each kind's time as a ratio of the floor, and the
 * issue's goal (hybrid retrieval over 10,000 books: p95 ≤ 50 ms on PGlite and on the real server) met or not.
 *
 * Libraries: the 10,000 goodbooks books from ../shared/data/goodbooks-10k (skipped with a message when ../shared is
 * absent, or with --skip-shared), and a generated 100,000-book catalogue (--size 100k or all). Each library is loaded
 * with `loadLibrary` into a fresh database and embedded with `embedBooks` and the offline embedder (384 dimensions);
 * the HNSW index is built once after the vectors are in (as a bulk load would), then the tables are analysed. Loading
 * is timed for information only; the measured queries come after.
 *
 * Databases: PGlite with pgvector served over the wire by this process (as `npm start` runs it), and a throwaway
 * database on the PostgreSQL server at DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres (it needs pgvector:
 * .ci/install-pgvector.sh), created and dropped here.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresCatalogueWriter } from '../src/catalogue/adapters/postgres-catalogue-writer';
import type { CatalogueInput } from '../src/catalogue/domain/catalogue-record';
import { loadLibrary } from '../src/catalogue/use-cases/load-library';
import { PostgresBookEmbeddings } from '../src/chat/adapters/postgres-book-embeddings';
import { embedBooks } from '../src/chat/use-cases/embed-books';
import { HashingEmbedder } from '../src/shared/embedding/hashing-embedder';
import { floorKinds, measureSearch, percentile, requestsByKind, type Timings } from './search-measure';
import { generatedCatalogue, readGoodbooks } from './search-library';
import { DEFAULT_SERVER_URL, openDatabase, type TargetName } from './targets';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const goodbooksDir = path.resolve(benchDir, '../../../shared/data/goodbooks-10k');
/** The issue's goal: hybrid retrieval over 10,000 books, p95 ≤ 50 ms on PGlite and on the real server. */
const P95_GOAL_MS = 50;

interface Library {
  readonly name: string;
  readonly books: () => Promise<CatalogueInput[]>;
  /** The issue's goal applies to the 10,000-book library. */
  readonly goal: boolean;
}

function options() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'both' },
      size: { type: 'string', default: '10k' },
      rounds: { type: 'string', default: '25' },
      'skip-shared': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Usage: npm run bench:search -- [--target pglite|server|both] [--size 10k|100k|all] [--rounds N] [--skip-shared]

  --target       which database (default both): PGlite over pglite-socket, or the PostgreSQL server at DATABASE_URL
                 (default ${DEFAULT_SERVER_URL}); a throwaway database is created and dropped
  --size         which library (default 10k): 10k (goodbooks-10k from ../shared), 100k (generated), all
  --rounds       measured rounds over every request (default 25; 2 more warm-up rounds are not counted)
  --skip-shared  do not read ../shared (the 10k case is then skipped)`);
    process.exit(0);
  }
  const targets: TargetName[] =
    values.target === 'both' ? ['pglite', 'server'] : values.target === 'pglite' ? ['pglite'] : ['server'];
  if (!['pglite', 'server', 'both'].includes(values.target)) throw new Error(`Unknown --target ${values.target}`);
  if (!['10k', '100k', 'all'].includes(values.size)) throw new Error(`Unknown --size ${values.size}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer`);
  return { targets, size: values.size, rounds, skipShared: values['skip-shared'] };
}

function libraries(size: string, skipShared: boolean): Library[] {
  const chosen: Library[] = [];
  if (size === '10k' || size === 'all') {
    if (skipShared || !existsSync(path.join(goodbooksDir, 'books.csv'))) {
      console.log(
        `Skipping the goodbooks-10k library: ${skipShared ? '--skip-shared' : `${goodbooksDir} is absent (../shared is not mounted)`}.`,
      );
    } else {
      chosen.push({
        name: 'goodbooks-10k',
        goal: true,
        books: async () => (await readGoodbooks(goodbooksDir)) ?? [],
      });
    }
  }
  if (size === '100k' || size === 'all') {
    chosen.push({ name: 'generated-100k', goal: false, books: () => Promise.resolve(generatedCatalogue(100_000)) });
  }
  return chosen;
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

/** Embeds every book; the HNSW indexes are dropped first and rebuilt after, as for a bulk load. */
async function embedAll(pool: pg.Pool, embedder: HashingEmbedder): Promise<number> {
  const indexes = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'book_embedding' AND indexdef ILIKE '%hnsw%'`,
  );
  for (const index of indexes.rows) await pool.query(`DROP INDEX ${index.indexname}`);
  const result = await embedBooks({ store: new PostgresBookEmbeddings(pool), embedder }, { batchSize: 500 });
  const client = await pool.connect();
  try {
    await client.query(`SET maintenance_work_mem = '256MB'`).catch(() => undefined);
    for (const index of indexes.rows) await client.query(index.indexdef);
  } finally {
    client.release();
  }
  await pool.query('ANALYZE');
  return result.embedded;
}

interface CaseResult {
  readonly library: Library;
  readonly target: TargetName;
  readonly version: string;
  readonly books: number;
  readonly timings: Timings | null;
  readonly problem: string | null;
}

async function runCase(library: Library, target: TargetName, books: CatalogueInput[], rounds: number) {
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_SERVER_URL;
  let database;
  try {
    database = await openDatabase(target, serverUrl);
  } catch (error) {
    return { library, target, version: '', books: 0, timings: null, problem: (error as Error).message };
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined);
  try {
    const embedder = new HashingEmbedder();
    let started = performance.now();
    const counts = await loadLibrary(new PostgresCatalogueWriter(pool), library.name, books);
    console.log(`  ${target}: loaded ${counts.added} books in ${seconds(started)}`);
    started = performance.now();
    const embedded = await embedAll(pool, embedder);
    console.log(`  ${target}: embedded ${embedded} books and built the HNSW index in ${seconds(started)}`);
    started = performance.now();
    const timings = await measureSearch(pool, embedder, { rounds, warmup: 2 });
    console.log(`  ${target}: measured in ${seconds(started)}`);
    return { library, target, version: database.version, books: counts.added, timings, problem: null };
  } finally {
    await pool.end();
    await database.stop();
  }
}

function report(result: CaseResult): string[] {
  const lines = [`### ${result.library.name} on ${result.target} (${result.version}), ${result.books} books`, ''];
  if (!result.timings) return [...lines, `Not measured: ${result.problem ?? 'unknown'}`, ''];
  const { samples } = result.timings;
  const stat = (kind: string) => {
    const values = samples.get(kind) ?? [];
    return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) };
  };
  const knn = stat('floor: kNN');
  const fts = stat('floor: full text');
  const hybridKinds = Object.keys(requestsByKind);
  const all = hybridKinds.flatMap((kind) => samples.get(kind) ?? []);
  const overall = { n: all.length, p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) };
  lines.push('| query | n | p50 ms | p95 ms | p99 ms | p50 ÷ kNN | p95 ÷ kNN | p95 ÷ (kNN + full text) |');
  lines.push('|:--|--:|--:|--:|--:|--:|--:|--:|');
  const row = (name: string, s: ReturnType<typeof stat>) =>
    `| ${name} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${(s.p50 / knn.p50).toFixed(1)}× | ` +
    `${(s.p95 / knn.p95).toFixed(1)}× | ${(s.p95 / (knn.p95 + fts.p95)).toFixed(1)}× |`;
  for (const kind of hybridKinds) lines.push(row(`hybrid: ${kind}`, stat(kind)));
  lines.push(row('**hybrid: all**', overall));
  for (const kind of floorKinds) lines.push(row(kind, stat(kind)));
  lines.push('');
  if (result.library.goal) {
    const met = overall.p95 <= P95_GOAL_MS;
    const worst = hybridKinds.map((kind) => ({ kind, p95: stat(kind).p95 })).sort((a, b) => b.p95 - a.p95)[0];
    lines.push(
      `Goal (issue 7): hybrid retrieval over 10,000 books, p95 ≤ ${P95_GOAL_MS} ms on ${result.target}: ` +
        `${met ? 'met' : 'NOT MET'} (p95 ${ms(overall.p95)} ms over all requests; slowest kind ` +
        `"${worst?.kind}" p95 ${ms(worst?.p95 ?? Number.NaN)} ms; floor: kNN p95 ${ms(knn.p95)} ms, full text ` +
        `p95 ${ms(fts.p95)} ms).`,
      '',
    );
  }
  return lines;
}

async function main() {
  const { targets, size, rounds, skipShared } = options();
  console.log(
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0]?.toFixed(2)}`,
  );
  console.log(`Embedder: offline hashing, 384 dimensions; ${rounds} measured rounds (+2 warm-up) per query.\n`);
  const results: CaseResult[] = [];
  for (const library of libraries(size, skipShared)) {
    const started = performance.now();
    const books = await library.books();
    console.log(`${library.name}: ${books.length} books read in ${seconds(started)}`);
    for (const target of targets) results.push(await runCase(library, target, books, rounds));
  }
  console.log('');
  for (const result of results) console.log(report(result).join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
