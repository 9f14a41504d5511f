/**
 * Reader events onto the reader-events Kinesis stream with `PutRecords`: one record per event, the event's JSON as
 * data and the reader id as partition key (one reader's events stay on one shard, so the recommender sees them
 * together).
 *
 * `PutRecords` is not atomic: a call can succeed while some of its records fail (`FailedRecordCount`, a per-record
 * `ErrorCode` such as `ProvisionedThroughputExceededException`). Only those records are sent again, after an
 * exponential backoff with full jitter, for a bounded number of attempts; what still fails is reported as a
 * retryable failure for the client to send again. A whole call that fails has already been retried by the SDK's own
 * retry strategy: a transient failure (throttling, a server fault, the network) is reported for every record of
 * the call, any other failure (missing stream, missing permission) is thrown as an `EventPublishingError`.
 *
 * A retried record lands after records sent later in the same call, so within one reader the stream's order is
 * not always `occurredAt` order; consumers order by `occurredAt` and deduplicate by `eventId`.
 */
import { PutRecordsCommand, type KinesisClient, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { ShelfwiseError } from '../../shared/errors';
import type { ReaderEvent } from '../domain/reader-event';
import type { EventPublication, EventPublisher, PublishResult } from '../event-publisher';

export interface RetryPolicy {
  /** Calls per record, the first included. */
  readonly maxAttempts: number;
  /** The delay before the n-th retry is drawn uniformly from [0, min(maxDelayMs, baseDelayMs · 2^(n-1))). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** At most 4 retries waiting at most 0.1 + 0.2 + 0.4 + 0.8 s: well inside the API's 10 s timeout. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

/** Kinesis takes at most 500 records per `PutRecords` call. */
export const maxRecordsPerCall = 500;

/** Whole-call errors worth sending again later (the SDK's retries of them ran out). */
const transientErrorNames = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'ThrottlingException',
  'InternalFailureException',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
]);

/** The stream cannot be written at all; a server error, never the client's. */
export class EventPublishingError extends ShelfwiseError {}

export interface KinesisEventPublisherOptions {
  readonly retry?: RetryPolicy;
  /** Injected in tests so that backoff takes no time. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export class KinesisEventPublisher implements EventPublisher {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    options: KinesisEventPublisherOptions = {},
  ) {
    this.retry = options.retry ?? defaultRetryPolicy;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async publish(events: readonly ReaderEvent[]): Promise<PublishResult> {
    const results: EventPublication[] = Array.from({ length: events.length }, () => ({
      status: 'failed',
      errorCode: 'NotSent',
      retryable: true,
    }));
    const indices = events.map((_, index) => index);
    for (let start = 0; start < indices.length; start += maxRecordsPerCall) {
      await this.putWithRetries(events, indices.slice(start, start + maxRecordsPerCall), results);
    }
    return results;
  }

  /** Puts the events at `pending`, then again only those that failed, writing each outcome into `results`. */
  private async putWithRetries(
    events: readonly ReaderEvent[],
    pending: readonly number[],
    results: EventPublication[],
  ): Promise<void> {
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await this.sleep(this.backoffMs(attempt - 1));
      const call = await this.put(pending.map((index) => events[index]!));
      if ('failure' in call) {
        for (const index of pending) results[index] = call.failure;
        return;
      }
      const failed: number[] = [];
      pending.forEach((index, position) => {
        const entry = call.entries[position];
        const errorCode = entry ? entry.ErrorCode : 'MissingRecordResult';
        if (errorCode) {
          failed.push(index);
          results[index] = { status: 'failed', errorCode, retryable: true };
        } else {
          results[index] = { status: 'stored' };
        }
      });
      if (attempt >= this.retry.maxAttempts) return;
      pending = failed;
    }
  }

  /** One `PutRecords` call: its per-record entries, or the failure of the whole call when it is transient. */
  private async put(
    events: readonly ReaderEvent[],
  ): Promise<{ entries: readonly PutRecordsResultEntry[] } | { failure: EventPublication }> {
    try {
      const response = await this.client.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: events.map((event) => ({
            PartitionKey: event.readerId,
            Data: Buffer.from(JSON.stringify(event), 'utf8'),
          })),
        }),
      );
      return { entries: response.Records ?? [] };
    } catch (error) {
      if (!isTransient(error)) {
        throw new EventPublishingError(`Could not put records on stream ${this.streamName}`, { cause: error });
      }
      return { failure: { status: 'failed', errorCode: (error as Error).name, retryable: true } };
    }
  }

  private backoffMs(retry: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (retry - 1));
    return Math.floor(this.random() * ceiling);
  }
}

/** Throttling, a server-side fault, or a call that got no HTTP answer (network; the SDK adds `$metadata`). */
function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { $fault, $metadata } = error as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  if (transientErrorNames.has(error.name) || $fault === 'server') return true;
  if ($metadata === undefined) return false;
  return $metadata.httpStatusCode === undefined || $metadata.httpStatusCode >= 500;
}
