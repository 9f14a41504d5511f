/**
 * Catalogue ingest benchmark: `npm run bench:ingest [-- --target pglite|server|both] [--size 10k|100k|all]
 * [--skip-shared]`. Prints the machine, then tables of what it measured against the catalogue's goals:
 *
 * - the 10,000-book goodbooks library (../shared; a generated 10k library when it is absent or with --skip-shared)
 *   into an empty database: at most 15 s, with books/s and peak memory, by phase (parse / clean+prepare / write);
 * - the re-ingest of the unchanged library: at most 3 s and zero row writes, counted by the database;
 * - a generated 100,000-book library: at most 120 s with a peak RSS under 1.5 GiB (the Lambda's budget);
 * - the physical floor: the same book rows bulk-loaded into a plain unindexed table, and ingest time ÷ floor time.
 *
 * Each measured ingest runs in its own process (`ingest-worker.ts`, the real use case `ingestCalibreObject`), so its
 * RSS high-water mark is its own; the databases and the generated files are prepared outside the measure.
 * PGlite is served over the wire by this (parent) process, like `npm start`; the server target uses DATABASE_URL or
 * postgres://postgres@127.0.0.1:5432/postgres and creates and drops its own database.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  copyChunks,
  copyInProcessPglite,
  copyOverWire,
  jsonbBatchInsert,
  type FloorMeasure,
  type FloorRow,
} from './floor';
import { generatedLibrary } from './generate-library';
import type { WorkerInput, WorkerResult } from './ingest-worker';
import { DEFAULT_SERVER_URL, openDatabase, writesBetween, writeSnapshot, type TargetName } from './targets';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '../..');
const sharedLibrary = path.resolve(repoRoot, '../shared/fixtures/calibre/goodbooks-10k-library/metadata.db');
const BUDGET_MIB = 1536;
const WORKER_TIMEOUT_MS = 30 * 60 * 1000;

interface Library {
  readonly size: '10k' | '100k';
  readonly name: string;
  /** The library name in the S3 key (`calibre/<name>/metadata.db`). */
  readonly key: string;
  readonly file: string;
  readonly real: boolean;
  readonly bytes: number;
}

interface CaseResult {
  readonly library: Library;
  /** Fingerprint of the pipeline source when each ingest process started (first, again). */
  readonly sources: readonly [string, string];
  readonly target: TargetName;
  readonly version: string;
  readonly load1: number;
  readonly first: WorkerResult | null;
  readonly again: WorkerResult | null;
  readonly writes: ReturnType<typeof writesBetween> | null;
  readonly floors: readonly FloorMeasure[];
  readonly problems: readonly string[];
}

function usage(): never {
  console.log(`Usage: npm run bench:ingest -- [--target pglite|server|both] [--size 10k|100k|all] [--skip-shared]

  --target       which database (default both): PGlite over pglite-socket, or the PostgreSQL server at DATABASE_URL
                 (default ${DEFAULT_SERVER_URL}); a throwaway database is created and dropped
  --size         which library (default all): 10k (goodbooks-10k from ../shared, or generated), 100k (generated)
  --skip-shared  use only generated libraries (the 10k case then uses a generated 10,000-book library)
  --max-old-space-size MIB
                 V8 old-space limit of the measured ingest processes (default: Node's own, from this machine's RAM),
                 to see the peak under a Lambda-sized heap`);
  process.exit(0);
}

function options() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'both' },
      size: { type: 'string', default: 'all' },
      'skip-shared': { type: 'boolean', default: false },
      'max-old-space-size': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) usage();
  const targets: TargetName[] | null =
    values.target === 'both'
      ? ['pglite', 'server']
      : values.target === 'pglite' || values.target === 'server'
        ? [values.target]
        : null;
  const sizes: Library['size'][] | null =
    values.size === 'all' ? ['10k', '100k'] : values.size === '10k' || values.size === '100k' ? [values.size] : null;
  if (!targets) throw new Error(`--target must be pglite, server or both (not "${values.target}")`);
  if (!sizes) throw new Error(`--size must be 10k, 100k or all (not "${values.size}")`);
  const heap = values['max-old-space-size'];
  if (heap !== undefined && !/^[1-9]\d*$/.test(heap)) throw new Error('--max-old-space-size must be a number of MiB');
  return {
    targets,
    sizes,
    skipShared: values['skip-shared'],
    maxOldSpaceMiB: heap === undefined ? null : Number(heap),
  };
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM` +
      ` (${os.type()} ${os.release()}, ${os.arch()})`,
    `Node: ${process.version}`,
    `Date: ${new Date().toISOString()}`,
    `Commit: ${commit()}`,
    `Load average at start (1/5/15 min): ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' / ')} — the machine is shared, so timings carry other processes' noise`,
  ];
}

