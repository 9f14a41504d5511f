/**
 * The local archiver on the running stack: reader events put on the local stream land in the local lake bucket as
 * newline-delimited JSON at the lake layout's keys (partition = arrival hour), records that are not JSON land in the
 * error prefix, and the warehouse's DuckDB ETL reads the bucket's files as they are.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';
import { buckets, streams } from '@shelfwise/lambdas/shared/infrastructure';
import { DuckDbWarehouse, localS3LakeFolder } from '@shelfwise/lambdas/warehouse/duckdb-runner';
import { partitionOf } from '@shelfwise/lambdas/warehouse/lake-layout';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../src/runtime';
import { freePorts } from './support/free-ports';

describe('local lake archiver', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let kinesis: KinesisClient;
  let s3: S3Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-archiver-'));
    const ports = await freePorts(5);
    runtime = await startLocalRuntime({
      dataDir,
      port: ports[0]!,
      servicePorts: { postgres: ports[1]!, s3: ports[2]!, kinesis: ports[3]!, dynamodb: ports[4]! },
      reset: true,
      demoCatalogue: false,
      // No function consumes the stream: only the archiver reads it.
      functions: [],
    });
    kinesis = new KinesisClient({
      region: 'us-east-1',
      endpoint: runtime.environment.AWS_ENDPOINT_URL_KINESIS,
      requestHandler: new NodeHttpHandler(),
    });
    s3 = new S3Client({ region: 'us-east-1', endpoint: runtime.environment.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  });

  afterAll(async () => {
    kinesis?.destroy();
    s3?.destroy();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function objects(prefix: string): Promise<Map<string, string>> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: buckets.lake.localName, Prefix: prefix }));
    const found = new Map<string, string>();
    for (const { Key } of listed.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: buckets.lake.localName, Key }));
      found.set(Key!, (await body.Body?.transformToString()) ?? '');
    }
    return found;
  }

  it('writes the stream into the lake layout, and the ETL reads it', async () => {
    const events: ReaderEvent[] = [
      {
        eventId: 'archiver-01',
        readerId: 'reader-a',
        type: 'impression',
        bookId: '7',
        recommendationId: 'rec-1',
        position: 0,
        modelVersion: 'v1',
        occurredAt: '2026-03-02T09:00:00.000Z',
      },
      {
        eventId: 'archiver-02',
        readerId: 'reader-a',
        type: 'click',
        bookId: '7',
        recommendationId: 'rec-1',
        position: 0,
        modelVersion: 'v1',
        occurredAt: '2026-03-02T09:00:05.000Z',
      },
      { eventId: 'archiver-03', readerId: 'reader-b', type: 'open', bookId: '8', occurredAt: '2026-03-02T10:00:00Z' },
    ];
    const before = partitionOf(new Date());
    // The first event twice (a client retry): the lake keeps both lines, the ETL one event.
    const records = [...events, events[0]!].map((event) => ({
      PartitionKey: event.readerId,
      Data: Buffer.from(JSON.stringify(event)),
    }));
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streams.readerEvents.localName,
        Records: [...records, { PartitionKey: 'poison', Data: Buffer.from('not json') }],
      }),
    );
    expect(put.FailedRecordCount ?? 0).toBe(0);

    await expect
      .poll(async () => [...(await objects('raw/events/')).values()].join('').split('\n').filter(Boolean).length, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(4);
    const after = partitionOf(new Date());

    const written = await objects('raw/');
    const eventKeys = [...written.keys()].filter((key) => key.startsWith('raw/events/'));
    const partitions = [before, after].map((p) => `dt=${p.dt}/hour=${p.hour}/`);
    for (const key of eventKeys) {
      expect(key).toMatch(/^raw\/events\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/\d{8}T\d{6}Z-[A-Za-z0-9-]+\.json$/);
      expect(partitions.some((partition) => key.includes(partition))).toBe(true);
    }
    const lines = eventKeys.flatMap((key) => written.get(key)!.trim().split('\n'));
    expect(lines.map((line) => (JSON.parse(line) as ReaderEvent).eventId).sort()).toEqual([
      'archiver-01',
      'archiver-01',
      'archiver-02',
      'archiver-03',
    ]);
    const errors = [...written].filter(([key]) => key.startsWith('raw/errors/events/'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]![1])).toMatchObject({ data: Buffer.from('not json').toString('base64') });

    const warehouse = await DuckDbWarehouse.open({
      lake: localS3LakeFolder(path.join(dataDir, 's3'), buckets.lake.localName),
      warehouseDir: path.join(dataDir, 'warehouse'),
    });
    try {
      const report = await warehouse.runEtl();
      expect(report.rows).toEqual({ interactions: 3, recommendations_served: 0, outcomes: 1 });
      expect(await warehouse.query('ctr-by-model')).toEqual([
        {
          model_version: 'v1',
          impression_day: '2026-03-02',
          position: 0,
          impressions: 1,
          clicks: 1,
          ctr: 1,
          conversions: 0,
          conversion_rate: 0,
        },
      ]);
    } finally {
      warehouse.close();
    }
  });
});
