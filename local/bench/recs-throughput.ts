/**
 * Section 2 of the recommendations benchmark: the Recommender handler's throughput on the local stack. Batches of
 * 100 synthetic events (about 33 readers, 1–5 events each) go straight to the handler module, one batch after the
 * other, as the local event source invokes it. After each batch, and outside its clock, the floor replays the bare
 * emulator round trips that batch needed, with the very items the handler wrote (read back untimed, written under
 * other keys): one BatchGet of the histories, one conditional Put per reader (in parallel, as the handler), one Get
 * of the list of each reader whose events were only impressions or searches (the staleness check), the BatchWrites
 * of the lists, the PutObject of the served lists into the lake, and the Postgres queries (popular books, a
 * content-neighbour query per reader on the content fallback, availability of the listed books, the popularity
 * update). Then a few more batches run under the CPU profiler (outside the clock) to say where the time goes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresCatalogueSignals } from '@shelfwise/lambdas/recommendations/adapters/postgres-catalogue-signals';
import {
  excludesBook,
  historyEventType,
  type ReaderEvent,
} from '@shelfwise/lambdas/recommendations/domain/reader-event';
import type { RecommendationList } from '@shelfwise/lambdas/recommendations/domain/recommendation';
import { HashingEmbedder } from '@shelfwise/lambdas/shared/embedding/hashing-embedder';
import { buckets, tables } from '@shelfwise/lambdas/shared/infrastructure';
import { servedRows } from '@shelfwise/lambdas/warehouse/domain/served-recommendations';
import { toNdjson } from '@shelfwise/lambdas/warehouse/lake-layout';
import { profileCalls } from './recs-profile';
import type { BenchStack, EventGenerator } from './recs-stack';
import { verdict, type GoalFigure, type SectionResult } from './recs-stats';

export interface ThroughputOptions {
  readonly events: number;
  readonly batchSize: number;
  readonly readers: number;
  readonly warmUpBatches: number;
  /** Batches run under the CPU profiler after the timed ones (outside the clock). */
  readonly profileBatches: number;
  readonly log: (message: string) => void;
}

/** The goal. */
const goalEventsPerSecond = 2_000;

type Item = Record<string, unknown>;