let workerNodeOptions: string[] = [];

/** The folders whose code the measured ingest runs (others edit the repository while a benchmark may be running). */
const SOURCE_FOLDERS = ['lambdas/src/catalogue', 'lambdas/src/platform', 'lambdas/src/shared', 'local/src/emulators'];

/** A short hash of every file under SOURCE_FOLDERS (path and content), so a result names the code it measured. */
async function sourceFingerprint(): Promise<{ hash: string; files: Map<string, string> }> {
  const files = new Map<string, string>();
  for (const folder of SOURCE_FOLDERS) {
    const entries = await readdir(path.join(repoRoot, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      files.set(
        path.relative(repoRoot, file),
        createHash('sha256')
          .update(await readFile(file))
          .digest('hex'),
      );
    }
  }
  const all = createHash('sha256');
  for (const name of [...files.keys()].sort()) all.update(`${name}\0${files.get(name) ?? ''}\0`);
  return { hash: all.digest('hex').slice(0, 10), files };
}

async function runWorker(input: WorkerInput): Promise<WorkerResult> {
  const worker = path.join(benchDir, 'ingest-worker.ts');
  // Through `sh -c '…; exit $?'`, which must fork once more: Linux hands a forked child its parent's RSS high-water
  // mark (it survives exec), so a worker spawned straight from this process (hosting PGlite) would report this
  // process' RSS as its own maxRSS. The shell's own fork starts from the small shell instead.
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      '"$0" "$@"; exit $?',
      process.execPath,
      ...process.execArgv,
      ...workerNodeOptions,
      worker,
      JSON.stringify(input),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(signal ? null : exitCode));
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`the ingest process ended with ${code === null ? 'a signal' : `code ${code}`}`);
  return JSON.parse(await readFile(input.resultFile, 'utf8')) as WorkerResult;
}

async function readRows(file: string): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    if (line !== '') rows.push(JSON.parse(line) as FloorRow);
  }
  return rows;
}

async function runCase(library: Library, target: TargetName, serverUrl: string, work: string): Promise<CaseResult> {
  const problems: string[] = [];
  const load1 = os.loadavg()[0] ?? 0;
  log(`${library.name} → ${target}: preparing a fresh database`);
  const db = await openDatabase(target, serverUrl);
  let first: WorkerResult | null = null;
  let again: WorkerResult | null = null;
  let writes: CaseResult['writes'] = null;
  const floors: FloorMeasure[] = [];
  const sources: [string, string] = ['—', '—'];
  const rowsFile = path.join(work, `${library.key}-${target}.rows.jsonl`);
  try {
    const input = (name: string, rowsOut: string | null): WorkerInput => ({
      file: library.file,
      key: `calibre/${library.key}/metadata.db`,
      url: db.url,
      rowsOut,
      resultFile: path.join(work, `${library.key}-${target}-${name}.json`),
    });
    log(`${library.name} → ${target}: first ingest into the empty database`);
    sources[0] = (await sourceFingerprint()).hash;
    first = await runWorker(input('first', rowsFile));
    if (first.status !== 'succeeded') problems.push(`first ingest ${first.status}: ${first.error ?? ''}`);
    const before = await writeSnapshot(db.url);
    log(`${library.name} → ${target}: re-ingest of the unchanged library`);
    sources[1] = (await sourceFingerprint()).hash;
    again = await runWorker(input('again', null));
    if (again.status !== 'succeeded') problems.push(`re-ingest ${again.status}: ${again.error ?? ''}`);
    const after = await writeSnapshot(db.url);
    writes = writesBetween(before, after);
    const books = after.rows.get('book') ?? 0;
    if (books !== first.books - first.rejected) {
      problems.push(`the book table holds ${books} rows, expected ${first.books - first.rejected}`);
    }

    log(`${library.name} → ${target}: floor (bulk load of the same book rows into a plain table)`);
    const rows = await readRows(rowsFile);
    const chunks = copyChunks(rows);
    floors.push(target === 'server' ? await copyOverWire(db.url, chunks) : await copyInProcessPglite(chunks));
    floors.push(await jsonbBatchInsert(db.url, rows));
    for (const floor of floors) {
      if (floor.rows !== rows.length) problems.push(`${floor.method} loaded ${floor.rows} of ${rows.length} rows`);
    }
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await db.stop().catch((error: unknown) => problems.push(`stopping the database: ${String(error)}`));
    await rm(rowsFile, { force: true });
  }
  for (const problem of problems) log(`${library.name} → ${target}: PROBLEM ${problem}`);
  return { library, target, sources, version: db.version, load1, first, again, writes, floors, problems };
}

