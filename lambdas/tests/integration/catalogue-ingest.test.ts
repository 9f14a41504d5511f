import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { startS3, type LocalS3 } from '@shelfwise/local/emulators/s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueRepository } from '../../src/catalogue/adapters/postgres-catalogue-repository';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { PostgresIngestRunLog } from '../../src/catalogue/adapters/postgres-ingest-run-log';
import { S3ObjectStore } from '../../src/catalogue/adapters/s3-object-store';
import { parseCalibreFile } from '../../src/catalogue/calibre/detect-format';
import {
  ingestCalibreObject,
  type IngestCalibreDependencies,
} from '../../src/catalogue/use-cases/ingest-calibre-object';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { buildCatalogCsv, buildMetadataDb, type TestBook } from '../support/calibre-library';
import { databaseTargets, type TestDatabase } from '../support/databases';

const bucket = 'shelfwise-ingest-test';
const sharedFixtures = path.resolve(fileURLToPath(import.meta.url), '../../../../../shared/fixtures/calibre');
const noShared = !existsSync(sharedFixtures);

const library: TestBook[] = [
  {
    id: 1,
    uuid: 'u-1',
    title: 'CafÃ© Society',
    authors: [['Tolstoy, Leo', 'Tolstoy, Leo']],
    tags: ['Fiction'],
    languages: ['eng'],
  },
  {
    id: 2,
    uuid: 'u-2',
    title: 'War and Peace',
    authors: [['Leo Tolstoy', 'Tolstoy, Leo']],
    tags: ['Fiction.Historical'],
    identifiers: { isbn: '0-14-044793-8' },
    pubdate: '1869-01-01 12:00:00+00:00',
  },
  { id: 3, uuid: 'u-3', title: null, authors: [['Nobody', 'Nobody']] },
  {
    id: 4,
    uuid: 'u-4',
    title: 'Anna Karenina',
    authors: [['Leo Tolstoy', 'Tolstoy, Leo']],
    comments: '<p onclick="steal()">A <b>novel</b>.</p><script>alert(1)</script><a href="javascript:evil()">x</a>',
    identifiers: { isbn: '812971060', goodreads: '15823480' },
    rating: 9,
    pubdate: '0101-01-01 00:00:00+00:00',
  },
];

