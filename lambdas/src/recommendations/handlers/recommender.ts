/**
 * The recommender: a Kinesis batch of reader events in, each reader's history and fresh recommendations out.
 *
 * All records are decoded first; the valid events of the whole batch go through the use case together (one model
 * call for every reader in it); then Powertools' batch processor reports as failed (ReportBatchItemFailures) the
 * records that are malformed (poison: after the event source's bounded retries they go to its on-failure queue) and
 * those of readers whose update failed (retried; replays change nothing). The rest of the batch is done either way.
 */
import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { createEmbedder } from '../../chat/adapters/create-adapters';
import { lazyPool } from '../../shared/db/pool';
import { logger, metrics } from '../../shared/observability';
import { DynamoDbReaderStore } from '../adapters/dynamodb-reader-store';
import { ModelRegistry } from '../adapters/model-registry';
import { ModelStore } from '../adapters/model-store';
import { loadOnnxPolicy } from '../adapters/onnx-policy';
import { PostgresCatalogueSignals } from '../adapters/postgres-catalogue-signals';
import { recommenderConfigFrom } from '../config';
import { readerEventSchema, type ReaderEvent } from '../domain/reader-event';
import { S3ServedRecommendationsArchive } from '../../warehouse/adapters/s3-served-recommendations-archive';
import { recommendFromEvents } from '../use-cases/recommend-from-events';

const config = recommenderConfigFrom(process.env);
const getPool = lazyPool(() => config.database);
const embedder = createEmbedder(config.embedder);
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const store = new DynamoDbReaderStore(dynamo, config.readerTable);
const s3 = new S3Client({ forcePathStyle: true });
const models = new ModelStore(s3, config.modelsBucket, dynamo, config.readerTable);
// Every served list goes to the lake (raw/recommendations/…): coverage and fallback share are measured from it.
const servedArchive = new S3ServedRecommendationsArchive(s3, config.lakeBucket);
const catalogue = async () =>
  new PostgresCatalogueSignals(await getPool(), { modelId: embedder.modelId, dimension: embedder.dimension });

const registry = new ModelRegistry({
  pointer: () => models.pointer(),
  files: (pointer) => models.files(pointer),
  load: async (files) => loadOnnxPolicy(files, await catalogue(), { minCatalogueMatch: config.minCatalogueMatch }),
  refreshMs: config.modelRefreshSeconds * 1000,
  onLoaded: (policy, pointer) => {
    logger.info('Model loaded', { modelVersion: policy.version, prefix: pointer.prefix });
  },
  onRejected: (version, error) => {
    logger.error('Model rejected; the previous model keeps serving', { modelVersion: version, error });
    metrics.addMetric('ModelRejected', 'Count', 1);
  },
  onPointerError: (error) => logger.warn('Model pointer unreadable; the current model keeps serving', { error }),
});

class PoisonRecordError extends Error {
  override name = 'PoisonRecordError';
}

function decode(record: KinesisStreamRecord): ReaderEvent | PoisonRecordError {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  } catch {
    return new PoisonRecordError(`Record ${record.kinesis.sequenceNumber} is not JSON`);
  }
  const parsed = readerEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`);
    return new PoisonRecordError(`Record ${record.kinesis.sequenceNumber} is not a reader event: ${issues.join('; ')}`);
  }
  return parsed.data;
}

export const handler = async (event: KinesisStreamEvent, context: Context) => {
  const decoded = new Map(event.Records.map((record) => [record.kinesis.sequenceNumber, decode(record)]));
  const events = [...decoded.values()].filter((value): value is ReaderEvent => !(value instanceof Error));
  const outcome = await recommendFromEvents(
    {
      store,
      policies: registry,
      catalogue: await catalogue(),
      now: () => new Date(),
      random: Math.random,
      newId: randomUUID,
    },
    events,
    config.settings,
  );

  // A replay makes no new lists, so a retry would not archive these either: a failure is logged, not retried.
  await servedArchive.archive(outcome.lists).catch((error: unknown) => {
    logger.warn('Served lists not archived', { error: error as Error });
    metrics.addMetric('ServedListsNotArchived', 'Count', outcome.lists.length);
  });

  const poison = event.Records.length - events.length;
  if (poison > 0) metrics.addMetric('PoisonRecords', 'Count', poison);
  metrics.addMetric('EventsProcessed', 'Count', events.length);
  metrics.addMetric('ReadersFailed', 'Count', outcome.failed.size);
  if (outcome.lists.length > 0) {
    metrics.addMetric(
      'FallbackRate',
      'Percent',
      (100 * (outcome.lists.length - outcome.strategies.policy)) / outcome.lists.length,
    );
  }
  if (outcome.strategies.policy > 0) metrics.addMetric('InferenceTime', 'Milliseconds', outcome.inferenceMs);
  if (outcome.modelVersion) metrics.addMetadata('modelVersion', outcome.modelVersion);
  for (const [readerId, error] of outcome.failed) logger.error('Reader update failed', { readerId, error });
  if (outcome.popularityError) logger.warn('Popularity not updated', { error: outcome.popularityError });
  logger.info('Batch processed', {
    records: event.Records.length,
    poison,
    readersFailed: outcome.failed.size,
    replayedReaders: outcome.unchanged,
    lists: outcome.lists.length,
    strategies: outcome.strategies,
    modelVersion: outcome.modelVersion,
    inferenceMs: Math.round(outcome.inferenceMs * 100) / 100,
  });
  metrics.publishStoredMetrics();

  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  return processPartialResponse(
    event,
    async (record: KinesisStreamRecord) => {
      const value = decoded.get(record.kinesis.sequenceNumber);
      if (value instanceof Error) throw value;
      const failure = value && outcome.failed.get(value.readerId);
      if (failure) throw failure;
    },
    processor,
    { context, throwOnFullBatchFailure: false },
  );
};
