import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { bookPageSchema } from '@shelfwise/lambdas/catalogue/domain/book';
import { buckets, streams } from '@shelfwise/lambdas/shared/infrastructure';
import type { KinesisStreamEvent, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMetadataDb } from '../../lambdas/tests/support/calibre-library';
import { uploadCalibreLibrary } from '../src/calibre-upload';
import { readDemoCatalogue } from '../src/demo/demo-catalogue';
import { deployedFunctions } from '../src/lambda/functions';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../src/runtime';
import { httpApiEventSchema, kinesisEventSchema, s3EventSchema } from './support/aws-event-shapes';
import { freePorts } from './support/free-ports';
import { failPoisonRecords, recordingFunction } from './support/recording-functions';

const s3Consumer = recordingFunction({
  id: 'TestIngest',
  triggers: [{ kind: 's3', bucket: 'ingest', prefix: 'calibre/' }],
});
const kinesisConsumer = recordingFunction(
  { id: 'TestRecommender', triggers: [{ kind: 'kinesis', stream: 'readerEvents', batchSize: 100 }] },
  failPoisonRecords,
);
const httpEcho = recordingFunction(
  { id: 'TestEcho', triggers: [{ kind: 'http', method: 'POST', path: '/echo/{id}', access: 'public' }] },
  async () => ({
    statusCode: 201,
    headers: { 'x-echo': 'yes' },
    body: 'created',
  }),
);