describe.each(databaseTargets)('catalogue ingest from S3 ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let s3: LocalS3;
  let s3Dir: string;
  let client: S3Client;
  let deps: IngestCalibreDependencies;
  let repository: PostgresCatalogueRepository;

  const upload = async (key: string, body: Uint8Array | string) => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return ingestCalibreObject(deps, key);
  };
  const keys = async (prefix: string) =>
    ((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
      (o) => o.Key ?? '',
    );
  const bookCount = async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM book')).rows[0]?.n);

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await migrateToLatest(pool);
    s3Dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-s3-'));
    s3 = await startS3({ directory: s3Dir, port: 0, buckets: [bucket] });
    client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    deps = {
      objects: new S3ObjectStore(client, bucket),
      writer: new PostgresCatalogueWriter(pool),
      runs: new PostgresIngestRunLog(pool),
      parse: parseCalibreFile,
      maxObjectBytes: 50 * 1024 * 1024,
    };
    repository = new PostgresCatalogueRepository(pool);
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
    await pool?.end();
    await database?.drop();
    if (s3Dir) await rm(s3Dir, { recursive: true, force: true });
  });

  it('ingests the good rows of a metadata.db, cleans them, and reports the bad row', async () => {
    // Act
    const run = await upload('calibre/tolstoy/metadata.db', await buildMetadataDb(library));

    // Assess
    expect(run).toMatchObject({ status: 'succeeded', counts: { added: 3, rejected: 1 } });
    expect(run?.report.rejected).toEqual([{ at: 'calibre id 3', reason: expect.stringMatching(/title/) }]);
    expect(run?.report.warnings).toEqual(
      expect.arrayContaining([
        { at: 'calibre id 4', message: 'invalid ISBN "812971060" dropped' },
        { at: 'calibre id 4', message: 'unsafe HTML removed from the description' },
      ]),
    );
    const titles = (await repository.listBooks({ limit: 10, offset: 0 })).items.map((b) => b.title);
    expect(titles).toEqual(['Anna Karenina', 'Café Society', 'War and Peace']);
    const authors = await repository.listAuthors({ limit: 10 });
    expect(authors.items).toEqual([
      expect.objectContaining({ name: 'Leo Tolstoy', aliases: ['Leo Tolstoy'], bookCount: 3 }),
    ]);
    const [anna] = (await repository.listBooks({ limit: 1, offset: 0, q: 'anna' })).items;
    const detail = await repository.getBook(anna!.id);
    expect(detail?.descriptionHtml).toBe(
      '<p>A <b>novel</b>.</p><a rel="nofollow noopener noreferrer" target="_blank">x</a>',
    );
    expect(detail).toMatchObject({ pubdate: null, rating: 9, identifiers: [{ type: 'goodreads', value: '15823480' }] });
    const [war] = (await repository.listBooks({ limit: 1, offset: 0, q: 'war peace' })).items;
    expect((await repository.getBook(war!.id))?.identifiers).toEqual([{ type: 'isbn', value: '9780140447934' }]);
  });

  it('changes nothing when the same library is uploaded again', async () => {
    // Act
    const run = await upload('calibre/tolstoy/metadata.db', await buildMetadataDb(library));

    // Assess
    expect(run).toMatchObject({ status: 'succeeded', counts: { added: 0, updated: 0, unchanged: 3, withdrawn: 0 } });
  });

  it.each([
    ['an empty file', 'calibre/bad/metadata.db', new Uint8Array(), /empty/],
    ['a truncated SQLite database', 'calibre/bad/metadata.db', 'truncated', /truncated|corrupt|malformed/i],
    ['a SQLite database that is not Calibre', 'calibre/bad/metadata.db', 'not-calibre', /not a Calibre library/],
    ['a CSV in Latin-1', 'calibre/bad/catalog.csv', 'latin1', /UTF-8/],
    ['a key without a valid library name', 'calibre/Bad Name!/metadata.db', 'valid', /library name/],
    ['a library whose every row is bad', 'calibre/bad/catalog.csv', 'no-titles', /no usable book/],
  ])('quarantines %s with a report beside it and leaves the catalogue as it was', async (_what, key, kind, why) => {
    // Prepare
    const valid = await buildMetadataDb(library);
    const bodies: Record<string, Uint8Array | string> = {
      truncated: valid.slice(0, Math.floor(valid.length / 2)),
      'not-calibre': await notCalibre(),
      latin1: Buffer.from(buildCatalogCsv([{ uuid: 'x', title: 'Café', authors: 'A' }]), 'latin1'),
      valid,
      'no-titles': buildCatalogCsv([{ uuid: 'x', title: '', authors: 'A' }]),
    };
    const body = typeof kind === 'string' ? (bodies[kind] as Uint8Array | string) : kind;
    const before = await bookCount();

    // Act
    const run = await upload(key, body);

    // Assess
    expect(run?.status).toBe('quarantined');
    expect(run?.report.error).toMatch(why);
    expect(await keys(key)).toEqual([]);
    const reportKey = run?.report.quarantine?.reportKey ?? '';
    expect(await keys(reportKey)).toEqual([reportKey]);
    const report = JSON.parse(new TextDecoder().decode(await deps.objects.get(reportKey))) as Record<string, string>;
    expect(report).toMatchObject({ what: key, where: run?.report.quarantine?.key, why: expect.stringMatching(why) });
    expect(await bookCount()).toBe(before);
  });

  it('quarantines a file over the size limit', async () => {
    // Act
    const run = await ingestCalibreObject(
      { ...deps, maxObjectBytes: 10 },
      await putOnly('calibre/big/catalog.csv', 'x'.repeat(100)),
    );

    // Assess
    expect(run).toMatchObject({
      status: 'quarantined',
      report: { error: expect.stringMatching(/over the 10-byte limit/) },
    });
  });

  it('ignores files that are not a library source', async () => {
    expect(await upload('calibre/tolstoy/Leo Tolstoy/War and Peace (2)/metadata.opf', '<package/>')).toBeUndefined();
  });

  async function putOnly(key: string, body: string): Promise<string> {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    return key;
  }

  describe('the shared Calibre fixtures', () => {
    const formats = [
      ['db', 'sample-library/metadata.db', 'metadata.db'],
      ['csv', 'catalog.csv', 'catalog.csv'],
      ['xml', 'catalog.xml', 'catalog.xml'],
      ['json', 'calibredb-list.json', 'calibredb-list.json'],
    ] as const;

    it.skipIf(noShared)('give the same catalogue from each of the four formats (needs ../shared)', async () => {
      // Act
      for (const [name, file, target] of formats) {
        const run = await upload(`calibre/sample-${name}/${target}`, await readFile(path.join(sharedFixtures, file)));
        expect(run, `${file}: ${JSON.stringify(run?.report.error)}`).toMatchObject({
          status: 'succeeded',
          counts: { added: 304 },
        });
      }
      const snapshots = [];
      for (const [name] of formats) snapshots.push(await catalogueOf(pool, `sample-${name}`));

      // Assess
      expect(snapshots[0]).toHaveLength(304);
      for (const snapshot of snapshots.slice(1)) expect(snapshot).toEqual(snapshots[0]);
    });

    it.skipIf(noShared)(
      'handle the messy cases: author variants, editions, Vietnamese, HTML (needs ../shared)',
      async () => {
        // Prepare
        const rowling = (await repository.listAuthors({ limit: 5, q: 'rowling' })).items;
        const [pride] = (await repository.listBooks({ limit: 1, offset: 0, q: 'pride prejudice', language: 'eng' }))
          .items;
        const [gatsby] = (await repository.listBooks({ limit: 1, offset: 0, q: 'great gatsby' })).items;

        // Assess
        expect(rowling).toHaveLength(1);
        expect(rowling[0]!.aliases).toEqual(['J. K. Rowling', 'J.K. Rowling']);
        const detail = await repository.getBook(pride!.id);
        expect(detail?.editions.filter((e) => e.title === 'Pride and Prejudice').length).toBeGreaterThanOrEqual(1);
        const sameLibraryEditions = await pool.query(
          `SELECT count(DISTINCT b.work_id)::int AS works, count(*)::int AS books FROM book b JOIN library l ON l.id = b.library_id
         WHERE l.name = 'sample-db' AND b.title = 'Pride and Prejudice'`,
        );
        expect(sameLibraryEditions.rows[0]).toEqual({ works: 1, books: 2 });
        const queries = ['Số đỏ', 'so do', 'truyen kieu', 'De Men phieu luu ky'];
        const found: Record<string, string[]> = {};
        for (const q of queries) {
          const page = await repository.listBooks({ limit: 5, offset: 0, q, language: 'vie' });
          found[q] = [...new Set(page.items.map((b) => b.title))];
        }
        expect(found).toEqual({
          'Số đỏ': ['Số đỏ'],
          'so do': ['Số đỏ'],
          'truyen kieu': ['Truyện Kiều'],
          'De Men phieu luu ky': ['Dế Mèn phiêu lưu ký'],
        });
        const [best] = (await repository.listBooks({ limit: 1, offset: 0, q: 'so do' })).items;
        expect(best?.title).toBe('Số đỏ');
        const html = (await repository.getBook(gatsby!.id))?.descriptionHtml ?? '';
        expect(html).toContain('<b>The Great Gatsby</b>');
        expect(html).not.toMatch(/<script|\son\w+=|javascript:/i);
      },
    );
  });
});

async function notCalibre(): Promise<Uint8Array> {
  const { loadSqlJs } = await import('../../src/catalogue/calibre/read-metadata-db');
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec('CREATE TABLE songs (id INTEGER PRIMARY KEY, name TEXT)');
  const bytes = db.export();
  db.close();
  return bytes;
}

/** A library's books as comparable facts: title, authors, series, tags, languages. */
async function catalogueOf(pool: pg.Pool, libraryName: string) {
  const { rows } = await pool.query(
    `SELECT b.source_id, b.title, b.pub_year, b.languages, s.name AS series, b.series_index::float8 AS series_index,
       (SELECT array_agg(a.name ORDER BY ba.position) FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id) AS authors,
       (SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id WHERE bt.book_id = b.id) AS tags
     FROM book b JOIN library l ON l.id = b.library_id LEFT JOIN series s ON s.id = b.series_id
     WHERE l.name = $1 ORDER BY b.source_id`,
    [libraryName],
  );
  return rows;
}