export async function benchThroughput(
  stack: BenchStack,
  generator: EventGenerator,
  options: ThroughputOptions,
): Promise<SectionResult> {
  const env = stack.runtime.environment;
  const table = tables.readers.localName;
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const s3 = new S3Client({ region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.DATABASE_POOL_MAX ?? 4) });
  // The embedder whose vectors the local database holds (the offline one).
  const embedder = new HashingEmbedder();
  const signals = new PostgresCatalogueSignals(pool, { modelId: embedder.modelId, dimension: embedder.dimension });
  const floorVersions = new Map<string, number>();
  const strategies = new Map<string, number>();
  try {
    options.log(`warm-up: ${options.warmUpBatches} batches (the model loads on the first)`);
    for (let i = 0; i < options.warmUpBatches; i++) {
      await stack.invokeRecommender(generator.batch(options.batchSize, options.readers));
    }
    const batches = Math.ceil(options.events / options.batchSize);
    let handlerMs = 0;
    const quarters = Array.from({ length: 4 }, () => ({ ms: 0, batches: 0 }));
    let floorMs = 0;
    let cpuMicros = 0;
    let events = 0;
    let failures = 0;
    options.log(`measuring ${batches} batches of ${options.batchSize} events`);
    for (let b = 0; b < batches; b++) {
      const batch = generator.batch(options.batchSize, options.readers);
      const batchStartedAt = new Date().toISOString();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = (await stack.invokeRecommender(batch)) as { batchItemFailures?: unknown[] };
      const batchMs = performance.now() - started;
      handlerMs += batchMs;
      const quarter = Math.min(3, Math.floor((4 * b) / batches));
      quarters[quarter]!.ms += batchMs;
      quarters[quarter]!.batches += 1;
      const used = process.cpuUsage(cpu);
      cpuMicros += used.user + used.system;
      events += batch.length;
      failures += result.batchItemFailures?.length ?? 0;

      // The items the handler wrote (untimed), then the floor with the same items under other keys.
      const readerIds = [...new Set(batch.map((event) => event.readerId))];
      const read = await readItems(dynamo, table, readerIds);
      // Only the lists this batch wrote (readers with only impressions or searches keep theirs).
      const lists = read.lists.filter((list) => String(list.generatedAt) >= batchStartedAt);
      const archive = toNdjson((lists as unknown as RecommendationList[]).flatMap(servedRows));
      const written = { histories: read.histories, lists, archive };
      for (const list of lists) {
        const strategy = String(list.strategy);
        strategies.set(strategy, (strategies.get(strategy) ?? 0) + 1);
      }
      const floorStarted = performance.now();
      await floorRoundTrips({ dynamo, table, s3, signals, versions: floorVersions }, batch, written);
      floorMs += performance.now() - floorStarted;
      if ((b + 1) % 50 === 0) options.log(`${b + 1} of ${batches} batches`);
    }
    options.log(`CPU profile of ${options.profileBatches} more batches (outside the clock)`);
    const profileBatches = Array.from({ length: options.profileBatches }, () =>
      generator.batch(options.batchSize, options.readers),
    );
    const profileFile = path.join(tmpdir(), 'shelfwise-bench-recs-handler.cpuprofile');
    const profileStarted = performance.now();
    const profile = await profileCalls(
      async () => {
        for (const batch of profileBatches) await stack.invokeRecommender(batch);
      },
      { saveTo: profileFile },
    );
    const profileWallMs = performance.now() - profileStarted;
    options.log(`raw profile: ${profileFile} (open in Chrome DevTools or speedscope)`);
    const perBatchMs = (componentMs: number) => (componentMs / Math.max(options.profileBatches, 1)).toFixed(1);
    const perSecond = events / (handlerMs / 1000);
    const floorPerSecond = events / (floorMs / 1000);
    const perCpuSecond = events / (cpuMicros / 1e6);
    const mix = [...strategies]
      .sort((a, b) => b[1] - a[1])
      .map(([strategy, count]) => `${strategy} ${((100 * count) / Math.max(1, sum(strategies))).toFixed(0)} %`)
      .join(', ');
    const shareOf = (test: (component: string) => boolean) =>
      profile.components.filter((entry) => test(entry.component)).reduce((total, entry) => total + entry.share, 0);
    const percent = (share: number) => `${(100 * share).toFixed(0)} %`;
    const emulatorShare = shareOf((component) => /emulator|PGlite/.test(component));
    const ownShare = shareOf((component) => component.startsWith('Shelfwise code'));
    const lines = [
      '## 2. Recommender handler throughput on the local stack',
      '',
      `${events.toLocaleString('en')} synthetic events in ${batches} Kinesis batches of ${options.batchSize} ` +
        `(${options.readers.toLocaleString('en')} readers, 1–5 events per reader per batch, a mix of views, opens, ` +
        'impressions, clicks, searches, loans, returns, finishes, ratings, list adds and dismissals), after ' +
        `${options.warmUpBatches} warm-up batches, on the demo catalogue (${stack.bookIds.length} books) with a ` +
        `randomly initialised model exported for its ids (${stack.modelVersion}). The handler module is invoked ` +
        'directly (as the local event source does), one batch at a time. The emulators (dynalite, PGlite over ' +
        "pglite-socket, s3rver, kinesalite) run in the same Node process, so their work shares the handler's core " +
        'and is counted in its time; process CPU time is printed too (it leaves out the time the process waited ' +
        'for a CPU on the shared machine). ' +
        `Lists written: ${mix}. Records reported failed: ${failures} of ${events.toLocaleString('en')}.`,
      '',
      '| measure | events/s | ms per 100-event batch | goal |',
      '|---|---|---|---|',
      `| Recommender handler (wall) | ${perSecond.toFixed(0)} | ${((handlerMs / events) * 100).toFixed(1)} | ` +
        `≥ ${goalEventsPerSecond.toLocaleString('en')} events/s: ${verdict(perSecond >= goalEventsPerSecond)} |`,
      `| Recommender handler per process CPU-second | ${perCpuSecond.toFixed(0)} | ` +
        `${((cpuMicros / 1000 / events) * 100).toFixed(1)} CPU | |`,
      `| floor: bare emulator round trips of the same batches | ${floorPerSecond.toFixed(0)} | ` +
        `${((floorMs / events) * 100).toFixed(1)} | |`,
      `| handler time ÷ floor time | ${(handlerMs / floorMs).toFixed(2)}× | | |`,
      '',
      'Handler ms per batch by quarter of the run (readers gain history as it goes: more policy lists, fewer ' +
        `content-fallback queries): ${quarters.map((entry) => (entry.ms / Math.max(entry.batches, 1)).toFixed(1)).join(' / ')}.`,
      '',
      `Where the handler's time goes: V8 CPU profile of ${options.profileBatches} more batches (outside the clock, ` +
        `${perBatchMs(profileWallMs)} ms per batch of wall time under the profiler, of which its samples cover ` +
        `${perBatchMs(profile.totalMs)}: the gap is most likely time the process waited for a CPU on the shared ` +
        'machine), self time by component; time in a native call counts for its caller. "Idle" is the main ' +
        'thread waiting (LevelDB and file I/O run on the thread pool).',
      '',
      '| component | ms per batch | share |',
      '|---|---|---|',
      ...profile.components
        .filter((entry) => entry.share >= 0.01)
        .map((entry) => `| ${entry.component} | ${perBatchMs(entry.ms)} | ${(100 * entry.share).toFixed(1)} % |`),
      `| (components under 1 %) | ${perBatchMs(
        profile.components.filter((entry) => entry.share < 0.01).reduce((total, entry) => total + entry.ms, 0),
      )} | |`,
      '',
      `The emulators' own code takes ${percent(emulatorShare)} of the profiled time, and most of the rest is Node's ` +
        'HTTP, the AWS SDK and garbage collection (both ends of every round trip run in this one process); ' +
        `Shelfwise's own code (lambdas/src) takes ${percent(ownShare)}. The bare round trips alone, with none of ` +
        `the handler's work, reach ${floorPerSecond.toFixed(0)} events/s: ` +
        (floorPerSecond < goalEventsPerSecond
          ? `under the goal, so with these emulators sharing the handler's core the goal cannot be met whatever the ` +
            'handler does; against a DynamoDB and a PostgreSQL on other machines only the client side would count.'
          : 'above the goal.'),
    ];
    const goals: GoalFigure[] = [
      {
        figure: 'Recommender handler throughput, local stack (emulators in the same process), one core',
        value: `${perSecond.toFixed(0)} events/s`,
        floor: `bare emulator round trips ${floorPerSecond.toFixed(0)} events/s`,
        ratio: `${(handlerMs / floorMs).toFixed(2)}× the floor's time`,
        goal: `≥ ${goalEventsPerSecond.toLocaleString('en')} events/s`,
        met: perSecond >= goalEventsPerSecond,
      },
    ];
    return { lines, goals };
  } finally {
    dynamo.destroy();
    s3.destroy();
    await pool.end();
  }
}

