/**
 * Real-time recommendations end to end on the local stack: reader events on the local Kinesis stream, the
 * Recommender handler run by the local event source, histories and lists in the local DynamoDB, the policy trained by
 * the project's own training code, published to the local S3 and promoted through the model pointer, and the lists
 * read back through the local HTTP API.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { functions } from '@shelfwise/lambdas/functions';
import { buckets, streams, tables } from '@shelfwise/lambdas/shared/infrastructure';
import pg from 'pg';
import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';
import type { ServedList } from '@shelfwise/lambdas/recommendations/use-cases/read-recommendations';
import { trainDefaultModel } from '@shelfwise/training/pipeline/default-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBookIds, localModelStore, publishModelFolder } from '../src/default-model';
import { readDemoCatalogue } from '../src/demo/demo-catalogue';
import { toKinesisEvent } from '../src/event-sources/kinesis-poller';
import { fromSpec, invoke } from '../src/lambda/functions';
import { startLocalRuntime, type LocalRuntime } from '../src/runtime';
import { freePorts } from './support/free-ports';

/** Anonymous reader ids of the form the web app makes (`anon-<uuid v4>`): the API serves only those without a token. */
const anonymousIds = new Map<string, string>();
function reader(name: string): string {
  if (!anonymousIds.has(name)) anonymousIds.set(name, `anon-${randomUUID()}`);
  return anonymousIds.get(name)!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('real-time recommendations on the local stack', () => {
  let dataDir: string;
  let modelDir: string;
  let runtime: LocalRuntime;
  let kinesis: KinesisClient;
  let model: ReturnType<typeof localModelStore>;
  /** Catalogue ids of the demo books, by subject. */
  const bySubject = new Map<string, string[]>();
  let subject: string;
  let books: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-recs-'));
    modelDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-recs-model-'));
    const ports = await freePorts(5);
    runtime = await startLocalRuntime({
      dataDir,
      port: ports[0]!,
      servicePorts: { postgres: ports[1]!, s3: ports[2]!, kinesis: ports[3]!, dynamodb: ports[4]! },
      reset: true,
      demoCatalogue: true,
      // Check the model pointer on every batch, so a promotion shows at once.
      environment: { MODEL_REFRESH_SECONDS: '0', RECOMMENDATION_LIST_SIZE: '10' },
    });
    kinesis = new KinesisClient({
      region: 'us-east-1',
      endpoint: runtime.environment.AWS_ENDPOINT_URL_KINESIS,
      requestHandler: new NodeHttpHandler(),
    });
    model = localModelStore(runtime.environment);
    const ids = await demoBookIds(runtime.environment.DATABASE_URL!);
    books = ids.size;
    for (const book of await readDemoCatalogue()) {
      const id = ids.get(book.key);
      if (!id) continue;
      for (const name of book.subjects) bySubject.set(name, [...(bySubject.get(name) ?? []), id]);
    }
    // The subject with the most books (ties: first by name) that is not everywhere.
    subject = [...bySubject]
      .filter(([, books]) => books.length <= ids.size / 10)
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0]![0];
    // Fewer readers and epochs than `npm start`'s model (3000, 6), enough for it to follow a reader's subject.
    await trainDefaultModel(path.join(modelDir, 'v1'), {
      seed: 3,
      readers: 2000,
      policy: { epochs: 3 },
      bookIds: ids,
      version: 'test-v1',
    });
  }, 300_000);

  afterAll(async () => {
    kinesis?.destroy();
    model?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(modelDir, { recursive: true, force: true });
  });

  const event = (readerId: string, type: 'open' | 'borrow' | 'dismiss', bookId: string): ReaderEvent => ({
    eventId: randomUUID(),
    readerId,
    type,
    bookId,
    occurredAt: new Date().toISOString(),
  });

  async function put(records: readonly (ReaderEvent | string)[]): Promise<void> {
    const result = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streams.readerEvents.localName,
        Records: records.map((record) => ({
          PartitionKey: typeof record === 'string' ? 'poison' : record.readerId,
          Data: Buffer.from(typeof record === 'string' ? record : JSON.stringify(record)),
        })),
      }),
    );
    expect(result.FailedRecordCount ?? 0).toBe(0);
  }

  async function recommendations(readerId: string): Promise<ServedList> {
    const response = await fetch(`${runtime.apiUrl}/readers/${readerId}/recommendations`);
    expect(response.status).toBe(200);
    return (await response.json()) as ServedList;
  }

  /** Polls until the reader's list satisfies `done` (the recommender works asynchronously behind the stream). */
  async function until(readerId: string, done: (list: ServedList) => boolean, what: string): Promise<ServedList> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const list = await recommendations(readerId);
      if (done(list)) return list;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last list: ${JSON.stringify(list)}`);
      await sleep(200);
    }
  }

  const share = (list: ServedList, name: string) =>
    list.items.filter((item) => item.book.subjects.includes(name)).length / Math.max(list.items.length, 1);

  it('gives a new reader a non-empty list of popular books', async () => {
    const list = await recommendations(reader('new'));

    expect(list.items.length).toBe(10);
    expect(list.strategy).toBe('popular');
    expect(list.modelVersion).toBe('fallback');
    expect(list.items.every((item) => item.reason.kind === 'popular')).toBe(true);
    // Made on the spot: clients that just acted keep polling for the recommender's own list.
    expect(list.provisional).toBe(true);
  });

  it('answers content-similar books after one interaction, before any model is promoted', async () => {
    const opened = bySubject.get(subject)![0]!;
    await put([event(reader('one'), 'open', opened)]);

    const list = await until(reader('one'), (l) => l.strategy === 'similar', 'a content-similar list');
    expect(list.provisional).toBeUndefined();

    expect(list.items.length).toBe(10);
    expect(list.items.map((item) => item.book.id)).not.toContain(opened);
    expect(list.items[0]!.reason).toMatchObject({ kind: 'similar', because: { id: opened } });
  });

  it('answers the books similar to a book, and 404 for a book that does not exist', async () => {
    const bookId = bySubject.get(subject)![0]!;

    const response = await fetch(`${runtime.apiUrl}/books/${bookId}/similar?limit=6`);
    const missing = await fetch(`${runtime.apiUrl}/books/987654321/similar`);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: ServedList['items'] };
    expect(body.items).toHaveLength(6);
    expect(body.items.map((item) => item.book.id)).not.toContain(bookId);
    expect(body.items[0]!.reason).toMatchObject({ kind: 'similar', because: { id: bookId } });
    expect(missing.status).toBe(404);
  });

  it('moves the list toward the subject of three opened books and leaves them out, with the promoted model', async () => {
    const version = await publishModelFolder(model.store, path.join(modelDir, 'v1'));
    expect(await model.store.promote(version)).toBe(true);
    const before = await recommendations(reader('subject'));
    const opened = bySubject.get(subject)!.slice(0, 3);

    await put(opened.map((bookId) => event(reader('subject'), 'open', bookId)));
    const after = await until(reader('subject'), (l) => l.strategy === 'policy', 'a list from the policy');

    expect(after.modelVersion).toBe('test-v1');
    expect(after.items.length).toBe(10);
    expect(after.items.map((item) => item.book.id).filter((id) => opened.includes(id))).toEqual([]);
    // At least three times the subject's share of the catalogue (at most a tenth), and more than before.
    const catalogueShare = bySubject.get(subject)!.length / books;
    expect(share(after, subject)).toBeGreaterThanOrEqual(Math.min(3 * catalogueShare, 1));
    expect(share(after, subject)).toBeGreaterThan(share(before, subject));
    expect(after.items.some((item) => item.reason.kind === 'policy' && item.reason.because)).toBe(true);
  });

  it('serves a newly promoted version without a restart, and keeps it when the next one is corrupt', async () => {
    // Version 2: the same weights under a new version (promotion is what is tested here).
    const v2 = path.join(modelDir, 'v2');
    await cp(path.join(modelDir, 'v1'), v2, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(v2, 'manifest.json'), 'utf8')) as { version: string };
    await writeFile(path.join(v2, 'manifest.json'), JSON.stringify({ ...manifest, version: 'test-v2' }));
    expect(await model.store.promote(await publishModelFolder(model.store, v2))).toBe(true);
    const books = bySubject.get(subject)!;

    await put(books.slice(3, 6).map((bookId) => event(reader('v2'), 'open', bookId)));
    const served = await until(reader('v2'), (l) => l.modelVersion === 'test-v2', 'a list from version 2');
    expect(served.strategy).toBe('policy');

    // Version 3: a corrupt policy.onnx.
    const v3 = path.join(modelDir, 'v3');
    await cp(v2, v3, { recursive: true });
    await writeFile(path.join(v3, 'manifest.json'), JSON.stringify({ ...manifest, version: 'test-v3' }));
    await writeFile(path.join(v3, 'policy.onnx'), Buffer.from('this is not an ONNX model'));
    expect(await model.store.promote(await publishModelFolder(model.store, v3))).toBe(true);

    await put(books.slice(6, 9).map((bookId) => event(reader('v3'), 'open', bookId)));
    const still = await until(reader('v3'), (l) => l.strategy === 'policy', 'a list after the corrupt promotion');
    expect(still.modelVersion).toBe('test-v2');
  });

  it('sends a poison record to the dead-letter folder and processes the rest of its batch', async () => {
    const books = bySubject.get(subject)!;

    await put([
      event(reader('before-poison'), 'open', books[0]!),
      '{"this": "is not a reader event"}',
      event(reader('after-poison'), 'open', books[1]!),
    ]);

    await until(reader('before-poison'), (l) => l.strategy !== 'popular', 'the record before the poison one');
    await until(reader('after-poison'), (l) => l.strategy !== 'popular', 'the record after the poison one');
    const deadLetters = path.join(dataDir, 'dead-letters', 'Recommender');
    const deadline = Date.now() + 30_000;
    let files: string[] = [];
    while (Date.now() < deadline) {
      files = await readdir(deadLetters).catch(() => []);
      if (files.length > 0) break;
      await sleep(250);
    }
    expect(files.length).toBeGreaterThan(0);
    const letter = JSON.parse(await readFile(path.join(deadLetters, files[0]!), 'utf8')) as { reason: string };
    expect(letter.reason).toContain('reported as failed');
  });

  it('changes nothing when the same batch is delivered twice', async () => {
    const books = bySubject.get(subject)!;
    const batch = [event(reader('replay'), 'open', books[10]!), event(reader('replay'), 'borrow', books[11]!)];
    const records = batch.map((readerEvent, i) => ({
      PartitionKey: readerEvent.readerId,
      SequenceNumber: `4960000000000000000000000000000000000000000000000000000${i}`,
      Data: Buffer.from(JSON.stringify(readerEvent)),
      ApproximateArrivalTimestamp: new Date(),
    }));
    const kinesisEvent = toKinesisEvent(records, 'shardId-000000000000', 'arn:local', 'us-east-1', 'arn:role');
    const recommender = fromSpec(functions.find((spec) => spec.id === 'Recommender')!);
    const dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: runtime.environment.AWS_ENDPOINT_URL_DYNAMODB }),
    );
    const pool = new pg.Pool({ connectionString: runtime.environment.DATABASE_URL, max: 1 });
    const state = async () => {
      const item = async (sk: string) =>
        (
          await dynamo.send(
            new GetCommand({ TableName: tables.readers.localName, Key: { pk: `READER#${reader('replay')}`, sk } }),
          )
        ).Item;
      const popularity = await pool.query('SELECT book_id, weight FROM book_popularity ORDER BY book_id');
      return { history: await item('HISTORY'), list: await item('RECOMMENDATIONS'), popularity: popularity.rows };
    };
    try {
      expect(await invoke(recommender, kinesisEvent, 'us-east-1')).toEqual({ batchItemFailures: [] });
      const first = await state();
      expect(first.history?.entries).toHaveLength(2);

      expect(await invoke(recommender, kinesisEvent, 'us-east-1')).toEqual({ batchItemFailures: [] });

      expect(await state()).toEqual(first);
    } finally {
      dynamo.destroy();
      await pool.end();
    }
  });

  it('archives every served list in the lake for the warehouse', async () => {
    const served = await recommendations(reader('subject'));
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: runtime.environment.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
    });
    try {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: buckets.lake.localName, Prefix: 'raw/recommendations/' }),
      );
      const keys = (listed.Contents ?? []).map((object) => object.Key!);
      expect(keys.length).toBeGreaterThan(0);
      const rows = (
        await Promise.all(
          keys.map(async (Key) =>
            (await s3.send(new GetObjectCommand({ Bucket: buckets.lake.localName, Key }))).Body!.transformToString(),
          ),
        )
      )
        .flatMap((text) => text.split('\n').filter(Boolean))
        .map((line) => JSON.parse(line) as { recommendationId: string; bookId: string; position: number });
      const ofList = rows.filter((row) => row.recommendationId === served.recommendationId);
      expect(ofList.map((row) => [row.position, row.bookId])).toEqual(
        served.items.map((item) => [item.position, item.book.id]),
      );
    } finally {
      s3.destroy();
    }
  });
});
