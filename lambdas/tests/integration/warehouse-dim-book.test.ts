/**
 * The catalogue snapshot `dim_book`: exported from Postgres (PGlite, and a real server when DATABASE_URL is set) into
 * the lake bucket of the local S3 emulator, then read by the DuckDB warehouse from the emulator's folder and joined
 * by the named query `coverage-by-subject`.
 *
 * The catalogue (library `main`; ids in insertion order):
 *
 *   id  title        work  authors (in order)               subjects                  languages  year  withdrawn
 *   1   Dune         dune  Frank Herbert                    Science fiction, Fiction  eng        1965
 *   2   Xứ Cát       dune  Frank Herbert                    Science fiction           vie        2013
 *   3   Good Omens   —     Terry Pratchett, Neil Gaiman     Fantasy, Fiction          eng        —
 *   4   Old Atlas    —     —                                Geography                 —          1900  yes
 *
 * Served lists: L1 (v1) books 1, 3; L2 (v1) books 1, 4; L3 (fallback, popular) book 2.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { startS3, type LocalS3 } from '@shelfwise/local/emulators/s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/platform/db/migrate';
import type { RecommendationList } from '../../src/recommendations/domain/recommendation';
import { HyparquetDimBookParquet } from '../../src/warehouse/adapters/hyparquet-dim-book-parquet';
import { PostgresCatalogueSnapshotSource } from '../../src/warehouse/adapters/postgres-catalogue-snapshot-source';
import { S3LakeObjectWriter } from '../../src/warehouse/adapters/s3-lake-object-writer';
import { S3ServedRecommendationsArchive } from '../../src/warehouse/adapters/s3-served-recommendations-archive';
import { DuckDbWarehouse, localS3LakeFolder } from '../../src/warehouse/duckdb-runner';
import { dimBookLatestKey, dimBookPointerSchema } from '../../src/warehouse/lake-layout';
import { exportDimBook, type ExportDimBookDependencies } from '../../src/warehouse/use-cases/export-dim-book';
import { databaseTargets, type TestDatabase } from '../support/databases';

const bucket = 'shelfwise-lake-test';

const CATALOGUE = `
  INSERT INTO library (name) VALUES ('main');
  INSERT INTO work (work_key) VALUES ('dune');
  INSERT INTO author (name, sort, name_key) VALUES
    ('Frank Herbert', 'Herbert, Frank', 'frank herbert'),
    ('Terry Pratchett', 'Pratchett, Terry', 'terry pratchett'),
    ('Neil Gaiman', 'Gaiman, Neil', 'neil gaiman');
  INSERT INTO tag (path) VALUES ('Science fiction'), ('Fiction'), ('Fantasy'), ('Geography');
  INSERT INTO book (library_id, source_id, title, title_sort, work_id, languages, pub_year, withdrawn_at,
      created_at, updated_at) VALUES
    (1, 'u-1', 'Dune', 'Dune', 1, '{eng}', 1965, NULL, '2026-02-01T10:00:00Z', '2026-02-15T10:00:00Z'),
    (1, 'u-2', 'Xứ Cát', 'Xu Cat', 1, '{vie}', 2013, NULL, '2026-02-01T10:00:00Z', '2026-02-01T10:00:00Z'),
    (1, 'u-3', 'Good Omens', 'Good Omens', NULL, '{eng}', NULL, NULL, '2026-02-02T08:30:00Z', '2026-02-02T08:30:00Z'),
    (1, 'u-4', 'Old Atlas', 'Old Atlas', NULL, '{}', 1900, '2026-02-20T00:00:00Z', '2026-01-05T00:00:00Z',
      '2026-02-20T00:00:00Z');
  INSERT INTO book_author (book_id, author_id, position) VALUES (1, 1, 0), (2, 1, 0), (3, 2, 0), (3, 3, 1);
  INSERT INTO book_tag (book_id, tag_id) VALUES (1, 1), (1, 2), (2, 1), (3, 3), (3, 2), (4, 4);
`;

function list(id: string, modelVersion: string, strategy: RecommendationList['strategy'], books: string[]) {
  return {
    recommendationId: id,
    readerId: `reader-${id}`,
    modelVersion,
    strategy,
    generatedAt: '2026-03-02T09:00:00Z',
    items: books.map((bookId, rank) => ({ bookId, score: 1 - rank / 10, reason: { kind: 'popular' } })),
  } satisfies RecommendationList;
}

describe.each(databaseTargets)('the dim_book snapshot ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let s3: LocalS3;
  let dir: string;
  let client: S3Client;
  let deps: ExportDimBookDependencies;

  const keys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key ?? '').sort();
  const object = async (key: string) =>
    (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
  /** A Parquet object of the lake, read back by DuckDB. */
  const parquetRows = async (key: string) => {
    const file = path.join(dir, `read-${Math.random().toString(36).slice(2)}.parquet`);
    await writeFile(file, await object(key));
    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    try {
      return (await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    } finally {
      connection.closeSync();
      duck.closeSync();
    }
  };

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    await migrateToLatest(pool);
    await pool.query(CATALOGUE);
    dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-dim-book-'));
    s3 = await startS3({ directory: path.join(dir, 's3'), port: 0, buckets: [bucket] });
    client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    deps = {
      catalogue: new PostgresCatalogueSnapshotSource(pool),
      parquet: new HyparquetDimBookParquet(),
      lake: new S3LakeObjectWriter(client, bucket),
      now: () => new Date('2026-03-01T09:00:00.250Z'),
    };
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
    await pool?.end();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exports every book as one Parquet snapshot, the current copy and a pointer to it', async () => {
    // Act
    const pointer = await exportDimBook(deps);

    // Assess
    const key = 'snapshots/dim_book/snapshot=20260301T090000Z/part-0.parquet';
    expect(pointer).toEqual({
      snapshot: '20260301T090000Z',
      key,
      exportedAt: '2026-03-01T09:00:00.250Z',
      books: 4,
      bytes: expect.any(Number),
    });
    expect(await keys()).toEqual(['snapshots/dim_book/current/part-0.parquet', 'snapshots/dim_book/latest.json', key]);
    const latest = dimBookPointerSchema.parse(JSON.parse(new TextDecoder().decode(await object(dimBookLatestKey))));
    expect(latest).toEqual(pointer);
    expect((await object(key)).byteLength).toBe(pointer.bytes);
    const rows = await parquetRows(key);
    expect(rows).toEqual([
      {
        book_id: '1',
        work_id: '1',
        library: 'main',
        title: 'Dune',
        authors: ['Frank Herbert'],
        subjects: ['Fiction', 'Science fiction'],
        languages: ['eng'],
        pub_year: 1965,
        withdrawn: false,
        added_at: new Date('2026-02-01T10:00:00Z'),
        modified_at: new Date('2026-02-15T10:00:00Z'),
      },
      expect.objectContaining({ book_id: '2', work_id: '1', title: 'Xứ Cát', languages: ['vie'], pub_year: 2013 }),
      expect.objectContaining({
        book_id: '3',
        work_id: null,
        authors: ['Terry Pratchett', 'Neil Gaiman'],
        subjects: ['Fantasy', 'Fiction'],
        pub_year: null,
        withdrawn: false,
      }),
      expect.objectContaining({ book_id: '4', authors: [], languages: [], withdrawn: true }),
    ]);
  });

  it('keeps the earlier snapshot and moves the current copy and the pointer to a new one', async () => {
    // Prepare
    await pool.query(`UPDATE book SET title = 'Good Omens (revised)' WHERE source_id = 'u-3'`);

    // Act
    const pointer = await exportDimBook({ ...deps, now: () => new Date('2026-03-01T10:00:00Z') });

    // Assess
    expect(pointer.key).toBe('snapshots/dim_book/snapshot=20260301T100000Z/part-0.parquet');
    const title = async (key: string) => (await parquetRows(key)).find((row) => row.book_id === '3')?.title;
    expect(await title('snapshots/dim_book/snapshot=20260301T090000Z/part-0.parquet')).toBe('Good Omens');
    expect(await title(pointer.key)).toBe('Good Omens (revised)');
    expect(await title('snapshots/dim_book/current/part-0.parquet')).toBe('Good Omens (revised)');
    const latest = dimBookPointerSchema.parse(JSON.parse(new TextDecoder().decode(await object(dimBookLatestKey))));
    expect(latest.key).toBe(pointer.key);
  });

  it('is the dim_book the local warehouse joins: coverage by subject', async () => {
    // Prepare: the served lists, archived into the same lake bucket.
    const archive = new S3ServedRecommendationsArchive(client, bucket);
    await archive.archive([
      list('L1', 'v1', 'policy', ['1', '3']),
      list('L2', 'v1', 'policy', ['1', '4']),
      list('L3', 'fallback', 'popular', ['2']),
    ]);
    const warehouse = await DuckDbWarehouse.open({
      lake: localS3LakeFolder(path.join(dir, 's3'), bucket),
      warehouseDir: path.join(dir, 'warehouse'),
    });

    try {
      // Act
      await warehouse.runEtl();
      const rows = await warehouse.query('coverage-by-subject');

      // Assess: Old Atlas (Geography) is withdrawn, so Geography has no row and book 4 counts nowhere.
      // Fiction = {1, 3}, Science fiction = {1, 2}, Fantasy = {3}. v1 recommended 1, 3 (and 4); fallback 2.
      expect(await warehouse.select('SELECT count(*) AS books FROM dim_book')).toEqual([{ books: 4 }]);
      expect(rows).toEqual([
        { model_version: 'fallback', subject: 'Fantasy', catalogue_books: 1, recommended_books: 0, coverage: 0 },
        { model_version: 'fallback', subject: 'Fiction', catalogue_books: 2, recommended_books: 0, coverage: 0 },
        {
          model_version: 'fallback',
          subject: 'Science fiction',
          catalogue_books: 2,
          recommended_books: 1,
          coverage: 0.5,
        },
        { model_version: 'v1', subject: 'Fantasy', catalogue_books: 1, recommended_books: 1, coverage: 1 },
        { model_version: 'v1', subject: 'Fiction', catalogue_books: 2, recommended_books: 2, coverage: 1 },
        { model_version: 'v1', subject: 'Science fiction', catalogue_books: 2, recommended_books: 1, coverage: 0.5 },
      ]);
    } finally {
      warehouse.close();
    }
  });
});
