/**
 * One measured ingest, alone in its own process (the RSS high-water mark only ever grows, so a process measures one
 * thing). It runs the real use case, `ingestCalibreObject`, as the Lambda does: the object store reads the file from
 * disk (standing in for S3 GET), `parse` is `parseCalibreFile`, the writer is `PostgresCatalogueWriter` on a `pg`
 * pool of one connection, and the run log is kept in memory (the real one writes one `ingest_run` row and updates it,
 * which is not part of the catalogue). The parse and the writer are wrapped to time the phases:
 *   read (file → bytes) | parse | clean+prepare (cleanCalibreBook for each book, the report, prepareLibrary) | write
 * Parse, clean+prepare and write run in this one process phase, one after the other, as in the Lambda.
 *
 * Usage (from ingest.ts): tsx bench/ingest-worker.ts '<WorkerInput as JSON>'; the result is written as JSON to
 * `resultFile`.
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import v8 from 'node:v8';
import pg from 'pg';
import { parseCalibreFile } from '../src/catalogue/calibre/detect-format';
import { PostgresCatalogueWriter } from '../src/catalogue/adapters/postgres-catalogue-writer';
import type { PreparedLibrary } from '../src/catalogue/domain/prepare-library';
import type { IngestCounts, IngestRun, IngestRunLog, ObjectStore } from '../src/catalogue/ports';
import { ingestCalibreObject } from '../src/catalogue/use-cases/ingest-calibre-object';
import { floorRow } from './floor';
import { memorySnapshot, RssSampler, type MemorySnapshot } from './memory';

export interface WorkerInput {
  readonly file: string;
  /** The S3 key the file would have: `calibre/<library>/metadata.db`. */
  readonly key: string;
  readonly url: string;
  /** Where to write the floor's book rows as JSON lines after the measure (null: not wanted). */
  readonly rowsOut: string | null;
  readonly resultFile: string;
}

export const PHASES = ['read', 'parse', 'clean+prepare', 'write'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseMeasure {
  readonly seconds: number;
  /** Highest sampled RSS while the phase ran (MiB). */
  readonly sampledPeak: number;
  /** Memory when the phase ended (MiB), including the RSS high-water mark so far. */
  readonly atEnd: MemorySnapshot;
}

export interface WorkerResult {
  readonly status: string;
  readonly error?: string;
  readonly books: number;
  readonly rejected: number;
  /** Warnings in the run report (the report keeps at most 1,000). */
  readonly warnings: number;
  readonly fileBytes: number;
  readonly counts: IngestCounts | null;
  readonly phases: Record<Phase, PhaseMeasure>;
  /** Memory once connected, before reading the file. */
  readonly baseline: MemorySnapshot;
  /** `process.resourceUsage().maxRSS` once the ingest finished (MiB). */
  readonly maxRss: number;
  /** Highest RSS sample over the whole ingest (MiB). */
  readonly sampledPeak: number;
  readonly samples: number;
  /** V8's heap size limit in this process (MiB). */
  readonly heapLimit: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as WorkerInput;
  const sampler = await RssSampler.start('setup');
  const pool = new pg.Pool({ connectionString: input.url, max: 1 });
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  const baseline = memorySnapshot();

  const phases: Partial<Record<Phase, PhaseMeasure>> = {};
  let current: { phase: Phase; started: number } | null = null;
  const enter = (phase: Phase | null) => {
    const now = performance.now();
    if (current) {
      phases[current.phase] = {
        seconds: (now - current.started) / 1000,
        sampledPeak: sampler.phasePeakMiB(current.phase),
        atEnd: memorySnapshot(),
      };
    }
    current = phase ? { phase, started: performance.now() } : null;
    sampler.phase(phase ?? 'after');
  };

  let fileBytes = 0;
  let books = 0;
  let counts: IngestCounts | null = null;
  let prepared: PreparedLibrary | null = null;
  const objects: ObjectStore = {
    async get() {
      enter('read');
      const bytes = await readFile(input.file);
      fileBytes = bytes.byteLength;
      return bytes;
    },
    async put() {},
    async move(from, to) {
      throw new Error(`the benchmark library was quarantined (${from} → ${to})`);
    },
  };
  const writer = new PostgresCatalogueWriter(pool);
  let finished: IngestRun | null = null;
  let rejected = 0;
  const runs: IngestRunLog = {
    async start() {
      return '1';
    },
    async finish(id, outcome) {
      rejected = outcome.rejected ?? 0;
      finished = {
        id,
        library: '',
        sourceKey: input.key,
        status: outcome.status,
        startedAt: '',
        finishedAt: '',
        durationMs: null,
        counts: { ...(outcome.counts ?? { added: 0, updated: 0, unchanged: 0, withdrawn: 0 }), rejected: 0 },
        report: outcome.report,
      };
      return finished;
    },
    async list() {
      return [];
    },
    async get() {
      return undefined;
    },
  };

  let status = 'failed';
  let error: string | undefined;
  try {
    const run = await ingestCalibreObject(
      {
        objects,
        runs,
        maxObjectBytes: Number.MAX_SAFE_INTEGER,
        async parse(key, bytes) {
          enter('parse');
          const parsed = await parseCalibreFile(key, bytes);
          books = parsed.library.books.length;
          enter('clean+prepare');
          return parsed;
        },
        writer: {
          async ingestLibrary(library, preparedLibrary) {
            enter('write');
            prepared = preparedLibrary;
            counts = await writer.ingestLibrary(library, preparedLibrary);
            enter(null);
            return counts;
          },
        },
      },
      input.key,
    );
    status = run?.status ?? 'not a source';
    if (run?.report.error) error = run.report.error;
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const maxRss = process.resourceUsage().maxRSS / 1024;
  const sampledPeak = sampler.peakMiB();
  const samples = sampler.samples();
  await sampler.stop();

  // Make this backend publish its statistics now (they are otherwise flushed up to seconds later).
  await pool.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
  await pool.end();

  const report = (finished as IngestRun | null)?.report;
  const missing = PHASES.filter((phase) => !phases[phase]);
  if (missing.length > 0 && status === 'succeeded') {
    status = 'failed';
    error = `phases not measured: ${missing.join(', ')}`;
  }
  const empty: PhaseMeasure = { seconds: 0, sampledPeak: 0, atEnd: baseline };
  const result: WorkerResult = {
    status,
    ...(error ? { error } : {}),
    books,
    rejected,
    warnings: report?.warnings?.length ?? 0,
    fileBytes,
    counts,
    phases: {
      read: phases.read ?? empty,
      parse: phases.parse ?? empty,
      'clean+prepare': phases['clean+prepare'] ?? empty,
      write: phases.write ?? empty,
    },
    baseline,
    maxRss,
    sampledPeak,
    samples,
    heapLimit: v8.getHeapStatistics().heap_size_limit / 2 ** 20,
  };
  await writeFile(input.resultFile, JSON.stringify(result));

  // After the measure: the book rows for the COPY floor.
  const records = (prepared as PreparedLibrary | null)?.records;
  if (input.rowsOut && records) {
    const out = await open(input.rowsOut, 'w');
    try {
      for (let start = 0; start < records.length; start += 1000) {
        const lines = records.slice(start, start + 1000).map((record) => `${JSON.stringify(floorRow(record))}\n`);
        await out.write(lines.join(''));
      }
    } finally {
      await out.close();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
