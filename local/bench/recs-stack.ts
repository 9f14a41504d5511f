/**
 * The local stack the recommendations benchmark's sections 2 and 3 run on: `startLocalRuntime` with the demo
 * catalogue and only the recommendation functions (no default-model training), a randomly initialised policy
 * exported for the catalogue's book ids, published to the local models bucket and promoted through the model pointer,
 * and synthetic reader events.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';
import { createRandom, type Random } from '@shelfwise/training/util/random';
import { demoBookIds, localModelStore, publishModelFolder } from '../src/default-model';
import { toKinesisEvent } from '../src/event-sources/kinesis-poller';
import { deployedFunctions, invoke, type LocalFunction } from '../src/lambda/functions';
import { localRegion, startLocalRuntime, type LocalRuntime } from '../src/runtime';
import { exportRandomModel } from './recs-model';

export interface BenchStack {
  readonly runtime: LocalRuntime;
  readonly bookIds: readonly string[];
  readonly modelVersion: string;
  readonly recommender: LocalFunction;
  /** Invokes the Recommender handler with these events as one Kinesis batch, as the event source would. */
  invokeRecommender(events: readonly ReaderEvent[]): Promise<unknown>;
  stop(): Promise<void>;
}

const recommendationFunctions = ['ReaderEventsApi', 'Recommender', 'RecommendationsApi'];

export async function startBenchStack(log: (message: string) => void): Promise<BenchStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-bench-recs-'));
  const functions = deployedFunctions().filter((fn) => recommendationFunctions.includes(fn.spec.id));
  log('starting the local runtime (demo catalogue, no default model)');
  const runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    servicePorts: { postgres: 0, s3: 0, kinesis: 0, dynamodb: 0 },
    reset: true,
    demoCatalogue: true,
    defaultModel: false,
    functions,
  });
  const ids = await demoBookIds(runtime.environment.DATABASE_URL ?? '');
  const bookIds = [...ids.values()];
  log(`exporting and promoting a randomly initialised model for the ${bookIds.length} catalogue books`);
  const model = await exportRandomModel(bookIds, 'bench-recs-v1');
  const { store, close } = localModelStore(runtime.environment);
  const modelVersion = await publishModelFolder(store, model.directory);
  await store.promote(modelVersion, { expectedVersion: null, note: 'bench:recs' });
  close();
  await rm(model.directory, { recursive: true, force: true });

  const recommender = functions.find((fn) => fn.spec.id === 'Recommender')!;
  let sequence = 0n;
  return {
    runtime,
    bookIds,
    modelVersion,
    recommender,
    invokeRecommender: (events) =>
      invoke(
        recommender,
        kinesisEvent(events, () => ++sequence),
        localRegion,
      ),
    async stop() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function kinesisEvent(events: readonly ReaderEvent[], next: () => bigint): KinesisStreamEvent {
  const records: KinesisRecord[] = events.map((event) => ({
    PartitionKey: event.readerId,
    SequenceNumber: (49_600_000_000_000_000_000_000_000_000_000_000_000_000_000n + next()).toString(),
    Data: Buffer.from(JSON.stringify(event)),
    ApproximateArrivalTimestamp: new Date(),
  }));
  return toKinesisEvent(records, 'shardId-000000000000', 'arn:aws:kinesis:local', localRegion, 'arn:aws:iam::local');
}

/**
 * A bench reader's id, of the form the web app makes for an anonymous reader (`anon-` and a version 4 UUID): the only
 * ids the reader routes take without a token. `group` keeps the floor's readers apart from the measured ones.
 */
export function benchReaderId(group: 'reader' | 'floor', index: number): string {
  return `anon-0be4c400-${group === 'reader' ? '0001' : '0002'}-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** Share of each event type among what a library's web app sends (views and impressions dominate). */
const eventMix: readonly [ReaderEvent['type'], number][] = [
  ['view', 30],
  ['open', 15],
  ['impression', 15],
  ['click', 8],
  ['search', 5],
  ['borrow', 7],
  ['return', 4],
  ['finish', 3],
  ['rate', 5],
  ['add-to-list', 4],
  ['dismiss', 4],
];
const mixTotal = eventMix.reduce((sum, [, weight]) => sum + weight, 0);

/** Synthetic reader events over the catalogue: a few popular books get most of the attention. */
export class EventGenerator {
  private readonly random: Random;

  constructor(
    private readonly bookIds: readonly string[],
    seed = 11,
  ) {
    this.random = createRandom(seed);
  }

  private book(): string {
    // Skewed: squaring a uniform draw favours the first books.
    const u = this.random.next();
    return this.bookIds[Math.floor(u * u * this.bookIds.length)]!;
  }

  event(readerId: string, type = this.type()): ReaderEvent {
    const common = { eventId: randomUUID(), readerId, occurredAt: new Date().toISOString() };
    const bookId = this.book();
    const recommendation = { recommendationId: randomUUID(), position: this.random.int(20), modelVersion: 'bench' };
    switch (type) {
      case 'search':
        return { ...common, type, query: 'space opera' };
      case 'rate':
        return { ...common, type, bookId, rating: 1 + this.random.int(5) };
      case 'add-to-list':
        return { ...common, type, bookId, list: 'to-read' };
      case 'impression':
      case 'click':
        return { ...common, type, bookId, ...recommendation };
      default:
        return { ...common, type, bookId };
    }
  }

  /**
   * One batch of `size` events: readers drawn from the first `readers` bench readers, 1 to 5 events each (3 on average),
   * so a 100-record batch holds about 33 readers.
   */
  batch(size: number, readers: number): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    while (events.length < size) {
      const readerId = benchReaderId('reader', this.random.int(readers));
      const count = Math.min(1 + this.random.int(5), size - events.length);
      for (let i = 0; i < count; i++) events.push(this.event(readerId));
    }
    return events;
  }

  private type(): ReaderEvent['type'] {
    let draw = this.random.next() * mixTotal;
    for (const [type, weight] of eventMix) {
      draw -= weight;
      if (draw < 0) return type;
    }
    return 'view';
  }
}
