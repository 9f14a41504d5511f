/**
 * The local stand-in of a Lambda event source mapping on a Kinesis stream: it reads each shard in order, hands
 * batches to the function as a real `KinesisStreamEvent`, honours `batchItemFailures` (reportBatchItemFailures:
 * the batch is retried from the first failed record), gives up on a batch after `maxRetries` and sends it to the
 * dead-letter folder, and checkpoints per shard so a restart resumes where it stopped.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { _Record as KinesisRecord, ShardIteratorType } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { invoke, type LocalFunction } from '../lambda/functions';
import type { DeadLetterFolder } from './dead-letters';

export interface KinesisPollerOptions {
  readonly client: KinesisClient;
  readonly fn: LocalFunction;
  readonly streamName: string;
  readonly batchSize: number;
  readonly region: string;
  readonly checkpointDir: string;
  readonly deadLetters: DeadLetterFolder;
  readonly maxRetries?: number;
  readonly idleDelayMs?: number;
  readonly onError: (error: unknown) => void;
}

export function toKinesisEvent(
  records: readonly KinesisRecord[],
  shardId: string,
  streamArn: string,
  region: string,
  roleArn: string,
): KinesisStreamEvent {
  return {
    Records: records.map((record): KinesisStreamRecord => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shardId}:${record.SequenceNumber ?? ''}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: roleArn,
      awsRegion: region,
      eventSourceARN: streamArn,
    })),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KinesisPoller {
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: KinesisPollerOptions) {}

  async start(): Promise<void> {
    const { client, streamName } = this.options;
    const shards = await client.send(new ListShardsCommand({ StreamName: streamName }));
    await mkdir(this.options.checkpointDir, { recursive: true });
    this.running = true;
    this.loops = (shards.Shards ?? []).map((shard) => this.pollShard(shard.ShardId ?? ''));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private checkpointFile(shardId: string): string {
    return path.join(
      this.options.checkpointDir,
      `${this.options.fn.spec.id}-${this.options.streamName}-${shardId}.json`,
    );
  }

  private async readCheckpoint(shardId: string): Promise<string | undefined> {
    try {
      const saved = JSON.parse(await readFile(this.checkpointFile(shardId), 'utf8')) as { sequenceNumber?: string };
      return saved.sequenceNumber;
    } catch {
      return undefined;
    }
  }

  private async iterator(
    shardId: string,
    type: ShardIteratorType,
    sequenceNumber?: string,
  ): Promise<string | undefined> {
    const result = await this.options.client.send(
      new GetShardIteratorCommand({
        StreamName: this.options.streamName,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(sequenceNumber ? { StartingSequenceNumber: sequenceNumber } : {}),
      }),
    );
    return result.ShardIterator;
  }

  private async pollShard(shardId: string): Promise<void> {
    const { client, idleDelayMs = 200 } = this.options;
    const checkpoint = await this.readCheckpoint(shardId);
    let iterator = checkpoint
      ? await this.iterator(shardId, 'AFTER_SEQUENCE_NUMBER', checkpoint)
      : await this.iterator(shardId, 'TRIM_HORIZON');
    while (this.running && iterator) {
      try {
        const batch = await client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize }),
        );
        const records = batch.Records ?? [];
        if (records.length === 0) {
          iterator = batch.NextShardIterator;
          await sleep(idleDelayMs);
          continue;
        }
        const last = await this.deliver(shardId, records);
        await writeFile(this.checkpointFile(shardId), JSON.stringify({ sequenceNumber: last }));
        iterator = await this.iterator(shardId, 'AFTER_SEQUENCE_NUMBER', last);
      } catch (error) {
        this.options.onError(error);
        await sleep(1000);
      }
    }
  }

  /** Delivers one batch, retrying from the first failed record; returns the sequence number to checkpoint. */
  private async deliver(shardId: string, records: readonly KinesisRecord[]): Promise<string> {
    const { fn, region, maxRetries = 3 } = this.options;
    const streamArn = `arn:aws:kinesis:${region}:000000000000:stream/${this.options.streamName}`;
    const roleArn = `arn:aws:iam::000000000000:role/shelfwise-local-${fn.spec.id}`;
    let pending = records;
    let lastError = '';
    for (let attempt = 0; attempt <= maxRetries && pending.length > 0; attempt += 1) {
      if (attempt > 0) await sleep(Math.min(200 * 2 ** attempt, 2000));
      try {
        const result = (await invoke(fn, toKinesisEvent(pending, shardId, streamArn, region, roleArn), region)) as
          KinesisStreamBatchResponse | undefined;
        const failed = result?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? [];
        if (failed.length === 0) return pending.at(-1)?.SequenceNumber ?? '';
        const firstFailed = pending.findIndex((record) => failed.includes(record.SequenceNumber ?? ''));
        lastError = `${failed.length} record(s) reported as failed`;
        pending = firstFailed >= 0 ? pending.slice(firstFailed) : pending;
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
    await this.options.deadLetters.put(fn.spec.id, {
      source: `kinesis:${this.options.streamName}:${shardId}`,
      reason: `Gave up after ${maxRetries} retries: ${lastError}`,
      payload: {
        firstSequenceNumber: pending[0]?.SequenceNumber,
        lastSequenceNumber: pending.at(-1)?.SequenceNumber,
        count: pending.length,
      },
    });
    return records.at(-1)?.SequenceNumber ?? '';
  }
}
