/**
 * The local stand-in of S3 event notifications to Lambda: every object written under a function's prefix is
 * delivered as a real `S3Event` (asynchronous invocation: two retries, then the dead-letter folder).
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { S3rverEventRecord } from 's3rver';
import { invoke, type LocalFunction } from '../lambda/functions';
import type { DeadLetterFolder } from './dead-letters';

/** S3 sends object keys URL-encoded, with spaces as '+', slashes kept. */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

export function toS3Event(record: S3rverEventRecord, region: string): S3Event {
  const s3Record: S3EventRecord = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: record.eventTime,
    eventName: record.eventName,
    userIdentity: { principalId: 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': record.s3.object.sequencer, 'x-amz-id-2': 'local' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'shelfwise-local',
      bucket: {
        name: record.s3.bucket.name,
        ownerIdentity: { principalId: 'LOCAL' },
        arn: `arn:aws:s3:::${record.s3.bucket.name}`,
      },
      object: {
        key: encodeEventKey(record.s3.object.key),
        size: record.s3.object.size ?? 0,
        eTag: record.s3.object.eTag ?? '',
        sequencer: record.s3.object.sequencer,
      },
    },
  };
  return { Records: [s3Record] };
}

export interface S3NotificationOptions {
  readonly fn: LocalFunction;
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  readonly deadLetters: DeadLetterFolder;
  readonly onError: (error: unknown) => void;
  readonly retryDelayMs?: number;
}

export class S3Notifications {
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: S3NotificationOptions) {}

  /** Called for every object event of the local S3; delivers the matching ones, one at a time, in order. */
  readonly handle = (record: S3rverEventRecord): void => {
    const { bucket, prefix } = this.options;
    if (this.stopped || record.s3.bucket.name !== bucket || !record.s3.object.key.startsWith(prefix)) return;
    if (!record.eventName.startsWith('ObjectCreated:')) return;
    const event = toS3Event(record, this.options.region);
    this.queue = this.queue.then(() => this.deliver(event)).catch(this.options.onError);
  };

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
  }

  private async deliver(event: S3Event): Promise<void> {
    const { fn, region, retryDelayMs = 1000 } = this.options;
    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
      try {
        await invoke(fn, event, region);
        return;
      } catch (error) {
        lastError = (error as Error).message;
        this.options.onError(error);
      }
    }
    await this.options.deadLetters.put(fn.spec.id, {
      source: `s3:${this.options.bucket}/${this.options.prefix}`,
      reason: `Gave up after 2 retries: ${lastError}`,
      payload: event,
    });
  }
}