// ---- formatting ----

const s = (seconds: number | undefined) => (seconds === undefined ? '—' : seconds.toFixed(2));
const mib = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(0));
const int = (value: number) => Math.round(value).toLocaleString('en-US');

function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function ingestSeconds(result: WorkerResult): number {
  return result.phases.parse.seconds + result.phases['clean+prepare'].seconds + result.phases.write.seconds;
}

const targetLabel = (result: CaseResult) => (result.target === 'pglite' ? 'PGlite (socket)' : 'PG server');

function firstGoal(result: CaseResult): { goal: string; met: boolean | null } {
  const first = result.first;
  if (!first || first.status !== 'succeeded') return { goal: '—', met: false };
  const seconds = ingestSeconds(first);
  if (result.library.size === '10k') return { goal: '≤ 15 s', met: seconds <= 15 };
  return { goal: `≤ 120 s, peak < ${BUDGET_MIB} MiB`, met: seconds <= 120 && first.maxRss < BUDGET_MIB };
}

const yesNo = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : 'NO');

function report(results: readonly CaseResult[]): string {
  const out: string[] = [];
  out.push('### 1. First ingest into an empty database (parse + clean/prepare + write, one process)', '');
  out.push(
    markdownTable(
      [
        'library',
        'target',
        'books',
        'added',
        'parse s',
        'clean+prepare s',
        'write s',
        'total s',
        'books/s',
        'maxRSS MiB',
        'sampled peak MiB',
        'load1',
        'source',
        'goal',
        'met',
      ],
      results.map((result) => {
        const first = result.first;
        const total = first ? ingestSeconds(first) : undefined;
        const { goal, met } = firstGoal(result);
        return [
          result.library.name,
          targetLabel(result),
          first ? int(first.books) : '—',
          first?.counts ? int(first.counts.added) : '—',
          s(first?.phases.parse.seconds),
          s(first?.phases['clean+prepare'].seconds),
          s(first?.phases.write.seconds),
          s(total),
          first && total ? int(first.books / total) : '—',
          mib(first?.maxRss),
          mib(first?.sampledPeak),
          result.load1.toFixed(1),
          result.sources[0],
          goal,
          yesNo(met),
        ];
      }),
    ),
    '',
    'total = parse + clean+prepare + write (reading the file from disk, standing in for the S3 GET, is not counted: ' +
      'it took ' +
      results.map((r) => `${s(r.first?.phases.read.seconds)}`).join(' / ') +
      ' s). maxRSS = `process.resourceUsage().maxRSS` of the ingest process at the end of the write; sampled peak = ' +
      'highest `process.memoryUsage.rss()` sampled every 10 ms from a worker thread. load1 = 1-minute load average ' +
      'when the case started (2 cores). source = fingerprint of the pipeline code the ingest process loaded.',
    '',
  );

  out.push('### 2. Memory of the first ingest by phase (MiB)', '');
  out.push(
    markdownTable(
      [
        'library',
        'target',
        'phase',
        'seconds',
        'sampled peak RSS',
        'maxRSS at end',
        'RSS at end',
        'heap used',
        'heap total',
        'external',
        'arrayBuffers',
      ],
      results.flatMap((result) => {
        const first = result.first;
        if (!first) return [];
        const baseline = first.baseline;
        return [
          [
            result.library.name,
            targetLabel(result),
            `baseline (connected; V8 heap limit ${mib(first.heapLimit)})`,
            '—',
            '—',
            mib(baseline.maxRss),
            mib(baseline.rss),
            mib(baseline.heapUsed),
            mib(baseline.heapTotal),
            mib(baseline.external),
            mib(baseline.arrayBuffers),
          ],
          ...(['read', 'parse', 'clean+prepare', 'write'] as const).map((phase) => {
            const measure = first.phases[phase];
            return [
              result.library.name,
              targetLabel(result),
              phase,
              s(measure.seconds),
              mib(measure.sampledPeak),
              mib(measure.atEnd.maxRss),
              mib(measure.atEnd.rss),
              mib(measure.atEnd.heapUsed),
              mib(measure.atEnd.heapTotal),
              mib(measure.atEnd.external),
              mib(measure.atEnd.arrayBuffers),
            ];
          }),
        ];
      }),
    ),
    '',
  );

  out.push('### 3. Re-ingest of the unchanged library (a new process, the whole use case again)', '');
  out.push(
    markdownTable(
      [
        'library',
        'target',
        'parse s',
        'clean+prepare s',
        'write s',
        'total s',
        'added/updated/unchanged/withdrawn',
        'row writes (pg_stat)',
        'tables with changed row versions',
        'maxRSS MiB',
        'source',
        'goal',
        'met',
      ],
      results.map((result) => {
        const again = result.again;
        const total = again ? ingestSeconds(again) : undefined;
        const counts = again?.counts;
        const writes = result.writes;
        const goalApplies = result.library.size === '10k';
        const met =
          again?.status === 'succeeded' && total !== undefined && writes
            ? total <= 3 && writes.statWrites === 0 && writes.tablesChanged.length === 0
            : false;
        return [
          result.library.name,
          targetLabel(result),
          s(again?.phases.parse.seconds),
          s(again?.phases['clean+prepare'].seconds),
          s(again?.phases.write.seconds),
          s(total),
          counts ? `${counts.added}/${counts.updated}/${counts.unchanged}/${counts.withdrawn}` : '—',
          writes ? `${writes.statWrites}${writes.byTable.length > 0 ? ` (${writes.byTable.join(', ')})` : ''}` : '—',
          writes ? (writes.tablesChanged.length === 0 ? 'none' : writes.tablesChanged.join(', ')) : '—',
          mib(again?.maxRss),
          result.sources[1],
          goalApplies ? '≤ 3 s, 0 writes' : '(no goal)',
          goalApplies ? yesNo(met) : '—',
        ];
      }),
    ),
    '',
    'Row writes are counted by the database: Σ(n_tup_ins + n_tup_upd + n_tup_del) over pg_stat_user_tables before and ' +
      'after (the writing backend calls pg_stat_force_next_flush(); the reader pg_stat_clear_snapshot()), and, ' +
      'independently, an md5 of every row’s ctid:xmin in every table. The in-memory run log stands in for ingest_run ' +
      '(the real one adds 1 insert + 1 update there per run).',
    '',
  );

  out.push('### 4. Physical floor: the same book rows bulk-loaded into a plain unindexed table', '');
  out.push(
    markdownTable(
      [
        'library',
        'target',
        'floor method',
        'rows',
        'MB',
        'floor s',
        'rows/s',
        'ingest write s',
        'write ÷ floor',
        'ingest total s',
        'total ÷ floor',
      ],
      results.flatMap((result) =>
        result.floors.map((floor) => {
          const write = result.first?.phases.write.seconds;
          const total = result.first ? ingestSeconds(result.first) : undefined;
          return [
            result.library.name,
            targetLabel(result),
            floor.method,
            int(floor.rows),
            (floor.bytes / 1e6).toFixed(0),
            s(floor.seconds),
            int(floor.rows / floor.seconds),
            s(write),
            write === undefined ? '—' : `${(write / floor.seconds).toFixed(1)}×`,
            s(total),
            total === undefined ? '—' : `${(total / floor.seconds).toFixed(1)}×`,
          ];
        }),
      ),
    ),
    '',
    'On PGlite, COPY FROM STDIN through pglite-socket fails (FATAL 08P01 "protocol synchronization was lost"), so its ' +
      "COPY row is PGlite's own COPY FROM '/dev/blob' on a fresh in-process instance (same build, no wire). The " +
      'jsonb_to_recordset row is the writer’s own mechanism (2,000 rows a statement, JSON built beforehand) into the ' +
      'same plain table over the wire, on the benchmarked database itself.',
    '',
  );

  out.push('### Goals', '');
  for (const result of results) {
    const label = `${result.library.name} on ${targetLabel(result)}`;
    const first = result.first;
    if (first && first.status === 'succeeded') {
      const total = ingestSeconds(first);
      const { goal, met } = firstGoal(result);
      out.push(
        `- ${label}, first ingest: ${s(total)} s (${int(first.books / total)} books/s), peak RSS ${mib(first.maxRss)} MiB` +
          ` — goal ${goal}: ${met ? 'MET' : 'NOT MET'}`,
      );
    }
    if (result.library.size === '10k' && result.again && result.writes) {
      const total = ingestSeconds(result.again);
      const zero = result.writes.statWrites === 0 && result.writes.tablesChanged.length === 0;
      out.push(
        `- ${label}, re-ingest: ${s(total)} s, ${result.writes.statWrites} row writes` +
          ` (row versions ${result.writes.tablesChanged.length === 0 ? 'unchanged' : 'CHANGED'})` +
          ` — goal ≤ 3 s with 0 writes: ${total <= 3 && zero ? 'MET' : 'NOT MET'}`,
      );
    }
    for (const problem of result.problems) out.push(`- ${label}: PROBLEM: ${problem}`);
  }
  return out.join('\n');
}

