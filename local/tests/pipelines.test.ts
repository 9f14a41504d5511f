/**
 * The synthesised `warehouse-etl` and `retrain` state machines run locally (aws-local-stepfunctions, every task
 * local) on generated data in the local S3 and DynamoDB emulators.
 *
 * The lake: 40 books in 4 genres of 10 (`g0-b00` … `g3-b09`); 96 readers, reader i liking genre i mod 4. Each
 * reader has 6 taste events on 6 books of their genre over days 1–30 (view, borrow or rate 4–5) and, in the last
 * 7 days (the held-out window), borrows 2 more books of the genre; one reader in 8 also views a book of another
 * genre. A model that learned the genres ranks the held-out books high; one trained on shuffled books does not.
 *
 * On top, for the ETL's hand-computed answer: reader `ctr-reader` sees four impressions of list `L1` (model `v1`,
 * 2026-03-02, positions 0–3), clicks position 0 and borrows that book two days later; the click event is delivered
 * twice. ctr-by-model, v1, 2026-03-02: position 0: 1 impression, 1 click, 1 conversion; positions 1–3: 1
 * impression, no click, no conversion.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ModelRegistry } from '@shelfwise/lambdas/recommendations/adapters/model-registry';
import { loadOnnxPolicy } from '@shelfwise/lambdas/recommendations/adapters/onnx-policy';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import { DuckDbWarehouse, localS3LakeFolder } from '@shelfwise/lambdas/warehouse/duckdb-runner';
import { rawObjectKey, toNdjson } from '@shelfwise/lambdas/warehouse/lake-layout';
import { main as trainModel } from '@shelfwise/training/main';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_NAMES } from '../../cdk/src/pipelines-stack';
import { localModelStore, publishModelFolder } from '../src/default-model';
import { synthesizedTemplates, type Templates } from '../src/pipelines/definitions';
import { runPipeline, type PipelineRun } from '../src/pipelines/run-pipeline';
import { startLocalServices, type LocalServices } from '../src/pipelines/services';

interface Evaluation {
  readonly candidate: { readonly ndcgAt10: number };
  readonly current: { readonly ndcgAt10: number };
}

interface RawEvent {
  eventId: string;
  readerId: string;
  type: string;
  occurredAt: string;
  bookId?: string;
  rating?: number;
  recommendationId?: string;
  position?: number;
  modelVersion?: string;
}

/** Training small enough for a test: a few hundred examples, so small batches and a short warm-up. */
const tinyTraining = { epochs: 4, batchSize: 16, learningRate: 0.01 };
const tinyTrainingStrings = Object.fromEntries(
  Object.entries(tinyTraining).map(([key, value]) => [key, String(value)]),
);

const day = (n: number, hour = 12) => new Date(Date.UTC(2026, 1, 1 + n, hour)).toISOString();
const book = (genre: number, index: number) => `g${genre}-b${String(index).padStart(2, '0')}`;

/** The taste events described above (deterministic). */
function tasteEvents(): RawEvent[] {
  const events: RawEvent[] = [];
  for (let r = 0; r < 96; r++) {
    const readerId = `reader-${String(r).padStart(3, '0')}`;
    const genre = r % 4;
    const offset = Math.floor(r / 4) % 10;
    const add = (n: number, type: string, bookId: string, at: string, rating?: number) =>
      events.push({ eventId: `${readerId}-${n}`, readerId, type, occurredAt: at, bookId, rating });
    for (let k = 0; k < 6; k++) {
      const bookId = book(genre, (offset + k) % 10);
      const type = ['open', 'borrow', 'rate'][k % 3]!;
      add(k, type, bookId, day(1 + k * 5, r % 24), type === 'rate' ? 4 + (k % 2) : undefined);
    }
    if (r % 8 === 0) add(6, 'view', book((genre + 1) % 4, offset), day(20, r % 24));
    add(7, 'borrow', book(genre, (offset + 6) % 10), day(34, r % 24));
    add(8, 'borrow', book(genre, (offset + 7) % 10), day(36, r % 24));
  }
  return events;
}