function sum(map: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const value of map.values()) total += value;
  return total;
}

async function readItems(
  dynamo: DynamoDBDocumentClient,
  table: string,
  readerIds: readonly string[],
): Promise<{ histories: Item[]; lists: Item[] }> {
  const keys = readerIds.flatMap((id) => [
    { pk: `READER#${id}`, sk: 'HISTORY' },
    { pk: `READER#${id}`, sk: 'RECOMMENDATIONS' },
  ]);
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Item[] = keys.slice(start, start + 100);
    while (pending.length > 0) {
      const response = await dynamo.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      items.push(...(response.Responses?.[table] ?? []));
      pending = (response.UnprocessedKeys?.[table]?.Keys as Item[] | undefined) ?? [];
    }
  }
  return {
    histories: items.filter((item) => item.sk === 'HISTORY'),
    lists: items.filter((item) => item.sk === 'RECOMMENDATIONS'),
  };
}

interface FloorClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly table: string;
  readonly s3: S3Client;
  readonly signals: PostgresCatalogueSignals;
  /** Versions of the floor's own history items, for its conditional Puts. */
  readonly versions: Map<string, number>;
}

/** The round trips of one handler batch, bare: the same calls and items, none of the handler's own work. */
async function floorRoundTrips(
  { dynamo, table, s3, signals, versions }: FloorClients,
  batch: readonly ReaderEvent[],
  written: { histories: Item[]; lists: Item[]; archive: string },
): Promise<void> {
  const floorKey = (item: Item) => String(item.pk).replace(/^READER#/, 'FLOOR#');
  await dynamo.send(
    new BatchGetCommand({
      RequestItems: {
        [table]: {
          Keys: written.histories.map((item) => ({ pk: floorKey(item), sk: 'HISTORY' })),
          ConsistentRead: true,
        },
      },
    }),
  );
  await Promise.all(
    written.histories.map(async (item) => {
      const pk = floorKey(item);
      const read = versions.get(pk) ?? 0;
      await dynamo.send(
        new PutCommand({
          TableName: table,
          Item: { ...item, pk, version: read + 1 },
          ...(read === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': read } }),
        }),
      );
      versions.set(pk, read + 1);
    }),
  );
  // Readers whose events said nothing of their taste (impressions, searches): the handler checks their list.
  const tasteless = new Set(batch.map((event) => event.readerId));
  for (const event of batch) if (historyEventType(event) || excludesBook(event)) tasteless.delete(event.readerId);
  await Promise.all(
    [...tasteless].map((readerId) =>
      dynamo.send(new GetCommand({ TableName: table, Key: { pk: `FLOOR#${readerId}`, sk: 'RECOMMENDATIONS' } })),
    ),
  );
  const popular = await signals.popular(60);
  for (const list of written.lists) {
    if (list.strategy !== 'similar') continue;
    const items = list.items as { reason: { becauseBookId?: string } }[];
    const sources = [...new Set(items.flatMap((item) => item.reason.becauseBookId ?? []))].slice(0, 5);
    await signals.similarInContent(sources, items.length, new Set());
  }
  await signals.availableBooks([
    ...new Set([
      ...written.lists.flatMap((list) => (list.items as { bookId: string }[]).map((item) => item.bookId)),
      ...popular.map((book) => book.bookId),
    ]),
  ]);
  for (let start = 0; start < written.lists.length; start += 25) {
    await dynamo.send(
      new BatchWriteCommand({
        RequestItems: {
          [table]: written.lists
            .slice(start, start + 25)
            .map((item) => ({ PutRequest: { Item: { ...item, pk: floorKey(item) } } })),
        },
      }),
    );
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: buckets.lake.localName,
      Key: `floor/recommendations/${written.lists.length}-${Date.now()}.ndjson`,
      Body: written.archive,
      ContentType: 'application/x-ndjson',
    }),
  );
  const weights = new Map<string, number>();
  for (const event of batch) if ('bookId' in event) weights.set(event.bookId, (weights.get(event.bookId) ?? 0) + 1);
  await signals.addPopularity(weights, new Date());
}