describe('local runtime', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  // Fixed for the whole file, so a restart finds its services where the first start put them (as `npm start` does).
  let ports: number[];
  const options = (): LocalRuntimeOptions => ({
    dataDir,
    port: ports[0]!,
    servicePorts: { postgres: ports[1]!, s3: ports[2]!, kinesis: ports[3]!, dynamodb: ports[4]! },
    reset: false,
    demoCatalogue: true,
    functions: [...deployedFunctions(), s3Consumer.fn, kinesisConsumer.fn, httpEcho.fn],
  });
  const clients = () => ({
    s3: new S3Client({ region: 'us-east-1', endpoint: runtime.environment.AWS_ENDPOINT_URL_S3, forcePathStyle: true }),
    kinesis: new KinesisClient({
      region: 'us-east-1',
      endpoint: runtime.environment.AWS_ENDPOINT_URL_KINESIS,
      requestHandler: new NodeHttpHandler(),
    }),
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-runtime-'));
    ports = await freePorts(5);
    runtime = await startLocalRuntime(options());
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the demo catalogue from Postgres through the catalogue API', async () => {
    // Prepare
    const demo = await readDemoCatalogue();

    // Act
    const response = await fetch(`${runtime.apiUrl}/books?limit=100`);
    const page = bookPageSchema.parse(await response.json());
    const health = await fetch(`${runtime.apiUrl}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(page.total).toBe(demo.length);
    expect(page.items).toHaveLength(Math.min(100, demo.length));
    expect(demo.map((book) => book.title)).toEqual(expect.arrayContaining(page.items.map((book) => book.title)));
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers a bad query with 400 and a message that names the problem', async () => {
    // Act
    const response = await fetch(`${runtime.apiUrl}/books?limit=5000`);
    const body = (await response.json()) as { message: string };

    // Assess
    expect(response.status).toBe(400);
    expect(body.message).toMatch(/limit/);
  });

  it('hands an HTTP request to its handler as an API Gateway v2 event and maps the result back', async () => {
    // Act
    const response = await fetch(`${runtime.apiUrl}/echo/a%20b?x=1&x=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'a=1; b=2' },
      body: JSON.stringify({ hello: 'world' }),
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.text()).toBe('created');
    const event = httpApiEventSchema.parse(httpEcho.received.at(-1));
    expect(event).toMatchObject({
      routeKey: 'POST /echo/{id}',
      rawPath: '/echo/a%20b',
      rawQueryString: 'x=1&x=2',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2' },
      pathParameters: { id: 'a b' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/echo/a%20b' } },
    });
  });

  it('delivers an object put into the local S3 to its consumer as a real S3 event', async () => {
    // Prepare
    const { s3 } = clients();
    const key = 'calibre/my library/metadata.db';

    // Act
    await s3.send(new PutObjectCommand({ Bucket: buckets.ingest.localName, Key: key, Body: 'SQLite format 3' }));
    await s3.send(new PutObjectCommand({ Bucket: buckets.ingest.localName, Key: 'elsewhere/x.txt', Body: 'x' }));

    // Assess
    await expect.poll(() => s3Consumer.received.length, { timeout: 10_000 }).toBe(1);
    const event: S3Event = s3EventSchema.parse(s3Consumer.received[0]);
    expect(event.Records[0]).toMatchObject({
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: buckets.ingest.localName, arn: `arn:aws:s3:::${buckets.ingest.localName}` },
        object: { key: 'calibre/my+library/metadata.db', size: 15 },
      },
    });
    s3.destroy();
  });

  it('delivers records put onto the local Kinesis stream to its consumer as a real Kinesis event', async () => {
    // Prepare
    const { kinesis } = clients();
    const before = kinesisConsumer.received.length;

    // Act
    await kinesis.send(
      new PutRecordCommand({
        StreamName: streams.readerEvents.localName,
        PartitionKey: 'reader-1',
        Data: Buffer.from('{"type":"view"}'),
      }),
    );

    // Assess
    await expect.poll(() => kinesisConsumer.received.length, { timeout: 10_000 }).toBeGreaterThan(before);
    const event: KinesisStreamEvent = kinesisEventSchema.parse(kinesisConsumer.received.at(-1));
    const record = event.Records.at(-1)!;
    expect(record.kinesis.partitionKey).toBe('reader-1');
    expect(Buffer.from(record.kinesis.data, 'base64').toString()).toBe('{"type":"view"}');
    expect(record.eventSourceARN).toMatch(new RegExp(`stream/${streams.readerEvents.localName}$`));
    kinesis.destroy();
  });

  it('retries a failed record from where it failed, then sends it to the dead-letter folder and moves on', async () => {
    // Prepare
    const { kinesis } = clients();

    // Act: one PutRecords call, so both records arrive in the same batch.
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: streams.readerEvents.localName,
        Records: ['poison', 'after-poison'].map((data) => ({ PartitionKey: 'reader-2', Data: Buffer.from(data) })),
      }),
    );

    // Assess
    const dataOf = (event: unknown) =>
      (event as KinesisStreamEvent).Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString());
    await expect
      .poll(() => kinesisConsumer.received.flatMap(dataOf).filter((data) => data === 'poison').length, {
        timeout: 20_000,
      })
      .toBe(4); // the first try and three retries
    const folder = path.join(dataDir, 'dead-letters', 'TestRecommender');
    await expect.poll(async () => (await readdir(folder).catch(() => [])).length, { timeout: 10_000 }).toBe(1);
    const [file] = await readdir(folder);
    const letter = JSON.parse(await readFile(path.join(folder, file!), 'utf8')) as {
      reason: string;
      payload: { count: number };
    };
    expect(letter.reason).toMatch(/Gave up after 3 retries: 1 record\(s\) reported as failed/);
    expect(letter.payload.count).toBe(2);
    expect(kinesisConsumer.received.flatMap(dataOf)).toContain('after-poison');
    kinesis.destroy();
  });

  it('ingests a Calibre library folder given with --calibre through the local S3 and the ingest function', async () => {
    // Prepare
    const folder = path.join(dataDir, 'My Library');
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, 'metadata.db'),
      await buildMetadataDb([
        { id: 1, uuid: 'c-1', title: 'Dế Mèn phiêu lưu ký', authors: [['Tô Hoài', 'Hoài, Tô']], languages: ['vie'] },
        { id: 2, uuid: 'c-2', title: 'The Call of the Wild', authors: [['Jack London', 'London, Jack']] },
      ]),
    );

    // Act
    const run = await uploadCalibreLibrary(runtime, folder);
    const found = bookPageSchema.parse(await (await fetch(`${runtime.apiUrl}/books?q=de%20men`)).json());

    // Assess
    expect(run).toMatchObject({ library: 'my-library', status: 'succeeded', counts: { added: 2 } });
    expect(found.items[0]?.title).toBe('Dế Mèn phiêu lưu ký');
  });

  it('keeps its data across a restart and resumes the stream where it stopped', async () => {
    // Prepare
    const before = bookPageSchema.parse(await (await fetch(`${runtime.apiUrl}/books?limit=5`)).json());
    const deliveredBefore = kinesisConsumer.received.length;
    await runtime.stop();

    // Act
    runtime = await startLocalRuntime(options());
    const after = bookPageSchema.parse(await (await fetch(`${runtime.apiUrl}/books?limit=5`)).json());
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Assess
    expect(after).toEqual(before);
    expect(runtime.database.migrationsApplied).toEqual([]);
    expect(runtime.database.demoCatalogue).toMatchObject({ added: 0, updated: 0, withdrawn: 0 });
    expect(kinesisConsumer.received.length).toBe(deliveredBefore);
  }, 60_000);
});
