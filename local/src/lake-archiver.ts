/**
 * The local stand-in of Kinesis Data Firehose (dynamic partitioning) from the reader-events stream to the lake
 * bucket: a second consumer of the stream with its own checkpoint, like a second event source mapping, that writes
 * each batch's records as newline-delimited JSON, one object per hour partition of the records' arrival time, at
 * the keys of `lambdas/src/warehouse/lake-layout.ts`. Records that are not JSON go to `raw/errors/events/`
 * (Firehose's error output prefix) with the reason.
 *
 * Delivery is at least once: a batch that fails is retried whole, and a retry writes the same keys (each object is
 * named after its first record's sequence number); the ETL drops events seen twice by event id.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { buckets, streams } from '@shelfwise/lambdas/shared/infrastructure';
import { groupByPartition, rawObjectKey, toNdjson, type RawDataset } from '@shelfwise/lambdas/warehouse/lake-layout';
import type { DeadLetterFolder } from './event-sources/dead-letters';
import { KinesisPoller } from './event-sources/kinesis-poller';
import type { LocalFunction } from './lambda/functions';

export interface LakeArchiverOptions {
  readonly kinesis: KinesisClient;
  /** The local S3 endpoint (s3rver). */
  readonly s3Endpoint: string;
  readonly region: string;
  readonly checkpointDir: string;
  readonly deadLetters: DeadLetterFolder;
  readonly onError: (error: unknown) => void;
  /** Records per batch (Firehose buffers by size and time; here each poll is one buffer). */
  readonly batchSize?: number;
}

export interface LakeArchiver {
  stop(): Promise<void>;
}

interface Line {
  readonly dataset: RawDataset;
  readonly arrivedAt: Date;
  readonly objectId: string;
  readonly value: unknown;
}

function decode(record: KinesisStreamRecord): Line {
  const arrivedAt = new Date(record.kinesis.approximateArrivalTimestamp * 1000);
  const objectId = record.eventID.replace(/[^A-Za-z0-9-]/g, '-');
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  try {
    return { dataset: 'events', arrivedAt, objectId, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = `Not JSON: ${(error as Error).message}`;
    return { dataset: 'eventErrors', arrivedAt, objectId, value: { data: record.kinesis.data, reason } };
  }
}

/** Writes one batch of stream records into the lake (what Firehose does per buffer). */
export function archiveBatch(s3: S3Client, bucket: string) {
  return async (event: KinesisStreamEvent): Promise<void> => {
    const lines = event.Records.map(decode);
    const writes = (['events', 'eventErrors'] as const).flatMap((dataset) =>
      groupByPartition(
        lines.filter((line) => line.dataset === dataset),
        (line) => line.arrivedAt,
      ).map((group) =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: rawObjectKey(dataset, group.firstAt, group.items[0]!.objectId),
            Body: toNdjson(group.items.map((line) => line.value)),
            ContentType: 'application/x-ndjson',
          }),
        ),
      ),
    );
    await Promise.all(writes);
  };
}

/** Starts archiving the reader-events stream into the lake bucket, from its checkpoint (else the oldest record). */
export async function startLakeArchiver(options: LakeArchiverOptions): Promise<LakeArchiver> {
  const s3 = new S3Client({ region: options.region, endpoint: options.s3Endpoint, forcePathStyle: true });
  const handler = archiveBatch(s3, buckets.lake.localName);
  const archiver: LocalFunction = {
    spec: {
      id: 'LakeArchiver',
      description: 'Local stand-in of the Firehose delivery stream from reader events to the lake bucket.',
      entry: 'local/src/lake-archiver.ts',
      memoryMb: 256,
      timeoutSeconds: 60,
      uses: {},
      triggers: [],
    },
    load: async () => handler,
  };
  const poller = new KinesisPoller({
    client: options.kinesis,
    fn: archiver,
    streamName: streams.readerEvents.localName,
    batchSize: options.batchSize ?? 500,
    region: options.region,
    checkpointDir: options.checkpointDir,
    deadLetters: options.deadLetters,
    onError: options.onError,
  });
  await poller.start();
  return {
    async stop() {
      await poller.stop();
      s3.destroy();
    },
  };
}
