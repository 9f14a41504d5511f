import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordsCommand,
  waitUntilStreamExists,
  type PutRecordsCommandInput,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startKinesis, type LocalEmulator } from '@shelfwise/local/emulators/kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventPublishingError,
  KinesisEventPublisher,
  type KinesisEventPublisherOptions,
} from '../../src/recommendations/adapters/kinesis-event-publisher';
import { readerEventSchema, type ReaderEvent } from '../../src/recommendations/domain/reader-event';

function view(n: number, readerId: string): ReaderEvent {
  return {
    type: 'view',
    eventId: `event-${String(n).padStart(4, '0')}`,
    readerId,
    occurredAt: '2026-03-01T12:00:00.000Z',
    bookId: String(100 + n),
  };
}

/** Backoff that takes no time, recording the delays it was asked for. */
function instantBackoff(): Required<Pick<KinesisEventPublisherOptions, 'sleep' | 'random'>> & { delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms), random: () => 0.5 };
}

describe('KinesisEventPublisher (kinesalite)', () => {
  let kinesis: LocalEmulator;
  let client: KinesisClient;
  let streamCount = 0;

  beforeAll(async () => {
    kinesis = await startKinesis({ path: undefined, port: 0 });
  });

  afterAll(async () => {
    client?.destroy();
    await kinesis?.stop();
  });

  /** A fresh client per test, so a test that wraps `send` leaves the others alone. */
  function newClient() {
    client?.destroy();
    client = new KinesisClient({
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
    return client;
  }

  async function newStream(shards = 1): Promise<string> {
    const name = `reader-events-${++streamCount}`;
    const admin = newClient();
    await admin.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await waitUntilStreamExists({ client: admin, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
    return name;
  }

  /** Every record on the stream, shard by shard in sequence order. */
  async function readStream(name: string) {
    const reader = new KinesisClient({
      region: 'us-east-1',
      endpoint: kinesis.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
    const records: { shardId: string; partitionKey: string; event: ReaderEvent }[] = [];
    const { Shards = [] } = await reader.send(new ListShardsCommand({ StreamName: name }));
    for (const { ShardId: shardId = '' } of Shards) {
      let { ShardIterator: iterator } = await reader.send(
        new GetShardIteratorCommand({ StreamName: name, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      while (iterator) {
        const page = await reader.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        if (!page.Records?.length) break;
        for (const record of page.Records) {
          const event = readerEventSchema.parse(JSON.parse(Buffer.from(record.Data ?? []).toString('utf8')));
          records.push({ shardId, partitionKey: record.PartitionKey ?? '', event });
        }
        iterator = page.NextShardIterator;
      }
    }
    reader.destroy();
    return records;
  }

  /**
   * Wraps the client's `send` so that the PutRecords calls listed in `failures` (1-based) answer a
   * ProvisionedThroughputExceededException for the records at the given positions. Only the response is fake: the
   * other records of the call really go to kinesalite, and the failed ones do not.
   */
  function throttle(target: KinesisClient, failures: (call: number) => ReadonlySet<number>) {
    const calls: PutRecordsCommandInput[] = [];
    const realSend: (command: PutRecordsCommand) => Promise<PutRecordsCommandOutput> = target.send.bind(target);
    const send = async (command: PutRecordsCommand): Promise<PutRecordsCommandOutput> => {
      calls.push(command.input);
      const failAt = failures(calls.length);
      const records = command.input.Records ?? [];
      const passing = records.filter((_, position) => !failAt.has(position));
      const real: PutRecordsCommandOutput =
        passing.length > 0
          ? await realSend(new PutRecordsCommand({ ...command.input, Records: passing }))
          : { Records: [], $metadata: { httpStatusCode: 200 } };
      const realEntries = [...(real.Records ?? [])];
      return {
        ...real,
        FailedRecordCount: failAt.size,
        Records: records.map((_, position) =>
          failAt.has(position)
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' }
            : realEntries.shift()!,
        ),
      };
    };
    Object.assign(target, { send });
    return calls;
  }

  it('puts each event as one record: partition key = reader id, data = the event JSON, in order per reader', async () => {
    // Prepare
    const stream = await newStream(2);
    const publisher = new KinesisEventPublisher(client, stream);
    const readers = ['anon-0f3c', 'reader-17', 'reader-2@example.org', 'anon-9a11'];
    const events = Array.from({ length: 40 }, (_, n) => view(n, readers[n % readers.length]!));

    // Act
    const result = await publisher.publish(events);

    // Assess
    expect(result).toEqual(events.map(() => ({ status: 'stored' })));
    const records = await readStream(stream);
    expect(records).toHaveLength(events.length);
    for (const record of records) expect(record.partitionKey).toBe(record.event.readerId);
    for (const reader of readers) {
      const ofReader = records.filter((record) => record.partitionKey === reader);
      expect(new Set(ofReader.map((record) => record.shardId)).size).toBe(1);
      expect(ofReader.map((record) => record.event)).toEqual(events.filter((event) => event.readerId === reader));
    }
  });

  it('sends at most 500 records per PutRecords call', async () => {
    // Prepare
    const stream = await newStream();
    const calls = throttle(client, () => new Set());
    const publisher = new KinesisEventPublisher(client, stream);
    const events = Array.from({ length: 501 }, (_, n) => view(n, `reader-${n % 7}`));

    // Act
    const result = await publisher.publish(events);

    // Assess
    expect(calls.map((call) => call.Records?.length)).toEqual([500, 1]);
    expect(result.every((publication) => publication.status === 'stored')).toBe(true);
    expect((await readStream(stream)).map((record) => record.event.eventId).sort()).toEqual(
      events.map((event) => event.eventId).sort(),
    );
  });

  it('sends again only the records that failed, after a backoff, and stores every event once', async () => {
    // Prepare
    const stream = await newStream();
    const calls = throttle(client, (call) => new Set(call === 1 ? [1, 3] : []));
    const backoff = instantBackoff();
    const publisher = new KinesisEventPublisher(client, stream, backoff);
    const events = Array.from({ length: 5 }, (_, n) => view(n, `reader-${n}`));

    // Act
    const result = await publisher.publish(events);

    // Assess
    expect(result).toEqual(events.map(() => ({ status: 'stored' })));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.Records?.map((record) => record.PartitionKey)).toEqual(['reader-1', 'reader-3']);
    expect(backoff.delays).toEqual([50]);
    const stored = (await readStream(stream)).map((record) => record.event.eventId);
    expect(stored.sort()).toEqual(events.map((event) => event.eventId));
  });

  it('gives up after the last attempt and reports the records still failing as retryable', async () => {
    // Prepare
    const stream = await newStream();
    const calls = throttle(client, () => new Set([0]));
    const backoff = instantBackoff();
    const retry = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 };
    const publisher = new KinesisEventPublisher(client, stream, { ...backoff, retry });
    const events = [view(1, 'reader-a'), view(2, 'reader-b'), view(3, 'reader-c')];

    // Act
    const result = await publisher.publish(events);

    // Assess
    expect(result).toEqual([
      { status: 'failed', errorCode: 'ProvisionedThroughputExceededException', retryable: true },
      { status: 'stored' },
      { status: 'stored' },
    ]);
    expect(calls.map((call) => call.Records?.length)).toEqual([3, 1, 1, 1]);
    expect(backoff.delays).toEqual([50, 100, 150]);
    expect((await readStream(stream)).map((record) => record.event.eventId)).toEqual(['event-0002', 'event-0003']);
  });

  it('reports every record of a call that failed as a whole with a transient error as retryable', async () => {
    // Prepare
    const stream = await newStream();
    const throttled = new ProvisionedThroughputExceededException({
      message: 'Rate exceeded for stream',
      $metadata: { httpStatusCode: 400 },
    });
    Object.assign(client, { send: async () => Promise.reject(throttled) });
    const publisher = new KinesisEventPublisher(client, stream, instantBackoff());

    // Act
    const result = await publisher.publish([view(1, 'reader-a'), view(2, 'reader-b')]);

    // Assess
    expect(result).toEqual([
      { status: 'failed', errorCode: 'ProvisionedThroughputExceededException', retryable: true },
      { status: 'failed', errorCode: 'ProvisionedThroughputExceededException', retryable: true },
    ]);
  });

  it('throws an EventPublishingError when the stream does not exist', async () => {
    // Prepare
    const publisher = new KinesisEventPublisher(newClient(), 'no-such-stream', instantBackoff());

    // Act
    const failure = await publisher.publish([view(1, 'reader-a')]).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(EventPublishingError);
    expect((failure as EventPublishingError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
