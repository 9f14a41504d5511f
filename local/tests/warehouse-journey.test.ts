/**
 * The warehouse sees what readers do on `npm start`: events posted to the local API (as the web app sends them)
 * travel through the local Kinesis to the lake archiver, the Recommender archives the lists it serves, the
 * synthesised `warehouse-etl` state machine builds the facts, and `ctr-by-model` counts the impressions, the click
 * and the borrow.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';
import type { ServedList } from '@shelfwise/lambdas/recommendations/use-cases/read-recommendations';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import { DuckDbWarehouse, localS3LakeFolder } from '@shelfwise/lambdas/warehouse/duckdb-runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizedTemplates } from '../src/pipelines/definitions';
import { runPipeline } from '../src/pipelines/run-pipeline';
import { startLocalRuntime, type LocalRuntime } from '../src/runtime';
import { freePorts } from './support/free-ports';

/** An event as the page makes it; the client adds the ids and the time. */
type EventInput = ReaderEvent extends infer E
  ? E extends ReaderEvent
    ? Omit<E, 'eventId' | 'readerId' | 'occurredAt'>
    : never
  : never;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('warehouse journey on the local stack', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let s3: S3Client;
  const readerId = `anon-${randomUUID()}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-warehouse-journey-'));
    const ports = await freePorts(5);
    runtime = await startLocalRuntime({
      dataDir,
      port: ports[0]!,
      servicePorts: { postgres: ports[1]!, s3: ports[2]!, kinesis: ports[3]!, dynamodb: ports[4]! },
      reset: true,
      demoCatalogue: true,
      environment: { RECOMMENDATION_LIST_SIZE: '5' },
    });
    s3 = new S3Client({ region: 'us-east-1', endpoint: runtime.environment.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  }, 180_000);

  afterAll(async () => {
    s3?.destroy();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function post(events: readonly EventInput[]): Promise<void> {
    const response = await fetch(`${runtime.apiUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        events: events.map((event) => ({
          ...event,
          eventId: randomUUID(),
          readerId,
          occurredAt: new Date().toISOString(),
        })),
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rejected: unknown[] };
    expect(body.rejected).toEqual([]);
  }

  /** Waits until `done` holds, polling every 200 ms. */
  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await sleep(200);
    }
  }

  /** Every line of the lake's raw objects under `prefix`, parsed. */
  async function rawRows(prefix: string): Promise<Record<string, unknown>[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: buckets.lake.localName, Prefix: prefix }));
    const texts = await Promise.all(
      (listed.Contents ?? []).map(async ({ Key }) =>
        (await s3.send(new GetObjectCommand({ Bucket: buckets.lake.localName, Key }))).Body!.transformToString(),
      ),
    );
    return texts.flatMap((text) => text.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as never);
  }

  it('counts the reader’s impressions, click and borrow in ctr-by-model after the ETL', async () => {
    // Prepare: the reader opens a book, and the recommender serves (and archives) a list made for them.
    const books = (await (await fetch(`${runtime.apiUrl}/books?limit=1`)).json()) as { items: { id: string }[] };
    await post([{ type: 'open', bookId: books.items[0]!.id }]);
    const list = await until(
      async () => (await (await fetch(`${runtime.apiUrl}/readers/${readerId}/recommendations`)).json()) as ServedList,
      (served) => served.items.length > 0 && served.strategy !== 'popular',
      'a list made after the open',
    );
    await until(
      () => rawRows('raw/recommendations/'),
      (rows) => rows.some((row) => row.recommendationId === list.recommendationId),
      'the served list in the lake',
    );

    // Act: the web app's impressions of the list, a click on its first book and a borrow of it.
    const shown = { recommendationId: list.recommendationId, modelVersion: list.modelVersion };
    await post(
      list.items.map((item) => ({ type: 'impression', bookId: item.book.id, position: item.position, ...shown })),
    );
    const first = list.items[0]!;
    await post([{ type: 'click', bookId: first.book.id, position: first.position, ...shown }]);
    await post([{ type: 'borrow', bookId: first.book.id }]);
    await until(
      () => rawRows('raw/events/'),
      (rows) => rows.some((row) => row.readerId === readerId && row.type === 'borrow'),
      'the events in the lake',
    );
    const etl = await runPipeline('etl', {
      templates: synthesizedTemplates(),
      dataDir,
      environment: runtime.environment,
    });

    // Assess
    expect(etl.status).toBe('SUCCEEDED');
    const warehouse = await DuckDbWarehouse.open({
      lake: localS3LakeFolder(path.join(dataDir, 's3'), buckets.lake.localName),
      warehouseDir: path.join(dataDir, 'warehouse'),
    });
    try {
      const rows = (await warehouse.query('ctr-by-model')).filter((row) => row.model_version === list.modelVersion);
      const byPosition = new Map(rows.map((row) => [row.position, row]));
      expect(byPosition.get(first.position)).toMatchObject({ impressions: 1, clicks: 1, conversions: 1 });
      const others = list.items.slice(1).map((item) => byPosition.get(item.position));
      expect(others).toEqual(others.map(() => expect.objectContaining({ impressions: 1, clicks: 0, conversions: 0 })));
    } finally {
      warehouse.close();
    }
  }, 240_000);
});