async function libraries(sizes: readonly Library['size'][], skipShared: boolean): Promise<[Library[], string[]]> {
  const notes: string[] = [];
  const list: Library[] = [];
  for (const size of sizes) {
    if (size === '10k' && !skipShared && existsSync(sharedLibrary)) {
      const bytes = (await readFile(sharedLibrary)).byteLength;
      list.push({ size, name: 'goodbooks-10k (real)', key: 'goodbooks-10k', file: sharedLibrary, real: true, bytes });
      notes.push(`10k: the real goodbooks-10k library, ${sharedLibrary} (${(bytes / 1e6).toFixed(1)} MB)`);
      continue;
    }
    if (size === '10k') {
      notes.push(
        `10k real-library case SKIPPED: ${
          skipShared ? '--skip-shared was given' : `${sharedLibrary} is absent`
        }; a generated 10,000-book library is used instead`,
      );
    }
    const books = size === '10k' ? 10_000 : 100_000;
    log(`generating (or reusing) the ${books}-book library`);
    const generated = await generatedLibrary(books);
    list.push({
      size,
      name: `generated-${size}`,
      key: `generated-${size}`,
      file: generated.file,
      real: false,
      bytes: generated.bytes,
    });
    notes.push(
      `${size}: generated ${int(books)}-book library (seeded), ${(generated.bytes / 1e6).toFixed(1)} MB, ` +
        (generated.cached ? 'reused from the cache' : `generated in ${s(generated.seconds)} s (not measured)`) +
        ` — ${generated.file}`,
    );
  }
  return [list, notes];
}