function ctrEvents(): RawEvent[] {
  const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 2, 2, hour, minute)).toISOString();
  const shown = { recommendationId: 'L1', modelVersion: 'v1' };
  const impressions = [0, 1, 2, 3].map((position) => ({
    eventId: `imp-${position}`,
    readerId: 'ctr-reader',
    type: 'impression',
    occurredAt: at(9, 1),
    bookId: book(0, position),
    position,
    ...shown,
  }));
  const click = { eventId: 'click-0', readerId: 'ctr-reader', type: 'click', occurredAt: at(9, 2), ...shown };
  return [
    ...impressions,
    { ...click, bookId: book(0, 0), position: 0 },
    { ...click, bookId: book(0, 0), position: 0 },
    {
      eventId: 'borrow-0',
      readerId: 'ctr-reader',
      type: 'borrow',
      occurredAt: new Date(Date.UTC(2026, 2, 4, 9)).toISOString(),
      bookId: book(0, 0),
    },
  ];
}

describe('local pipelines (synthesised state machines)', () => {
  let dataDir: string;
  let services: LocalServices;
  let templates: Templates;
  let s3: S3Client;
  const events = [...tasteEvents(), ...ctrEvents()];

  const run = (name: 'etl' | 'retrain', input = {}): Promise<PipelineRun> =>
    runPipeline(name, { templates, dataDir, environment: services.environment, input });

  const pointerVersion = async (): Promise<string | null> => {
    const { store, close } = localModelStore(services.environment);
    try {
      return (await store.pointer())?.version ?? null;
    } finally {
      close();
    }
  };

  /** The version the recommender's model registry loads and serves from the pointer (every model book available). */
  const servedVersion = async (): Promise<string | undefined> => {
    const { store, close } = localModelStore(services.environment);
    const everyBook = {
      availableBooks: async (ids: readonly string[]) => new Set(ids),
      embeddingsExcept: async () => [],
    };
    try {
      const registry = new ModelRegistry({
        pointer: () => store.pointer(),
        files: (pointer) => store.files(pointer),
        load: (files) => loadOnnxPolicy(files, everyBook),
        refreshMs: 0,
      });
      return (await registry.current())?.version;
    } finally {
      close();
    }
  };

  /** Trains a model in this process on the given taste events, then publishes and promotes it. */
  const promoteTrainedModel = async (version: string, rows: RawEvent[]): Promise<void> => {
    const trainDir = path.join(dataDir, `fixture-${version}`, 'train');
    const modelDir = path.join(dataDir, `fixture-${version}`, 'model');
    await mkdir(trainDir, { recursive: true });
    const csv = rows.map(
      (row) => `${row.readerId},${row.bookId},${row.rating ?? 0},${row.type === 'open' ? 'view' : row.type}`,
    );
    await writeFile(path.join(trainDir, 'interactions.csv'), ['user_id,book_id,rating,event', ...csv].join('\n'));
    await trainModel({
      trainDir,
      modelDir,
      hyperparameters: { ...tinyTraining, seed: 1, oldSampleFraction: 0.3, readers: 100, version },
    });
    const { store, close } = localModelStore(services.environment);
    try {
      const current = (await store.pointer())?.version ?? null;
      await publishModelFolder(store, modelDir);
      expect(await store.promote(version, { expectedVersion: current, note: 'test fixture' })).toBe(true);
    } finally {
      close();
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-pipelines-'));
    services = await startLocalServices(dataDir);
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: services.environment.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    // One object per generated day, as the archiver writes them (arrival = occurrence here).
    const byDay = new Map<string, RawEvent[]>();
    for (const event of events) {
      const key = rawObjectKey('events', new Date(event.occurredAt), 'generated');
      byDay.set(key, [...(byDay.get(key) ?? []), event]);
    }
    for (const [key, lines] of byDay) {
      await s3.send(new PutObjectCommand({ Bucket: buckets.lake.localName, Key: key, Body: toNdjson(lines) }));
    }
    templates = synthesizedTemplates();
  }, 180_000);

  afterAll(async () => {
    s3?.destroy();
    await services?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs warehouse-etl: every fact built in order, and ctr-by-model answers from them', async () => {
    // Act
    const result = await run('etl');

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual([
      ...['interactions', 'recommendations_served', 'outcomes'].flatMap((fact) => [
        STATE_NAMES.etlClear(fact),
        STATE_NAMES.etlStep(fact),
      ]),
      'Done',
    ]);
    const warehouse = await DuckDbWarehouse.open({
      lake: localS3LakeFolder(path.join(dataDir, 's3'), buckets.lake.localName),
      warehouseDir: path.join(dataDir, 'warehouse'),
    });
    try {
      const [count] = await warehouse.select('SELECT count(*) AS n FROM interactions');
      expect(count?.n).toBe(events.length - 1);
      const rows = await warehouse.query('ctr-by-model');
      expect(rows).toEqual(
        [0, 1, 2, 3].map((position) => ({
          model_version: 'v1',
          impression_day: '2026-03-02',
          position,
          impressions: 1,
          clicks: position === 0 ? 1 : 0,
          ctr: position === 0 ? 1 : 0,
          conversions: position === 0 ? 1 : 0,
          conversion_rate: position === 0 ? 1 : 0,
        })),
      );
    } finally {
      warehouse.close();
    }
  });

  it('runs retrain: with no model serving, the candidate is trained cold and promoted', async () => {
    // Act
    const result = await run('retrain', { hyperparameters: { ...tinyTrainingStrings, version: 'candidate-0' } });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toEqual(expect.arrayContaining(['Cold start', STATE_NAMES.promote]));
    expect(result.output).toMatchObject({ evaluation: { better: true, currentVersion: null } });
    expect(await pointerVersion()).toBe('candidate-0');
  });

  it('runs retrain: a candidate better than the serving model on the held-out window is promoted', async () => {
    // Prepare: a serving model trained on the same readers with their books shuffled across genres.
    const shuffled = tasteEvents().map((event, i) => ({ ...event, bookId: book(i % 4, (i * 7) % 10) }));
    await promoteTrainedModel('shuffled', shuffled);

    // Act
    const result = await run('retrain', {
      margin: 0.05,
      hyperparameters: { ...tinyTrainingStrings, version: 'candidate-1' },
    });

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toContain(STATE_NAMES.promote);
    expect(result.states).toContain('Warm start from current model');
    const { candidate, current } = (result.output as unknown as { evaluation: Evaluation }).evaluation;
    expect(candidate.ndcgAt10).toBeGreaterThan(current.ndcgAt10 + 0.05);
    expect(await pointerVersion()).toBe('candidate-1');
    expect(await servedVersion()).toBe('candidate-1');
  });

  it('runs retrain: a worse candidate is not promoted and the serving model stays', async () => {
    // Prepare: a serving model that has seen the held-out window itself; the candidate is fine-tuned from it with a
    // learning rate so large that it forgets what it knew.
    await promoteTrainedModel('oracle', tasteEvents());
    const hyperparameters = { ...tinyTrainingStrings, learningRate: '1', version: 'candidate-2' };

    // Act
    const result = await run('retrain', { margin: 0.005, hyperparameters });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.states).toContain(STATE_NAMES.evaluate);
    expect(result.states).not.toContain(STATE_NAMES.promote);
    expect(result.output).toMatchObject({ evaluation: { better: false, currentVersion: 'oracle' } });
    const { candidate, current } = (result.output as unknown as { evaluation: Evaluation }).evaluation;
    expect(candidate.ndcgAt10).toBeLessThan(current.ndcgAt10);
    expect(await pointerVersion()).toBe('oracle');
  });

  it('runs retrain: a failing training job notifies the operators and leaves the serving model', async () => {
    // Act: epochs must be a positive whole number, so the training entry point exits with an error.
    const result = await run('retrain', { hyperparameters: { epochs: '0', version: 'candidate-3' } });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.states.slice(-3)).toEqual([STATE_NAMES.train, STATE_NAMES.notifyFailure, 'Failed']);
    expect(result.notifications.at(-1)?.subject).toBe('Shelfwise retrain failed');
    expect(await pointerVersion()).toBe('oracle');
  });
});
