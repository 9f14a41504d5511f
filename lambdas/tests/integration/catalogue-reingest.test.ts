import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { PostgresIngestRunLog } from '../../src/catalogue/adapters/postgres-ingest-run-log';
import { parseCalibreFile } from '../../src/catalogue/calibre/detect-format';
import type { ObjectStore } from '../../src/catalogue/ports';
import {
  ingestCalibreObject,
  type IngestCalibreDependencies,
} from '../../src/catalogue/use-cases/ingest-calibre-object';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { migrations } from '../../src/platform/db/migrations/index';
import { prepareLibrary } from '../../src/catalogue/domain/prepare-library';
import { book } from '../support/records';
import { buildMetadataDb, type TestBook } from '../support/calibre-library';
import { databaseTargets, type TestDatabase } from '../support/databases';

/** Uploads kept in memory: this file is about what the ingest writes to the database. */
class MemoryObjects implements ObjectStore {
  readonly objects = new Map<string, Uint8Array>();

  get(key: string): Promise<Uint8Array> {
    const bytes = this.objects.get(key);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no object ${key}`));
  }

  put(key: string, body: Uint8Array | string): Promise<void> {
    this.objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
    return Promise.resolve();
  }

  move(fromKey: string, toKey: string): Promise<void> {
    const bytes = this.objects.get(fromKey);
    if (bytes) this.objects.set(toKey, bytes);
    this.objects.delete(fromKey);
    return Promise.resolve();
  }
}

const austen = [['Jane Austen', 'Austen, Jane']] as const;
const rowling = [['J.K. Rowling', 'Rowling, J.K.']] as const;
const rowlingJk = [['JK Rowling', 'Rowling, J.K.']] as const;

const before: TestBook[] = [
  { id: 1, uuid: 'u-1', title: 'Pride and Prejudices', authors: austen, comments: '<p>The first.</p>' },
  { id: 2, uuid: 'u-2', title: 'Emma', authors: austen, comments: '<p>A matchmaker.</p>' },
  {
    id: 3,
    uuid: 'u-3',
    title: "Harry Potter and the Philosopher's Stone",
    authors: rowling,
    comments: '<p>A boy.</p>',
  },
  { id: 4, uuid: 'u-4', title: 'The Casual Vacancy', authors: rowling, identifiers: { isbn: '0-14-044793-8' } },
  { id: 5, uuid: 'u-5', title: 'Quidditch Through the Ages', authors: rowlingJk, tags: ['Sport'] },
  { id: 6, uuid: 'u-6', title: 'Persuasion', authors: austen, comments: '<p>Later.</p>' },
  { id: 9, uuid: 'u-9', title: 'Sense and Sensibility', authors: austen, tags: ['Fiction'], rating: 8 },
];

/**
 * The next upload: u-2 and u-4 changed in the source; u-6 is gone; u-7 and u-8 are new. u-1, u-3 and u-5 are the same
 * in the source, but the rest of the library changes them: u-7 joins u-1's work with a shorter title (the work's
 * key), and "JK Rowling" becomes the most used spelling, so the merged author of u-3 and u-5 is named differently.
 * Only u-9 is unchanged in every way.
 */
const after: TestBook[] = [
  before[0]!,
  { ...before[1]!, comments: '<p>A matchmaker, again.</p><script>alert(1)</script>' },
  before[2]!,
  { ...before[3]!, authors: rowlingJk },
  before[4]!,
  before[6]!,
  { id: 7, uuid: 'u-7', title: 'Pride and Prejudice', authors: austen },
  { id: 8, uuid: 'u-8', title: 'Fantastic Beasts', authors: rowlingJk },
];

const tables = [
  'library',
  'book',
  'author',
  'author_alias',
  'series',
  'tag',
  'publisher',
  'work',
  'book_author',
  'book_tag',
  'book_identifier',
];

describe.each(databaseTargets)('re-ingesting a Calibre library ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let objects: MemoryObjects;
  let deps: IngestCalibreDependencies;

  const upload = async (library: string, books: readonly TestBook[]) => {
    const key = `calibre/${library}/metadata.db`;
    await objects.put(key, await buildMetadataDb(books));
    return ingestCalibreObject(deps, key);
  };
  /** Every row version of the catalogue tables: any insert, update or delete changes it. */
  const rowVersions = async () => {
    const versions: Record<string, string | null> = {};
    for (const table of tables) {
      const { rows } = await pool.query<{ v: string | null }>(
        `SELECT string_agg(ctid::text || '@' || xmin::text, ',' ORDER BY ctid) AS v FROM ${table}`,
      );
      versions[table] = rows[0]?.v ?? null;
    }
    return versions;
  };
  /** Columns of one book of the library "shelf". */
  const shelfBook = async (sourceId: string, columns: string) =>
    (
      await pool.query(
        `SELECT ${columns} FROM book b JOIN library l ON l.id = b.library_id WHERE l.name = 'shelf' AND b.source_id = $1`,
        [sourceId],
      )
    ).rows[0] as Record<string, string | null>;
  /** A library's listed books, everything stored about each but ids and times, with their links. */
  const storedBooks = async (library: string) =>
    (
      await pool.query<{ source_id: string; book: Record<string, unknown> }>(
        `SELECT b.source_id,
           to_jsonb(b) - 'id' - 'library_id' - 'created_at' - 'updated_at' AS book,
           (SELECT jsonb_agg(jsonb_build_array(ba.author_id, ba.position) ORDER BY ba.position)
              FROM book_author ba WHERE ba.book_id = b.id) AS authors,
           (SELECT jsonb_agg(bt.tag_id ORDER BY bt.tag_id) FROM book_tag bt WHERE bt.book_id = b.id) AS tags,
           (SELECT jsonb_agg(jsonb_build_array(bi.type, bi.value) ORDER BY bi.type, bi.value)
              FROM book_identifier bi WHERE bi.book_id = b.id) AS identifiers
         FROM book b JOIN library l ON l.id = b.library_id
         WHERE l.name = $1 AND b.withdrawn_at IS NULL ORDER BY b.source_id`,
        [library],
      )
    ).rows;

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await migrateToLatest(pool);
    objects = new MemoryObjects();
    deps = {
      objects,
      // Chunks of two books, so that a library of eight goes through several, mixing changed and unchanged books.
      writer: new PostgresCatalogueWriter(pool, 2),
      runs: new PostgresIngestRunLog(pool),
      parse: parseCalibreFile,
      maxObjectBytes: 1024 * 1024,
    };
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('writes no row at all when the unchanged library is uploaded again', async () => {
    // Prepare
    await upload('shelf', before);
    const versions = await rowVersions();

    // Act
    const run = await upload('shelf', before);

    // Assess
    expect(run).toMatchObject({ status: 'succeeded', counts: { added: 0, updated: 0, unchanged: 7, withdrawn: 0 } });
    expect(await rowVersions()).toEqual(versions);
  });

  it('updates the changed books and those the rest of the library changed, and no other', async () => {
    // Prepare
    const u9 = await shelfBook('u-9', 'b.xmin::text');

    // Act
    const run = await upload('shelf', after);

    // Assess
    expect(run).toMatchObject({ status: 'succeeded', counts: { added: 2, updated: 5, unchanged: 1, withdrawn: 1 } });
    expect(run?.report.warnings).toEqual([{ at: 'calibre id 2', message: 'unsafe HTML removed from the description' }]);
    expect(await shelfBook('u-9', 'b.xmin::text')).toEqual(u9);
    const works = await pool.query<{ source_id: string; work_key: string; search_authors: string }>(
      `SELECT b.source_id, w.work_key, b.search_authors FROM book b JOIN work w ON w.id = b.work_id
       JOIN library l ON l.id = b.library_id
       WHERE l.name = 'shelf' AND b.source_id IN ('u-1', 'u-3', 'u-7') ORDER BY b.source_id`,
    );
    expect(works.rows).toEqual([
      { source_id: 'u-1', work_key: 'jane austen|pride and prejudice', search_authors: 'jane austen' },
      { source_id: 'u-3', work_key: expect.any(String), search_authors: 'jk rowling' },
      { source_id: 'u-7', work_key: 'jane austen|pride and prejudice', search_authors: 'jane austen' },
    ]);
  });

  it('stores exactly what a first ingest of the same library stores', async () => {
    // Act
    await upload('fresh', after);

    // Assess
    const incremental = await storedBooks('shelf');
    expect(incremental.map((book) => book.source_id)).toEqual(['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-7', 'u-8', 'u-9']);
    expect(incremental).toEqual(await storedBooks('fresh'));
  });

  it('writes no row at all when the changed library is uploaded again', async () => {
    // Prepare
    const versions = await rowVersions();

    // Act
    const run = await upload('shelf', after);

    // Assess
    expect(run).toMatchObject({ status: 'succeeded', counts: { added: 0, updated: 0, unchanged: 8, withdrawn: 0 } });
    expect(await rowVersions()).toEqual(versions);
  });

  it('rebuilds a book whose stored source hash is unknown, writing only the hash when its content is the same', async () => {
    // Prepare
    await pool.query(
      "UPDATE book SET source_hash = NULL WHERE source_id = 'u-9' AND library_id = (SELECT id FROM library WHERE name = 'shelf')",
    );
    const stored = await shelfBook('u-9', 'b.content_hash');

    // Act
    const run = await upload('shelf', after);
    const again = await upload('shelf', after);

    // Assess
    expect(run?.counts).toMatchObject({ updated: 0, unchanged: 8 });
    expect(await shelfBook('u-9', 'b.content_hash, b.source_hash')).toEqual({
      ...stored,
      source_hash: expect.any(String),
    });
    expect(again?.counts).toMatchObject({ updated: 0, unchanged: 8 });
  });

  it('writes nothing when building a record fails while the previous chunk is being written', async () => {
    // Prepare: a stored library whose four books all changed; chunks of two books; the third book's record cannot be
    // built (a cleaning bug, say).
    const writer = new PostgresCatalogueWriter(pool, 2);
    const ids = ['b-1', 'b-2', 'b-3', 'b-4'];
    await writer.ingestLibrary('broken', prepareLibrary(ids.map((sourceId) => book({ sourceId }))));
    const prepared = prepareLibrary(ids.map((sourceId) => book({ sourceId, subjects: ['Changed'], rating: 6 })));
    const books = prepared.books.map((prepared, index) =>
      index === 2
        ? {
            ...prepared,
            record: () => {
              throw new Error('cannot clean this book');
            },
          }
        : prepared,
    );
    const versions = await rowVersions();

    // Act
    const failed = writer.ingestLibrary('broken', { ...prepared, books });

    // Assess
    await expect(failed).rejects.toThrow('cannot clean this book');
    await new Promise((resolve) => setTimeout(resolve, 200)); // What was sent after the rollback would land meanwhile.
    expect(await rowVersions()).toEqual(versions);
  });

  it('keeps every book through the source-hash migration, then writes only the hashes, once', async () => {
    // Prepare: the database as it was before 0005 (books written, no source hash), then migrated as a deploy does.
    const stored = await storedBooks('shelf');
    const withoutHash = (books: typeof stored) =>
      books.map((book) => ({ ...book, book: { ...book.book, source_hash: null } }));
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
      migrationTableName: 'schema_migration',
      migrationLockTableName: 'schema_migration_lock',
    });
    expect((await migrator.migrateTo('0004-book-popularity')).error).toBeUndefined();
    const report = await migrateToLatest(pool);

    // Act
    const migrated = await storedBooks('shelf');
    const versions = await rowVersions();
    const run = await upload('shelf', after);
    const hashed = await rowVersions();
    const again = await upload('shelf', after);

    // Assess
    expect(report.applied).toEqual(Object.keys(migrations).filter((name) => name > '0004-book-popularity'));
    expect(migrated).toEqual(withoutHash(stored));
    expect(run?.counts).toMatchObject({ added: 0, updated: 0, unchanged: 8, withdrawn: 0 });
    expect(await storedBooks('shelf')).toEqual(stored);
    expect(Object.keys(hashed).filter((table) => hashed[table] !== versions[table])).toEqual(['library', 'book']);
    expect(again?.counts).toMatchObject({ added: 0, updated: 0, unchanged: 8, withdrawn: 0 });
    expect(await rowVersions()).toEqual(hashed);
  });
});