async function main(): Promise<void> {
  const { targets, sizes, skipShared, maxOldSpaceMiB } = options();
  if (maxOldSpaceMiB !== null) workerNodeOptions = [`--max-old-space-size=${maxOldSpaceMiB}`];
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_SERVER_URL;
  const header = machine();
  for (const line of header) log(line);
  const source = await sourceFingerprint();
  header.push(
    `Pipeline source fingerprint: ${source.hash} (${source.files.size} files under ${SOURCE_FOLDERS.join(', ')})`,
  );
  for (const line of header.slice(-1)) log(line);
  const [list, notes] = await libraries(sizes, skipShared);
  for (const note of notes) log(note);
  const work = await mkdtemp(path.join(os.tmpdir(), 'shelfwise-bench-run-'));
  const results: CaseResult[] = [];
  try {
    for (const library of list) {
      for (const target of targets) {
        results.push(await runCase(library, target, serverUrl, work));
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const sourceAtEnd = await sourceFingerprint();
  if (sourceAtEnd.hash !== source.hash) {
    const changed = [...new Set([...source.files.keys(), ...sourceAtEnd.files.keys()])].filter(
      (file) => source.files.get(file) !== sourceAtEnd.files.get(file),
    );
    notes.push(
      `WARNING: the pipeline source changed during the run (${source.hash} → ${sourceAtEnd.hash}: ${changed.join(', ')}); ` +
        'compare cases by their source column',
    );
  }
  const versions = [...new Map(results.map((result) => [result.target, result.version])).entries()];
  console.log(
    [
      '## Catalogue ingest benchmark',
      '',
      ...header.map((line) => `- ${line}`),
      `- Load average at end (1/5/15 min): ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' / ')}`,
      ...versions.map(([target, version]) => `- ${target}: ${version}`),
      `- Options: targets ${targets.join(', ')}; sizes ${sizes.join(', ')}${skipShared ? '; --skip-shared' : ''}` +
        `; V8 heap of the ingest processes: ${
          maxOldSpaceMiB === null ? "Node's default for this machine" : `--max-old-space-size=${maxOldSpaceMiB}`
        }`,
      ...notes.map((note) => `- ${note}`),
      '',
      report(results),
    ].join('\n'),
  );
  if (results.some((result) => result.problems.length > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
