/**
 * The ingest stores a library's book files in the books bucket (lambdas/src/reading/use-cases/store-library-files.ts):
 * from a zipped library folder and from a folder uploaded file by file, keyed by content hash, copied again only when
 * they change, files over the limit refused in the run's report. Real adapters: PGlite (and PostgreSQL when
 * DATABASE_URL is set) and the local S3 emulator.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import pg from 'pg';
import { startS3, type LocalS3 } from '@shelfwise/local/emulators/s3';
import { sampleBook, writeEpub } from '@shelfwise/local/reading/sample-epub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { PostgresIngestRunLog } from '../../src/catalogue/adapters/postgres-ingest-run-log';
import { S3ObjectStore } from '../../src/catalogue/adapters/s3-object-store';
import { parseCalibreFile } from '../../src/catalogue/calibre/detect-format';
import {
  ingestCalibreObject,
  type IngestCalibreDependencies,
} from '../../src/catalogue/use-cases/ingest-calibre-object';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { PostgresBookFiles } from '../../src/reading/adapters/postgres-book-files';
import { S3BookFileObjects } from '../../src/reading/adapters/s3-book-file-objects';
import { storeLibraryFiles } from '../../src/reading/use-cases/store-library-files';
import { buildMetadataDb, type TestBook } from '../support/calibre-library';
import { databaseTargets, type TestDatabase } from '../support/databases';

const ingestBucket = 'shelfwise-ingest-files-test';
const booksBucket = 'shelfwise-books-files-test';
const maxBytes = 64 * 1024;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const books: TestBook[] = [
  { id: 1, uuid: 'f-1', title: 'Emma', authors: [['Jane Austen', 'Austen, Jane']], formats: [['EPUB', 'Emma']] },
  {
    id: 2,
    uuid: 'f-2',
    title: 'Persuasion',
    authors: [['Jane Austen', 'Austen, Jane']],
    formats: [
      ['EPUB', 'Persuasion'],
      ['TXT', 'Persuasion'],
      ['PDF', 'Persuasion'],
    ],
  },
  { id: 3, uuid: 'f-3', title: null, authors: [['Nobody', 'Nobody']], formats: [['EPUB', 'Nothing']] },
];

describe.each(databaseTargets)('book files at ingest ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let s3: LocalS3;
  let s3Dir: string;
  let client: S3Client;
  let deps: IngestCalibreDependencies;
  const emma = writeEpub(sampleBook('Emma'));
  const persuasion = writeEpub(sampleBook('Persuasion'));
  const text = new TextEncoder().encode('Persuasion, as plain text.');
  const bigPdf = new Uint8Array(maxBytes + 1).fill(37);

  const libraryZip = async (emmaBytes: Uint8Array) =>
    zipSync({
      'Calibre Library/metadata.db': await buildMetadataDb(books),
      'Calibre Library/Jane Austen/Emma (1)/Emma.epub': emmaBytes,
      'Calibre Library/Jane Austen/Persuasion (2)/Persuasion.epub': persuasion,
      'Calibre Library/Jane Austen/Persuasion (2)/Persuasion.txt': text,
      'Calibre Library/Jane Austen/Persuasion (2)/Persuasion.pdf': bigPdf,
      'Calibre Library/Nobody/Unknown (3)/Nothing.epub': emma,
    });
  const upload = async (key: string, body: Uint8Array) => {
    await client.send(new PutObjectCommand({ Bucket: ingestBucket, Key: key, Body: body }));
    return ingestCalibreObject(deps, key);
  };
  const storedKeys = async () =>
    ((await client.send(new ListObjectsV2Command({ Bucket: booksBucket }))).Contents ?? []).map((o) => o.Key).sort();
  const rowsOf = async (library: string) =>
    (
      await pool.query<{ source_id: string; format: string; content_hash: string; object_key: string }>(
        `SELECT b.source_id, f.format, f.content_hash, f.object_key FROM book_file f JOIN book b ON b.id = f.book_id
         JOIN library l ON l.id = b.library_id WHERE l.name = $1 ORDER BY b.source_id, f.format`,
        [library],
      )
    ).rows;

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await migrateToLatest(pool);
    s3Dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-s3-files-'));
    s3 = await startS3({ directory: s3Dir, port: 0, buckets: [ingestBucket, booksBucket] });
    client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const files = new PostgresBookFiles(pool);
    const fileDeps = {
      objects: new S3BookFileObjects(client, booksBucket),
      files,
      books: files,
      covers: files,
      maxBytes,
    };
    deps = {
      objects: new S3ObjectStore(client, ingestBucket),
      writer: new PostgresCatalogueWriter(pool),
      runs: new PostgresIngestRunLog(pool),
      parse: parseCalibreFile,
      maxObjectBytes: 50 * 1024 * 1024,
      storeBookFiles: (library, found) => storeLibraryFiles(fileDeps, library, found),
    };
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
    await pool?.end();
    await database?.drop();
    if (s3Dir) await rm(s3Dir, { recursive: true, force: true });
  });

  it("stores a zipped library's files by content hash and refuses the one over the limit in the report", async () => {
    // Act
    const run = await upload('calibre/austen/library.zip', await libraryZip(emma));

    // Assess
    expect(run).toMatchObject({ status: 'succeeded', counts: { added: 2, rejected: 1 } });
    expect(run?.report.bookFiles).toEqual({ stored: 3, unchanged: 0, refused: 1, unreadable: 0 });
    expect(run?.report.warnings).toContainEqual({
      at: 'Calibre Library/Jane Austen/Persuasion (2)/Persuasion.pdf',
      message: `refused: The PDF file is ${maxBytes + 1} bytes, over the limit of ${maxBytes}`,
    });
    expect(await rowsOf('austen')).toEqual([
      { source_id: 'f-1', format: 'EPUB', content_hash: sha256(emma), object_key: `files/${sha256(emma)}.epub` },
      {
        source_id: 'f-2',
        format: 'EPUB',
        content_hash: sha256(persuasion),
        object_key: `files/${sha256(persuasion)}.epub`,
      },
      { source_id: 'f-2', format: 'TXT', content_hash: sha256(text), object_key: `files/${sha256(text)}.txt` },
    ]);
    expect(await storedKeys()).toEqual(
      [`files/${sha256(emma)}.epub`, `files/${sha256(persuasion)}.epub`, `files/${sha256(text)}.txt`].sort(),
    );
  });

  it('copies only what changed when the library is ingested again', async () => {
    // Prepare
    const emmaRevised = writeEpub({ ...sampleBook('Emma'), modified: '2026-02-01T00:00:00Z' });

    // Act
    const same = await upload('calibre/austen/library.zip', await libraryZip(emma));
    const changed = await upload('calibre/austen/library.zip', await libraryZip(emmaRevised));

    // Assess
    expect(same?.report.bookFiles).toEqual({ stored: 0, unchanged: 3, refused: 1, unreadable: 0 });
    expect(changed?.report.bookFiles).toEqual({ stored: 1, unchanged: 2, refused: 1, unreadable: 0 });
    const emmaRow = (await rowsOf('austen')).find((row) => row.source_id === 'f-1');
    expect(emmaRow).toMatchObject({ content_hash: sha256(emmaRevised) });
    expect(await storedKeys()).toContain(`files/${sha256(emmaRevised)}.epub`);
  });

  it('stores covers under the public covers/ prefix by content hash, and copies again only a changed one', async () => {
    // Prepare
    const cover = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const newCover = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6, 0xff, 0xd9]);
    const withCover = async (emmaCover: Uint8Array) =>
      zipSync({
        'Calibre Library/metadata.db': await buildMetadataDb(books.slice(0, 2).map((b) => ({ ...b, hasCover: true }))),
        'Calibre Library/Jane Austen/Emma (1)/Emma.epub': emma,
        'Calibre Library/Jane Austen/Emma (1)/cover.jpg': emmaCover,
      });
    const coverKeys = async () =>
      (
        await pool.query<{ source_id: string; cover_key: string | null }>(
          `SELECT b.source_id, b.cover_key FROM book b JOIN library l ON l.id = b.library_id
           WHERE l.name = 'covers' ORDER BY b.source_id`,
        )
      ).rows;

    // Act
    const first = await upload('calibre/covers/library.zip', await withCover(cover));
    const same = await upload('calibre/covers/library.zip', await withCover(cover));
    const keysBefore = await coverKeys();
    const changed = await upload('calibre/covers/library.zip', await withCover(newCover));

    // Assess
    expect([first, same, changed].map((run) => run?.report.files)).toEqual([
      { covers: 1 },
      { covers: 1 },
      { covers: 1 },
    ]);
    expect(keysBefore).toEqual([
      { source_id: 'f-1', cover_key: `covers/${sha256(cover)}.jpg` },
      { source_id: 'f-2', cover_key: null },
    ]);
    expect((await coverKeys())[0]).toEqual({ source_id: 'f-1', cover_key: `covers/${sha256(newCover)}.jpg` });
    expect(await storedKeys()).toEqual(
      expect.arrayContaining([`covers/${sha256(cover)}.jpg`, `covers/${sha256(newCover)}.jpg`]),
    );
    expect(await storedKeys()).not.toContainEqual(expect.stringMatching(/^covers\/covers\//));
  });

  it('reads the files of a library folder uploaded file by file, and reports those missing', async () => {
    // Prepare
    await client.send(
      new PutObjectCommand({ Bucket: ingestBucket, Key: 'calibre/folder/Jane Austen/Emma (1)/Emma.epub', Body: emma }),
    );

    // Act
    const run = await upload('calibre/folder/metadata.db', await buildMetadataDb(books));

    // Assess
    expect(run?.report.bookFiles).toEqual({ stored: 0, unchanged: 1, refused: 0, unreadable: 3 });
    expect(run?.report.warnings).toContainEqual({
      at: 'calibre/folder/Jane Austen/Persuasion (2)/Persuasion.txt',
      message: expect.stringMatching(/^not stored: not found beside metadata\.db/),
    });
    expect((await rowsOf('folder')).map((row) => [row.source_id, row.format])).toEqual([['f-1', 'EPUB']]);
  });
});
