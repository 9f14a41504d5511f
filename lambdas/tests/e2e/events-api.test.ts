import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fromSpec } from '@shelfwise/local/lambda/functions';
import { startLocalRuntime, type LocalRuntime } from '@shelfwise/local/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePorts } from '../../../local/tests/support/free-ports';
import { functions } from '../../src/functions';
import { readerEventSchema } from '../../src/recommendations/domain/reader-event';
import { streams } from '../../src/shared/infrastructure';

const answerSchema = z
  .object({
    accepted: z.number(),
    duplicates: z.number(),
    rejected: z.array(
      z.object({ index: z.number(), eventId: z.string().optional(), reason: z.string(), retryable: z.boolean() }),
    ),
  })
  .strict();

describe('POST /api/events on the local runtime', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-events-'));
    const [port, postgres, s3, kinesisPort, dynamodb] = await freePorts(5);
    const eventsApi = functions.find((fn) => fn.id === 'ReaderEventsApi')!;
    runtime = await startLocalRuntime({
      dataDir,
      port: port!,
      servicePorts: { postgres: postgres!, s3: s3!, kinesis: kinesisPort!, dynamodb: dynamodb! },
      reset: false,
      demoCatalogue: false,
      // Only the events API: no consumer takes part, so the stream holds exactly what the API put there.
      functions: [fromSpec(eventsApi)],
    });
    kinesis = new KinesisClient({
      region: 'us-east-1',
      endpoint: runtime.environment.AWS_ENDPOINT_URL_KINESIS,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
  }, 120_000);

  afterAll(async () => {
    kinesis?.destroy();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const post = (body: string) =>
    fetch(`${runtime.apiUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  /** Every record on the local reader-events stream, with its partition key and parsed event. */
  async function readStream() {
    const StreamName = streams.readerEvents.localName;
    const records: { partitionKey: string; event: z.infer<typeof readerEventSchema> }[] = [];
    const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName }));
    for (const shard of Shards) {
      let { ShardIterator: iterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      while (iterator) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
        if (!page.Records?.length) break;
        for (const record of page.Records) {
          const event = readerEventSchema.parse(JSON.parse(Buffer.from(record.Data ?? []).toString('utf8')));
          records.push({ partitionKey: record.PartitionKey ?? '', event });
        }
        iterator = page.NextShardIterator;
      }
    }
    return records;
  }

  it('puts the valid events on the stream, keyed by reader, and says which were rejected and why', async () => {
    // Prepare
    const id = () => randomUUID();
    const now = new Date().toISOString();
    // Anonymous ids of the form the web app makes: an anonymous caller may send events for those only.
    const readerA = `anon-${randomUUID()}`;
    const readerB = `anon-${randomUUID()}`;
    const events = [
      { type: 'open', eventId: id(), readerId: readerA, occurredAt: now, bookId: '12' },
      { type: 'borrow', eventId: id(), readerId: readerB, occurredAt: now, bookId: '12' },
      {
        type: 'impression',
        eventId: id(),
        readerId: readerA,
        occurredAt: now,
        bookId: '77',
        recommendationId: 'rec-1',
        position: 0,
        modelVersion: 'baseline-1',
      },
      { type: 'rate', eventId: id(), readerId: readerB, occurredAt: now, bookId: '12', rating: 9 },
    ];
    const repeat = events[0]!;

    // Act
    const response = await post(JSON.stringify({ events: [...events, repeat] }));
    const answer = answerSchema.parse(await response.json());
    const sentIds = new Set<string>(events.map((event) => event.eventId));
    const onStream = (await readStream()).filter((record) => sentIds.has(record.event.eventId));

    // Assess
    expect(response.status).toBe(200);
    expect(answer.accepted).toBe(4);
    expect(answer.duplicates).toBe(1);
    expect(answer.rejected).toHaveLength(1);
    expect(answer.rejected[0]).toMatchObject({ index: 3, eventId: events[3]!.eventId, retryable: false });
    expect(answer.rejected[0]?.reason).toMatch(/^Invalid event: rating: /);
    expect(onStream.map((record) => record.event)).toEqual(events.slice(0, 3));
    for (const record of onStream) expect(record.partitionKey).toBe(record.event.readerId);
  });

  it('answers 400 for a body that is not a batch of events, and 413 for more than 500 events', async () => {
    // Prepare
    const event = { type: 'view', eventId: 'event-0001', readerId: 'r-1', occurredAt: new Date().toISOString() };
    const tooMany = JSON.stringify({ events: Array.from({ length: 501 }, () => ({ ...event, bookId: '1' })) });

    // Act
    const statuses = await Promise.all(
      [
        'not json',
        '[]',
        '{}',
        '{"events":[]}',
        '{"events":{}}',
        JSON.stringify({ events: [event], more: 1 }),
        tooMany,
      ].map(async (body) => (await post(body)).status),
    );

    // Assess
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 413]);
  });
});
