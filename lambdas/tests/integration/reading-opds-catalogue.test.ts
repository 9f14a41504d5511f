import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { prepareLibrary } from '../../src/catalogue/domain/prepare-library';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { PostgresBookFiles } from '../../src/reading/adapters/postgres-book-files';
import { PostgresOpdsCatalogue } from '../../src/reading/adapters/postgres-opds-catalogue';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { book } from '../support/records';

describe.each(databaseTargets)('OPDS catalogue queries in Postgres ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let ids: Record<string, string>;

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await migrateToLatest(pool);
    await new PostgresCatalogueWriter(pool).ingestLibrary(
      'opds',
      prepareLibrary([
        book({ sourceId: 'emma', title: 'Emma', authors: ['Jane Austen'], year: 1815 }),
        book({ sourceId: 'fellowship', title: 'The Fellowship of the Ring', authors: ['J. R. R. Tolkien'] }),
      ]),
    );
    const { rows } = await pool.query<{ source_id: string; id: string }>('SELECT source_id, id::text FROM book');
    ids = Object.fromEntries(rows.map((row) => [row.source_id, row.id]));
    await pool.query('INSERT INTO book_popularity (book_id, weight) VALUES ($1, 5)', [ids.fellowship]);
    await pool.query(
      `INSERT INTO book_file (book_id, format, content_hash, size_bytes, object_key)
       VALUES ($1, 'PDF', 'h2', 20, 'files/h2.pdf'), ($1, 'EPUB', 'h1', 10, 'files/h1.epub')`,
      [ids.emma],
    );
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('lists the newest and the most popular books, and reads books in the order asked', async () => {
    // Prepare
    const opds = new PostgresOpdsCatalogue(pool);

    // Act
    const popular = await opds.popular(10);
    const books = await opds.books([ids.fellowship!, '999999', ids.emma!]);

    // Assess
    expect(await opds.newest(10)).toHaveLength(2);
    expect(popular[0]).toBe(ids.fellowship);
    expect(books.map((found) => found.title)).toEqual(['The Fellowship of the Ring', 'Emma']);
    expect(books[1]).toMatchObject({
      authors: [{ id: expect.stringMatching(/^\d+$/), name: 'Jane Austen' }],
      year: 1815,
      formats: ['EPUB', 'PDF'],
      updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('records a file per book and format, replacing it when its content changes', async () => {
    // Prepare
    const files = new PostgresBookFiles(pool);
    const file = { bookId: ids.fellowship!, format: 'TXT', contentHash: 'a', sizeBytes: 1, key: 'files/a.txt' };

    // Act
    await files.record(file);
    await files.record({ ...file, contentHash: 'b', sizeBytes: 2, key: 'files/b.txt' });

    // Assess
    expect(await files.filesOf(ids.fellowship!)).toEqual([
      { ...file, contentHash: 'b', sizeBytes: 2, key: 'files/b.txt' },
    ]);
  });

  it("gives a book's files, EPUB first", async () => {
    // Act
    const files = await new PostgresBookFiles(pool).filesOf(ids.emma!);

    // Assess
    expect(files.map((file) => [file.format, file.key, file.sizeBytes])).toEqual([
      ['EPUB', 'files/h1.epub', 10],
      ['PDF', 'files/h2.pdf', 20],
    ]);
  });
});
