/**
 * One measured ingest, alone in its own process (the RSS high-water mark only ever grows, so a process measures one
 * thing). It runs the real use case, `ingestCalibreObject`, as the Lambda does: the object store reads the file from
 * disk (standing in for S3 GET), `parse` is `parseCalibreFile`, the writer is `PostgresCatalogueWriter` on a `pg`
 * pool of one connection, and the run log is kept in memory (the real one writes one `ingest_run` row and updates it,
 * which is not part of the catalogue). The parse and the writer are wrapped to time the phases:
 *   read (file → bytes) | parse | clean+prepare | write
 * clean+prepare is the cleaning of every book but its description and `prepareDrafts`, plus the time the writer
 * spent building records (cleaning descriptions) during the write; write is the rest of the write's wall time. The
 * writer builds the next chunk's records while the database writes the previous chunk, so the database works during
 * part of clean+prepare. The phases add up to the wall time of the ingest.
 *
 * Usage (from ingest.ts): tsx bench/ingest-worker.ts '<WorkerInput as JSON>'; the result is written as JSON to
 * `resultFile`.
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import v8 from 'node:v8';
import pg from 'pg';
import { parseCalibreFile } from '../src/catalogue/calibre/detect-format';
import { PostgresCatalogueWriter } from '../src/catalogue/adapters/postgres-catalogue-writer';
import { cleanCalibreBook } from '../src/catalogue/calibre/clean-calibre-book';
import { prepareLibrary } from '../src/catalogue/domain/prepare-library';
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
  /** Seconds spent building records (cleaning descriptions) inside the write, counted in clean+prepare. */
  readonly recordSeconds: number;
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
  let recordMs = 0;
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
            const books = preparedLibrary.books.map((book) => ({
              sourceId: book.sourceId,
              sourceHash: book.sourceHash,
              record() {
                const started = performance.now();
                try {
                  return book.record();
                } finally {
                  recordMs += performance.now() - started;
                }
              },
            }));
            counts = await writer.ingestLibrary(library, { books, aliases: preparedLibrary.aliases });
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
  const recordSeconds = recordMs / 1000;
  const moved = (measure: PhaseMeasure | undefined, seconds: number) =>
    measure ? { ...measure, seconds: measure.seconds + seconds } : empty;
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
      'clean+prepare': moved(phases['clean+prepare'], recordSeconds),
      write: moved(phases.write, -recordSeconds),
    },
    baseline,
    maxRss,
    sampledPeak,
    samples,
    heapLimit: v8.getHeapStatistics().heap_size_limit / 2 ** 20,
    recordSeconds,
  };
  await writeFile(input.resultFile, JSON.stringify(result));

  // After the measure: the book rows for the COPY floor, prepared again (the ingest kept none of them).
  if (input.rowsOut && status === 'succeeded') {
    const parsed = await parseCalibreFile(input.key, await readFile(input.file));
    const inputs = parsed.library.books.flatMap((book) => {
      const cleaned = cleanCalibreBook(book);
      return cleaned.ok ? [cleaned.input] : [];
    });
    const prepared = prepareLibrary(inputs).books;
    const out = await open(input.rowsOut, 'w');
    try {
      for (let start = 0; start < prepared.length; start += 1000) {
        const lines = prepared.slice(start, start + 1000).map((book) => `${JSON.stringify(floorRow(book.record()))}\n`);
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
