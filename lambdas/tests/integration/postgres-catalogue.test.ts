import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueRepository } from '../../src/catalogue/adapters/postgres-catalogue-repository';
import { replaceLibrary } from '../../src/catalogue/use-cases/replace-library';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { migrations } from '../../src/platform/db/migrations/index';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { record } from '../support/records';

describe.each(databaseTargets)('catalogue in Postgres ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let repository: PostgresCatalogueRepository;

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    repository = new PostgresCatalogueRepository(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  describe('migrations', () => {
    it('applies every migration once and enables pgvector', async () => {
      // Act
      const first = await migrateToLatest(pool);
      const second = await migrateToLatest(pool);
      const vector = await pool.query<{ extversion: string }>(
        "SELECT extversion FROM pg_extension WHERE extname = 'vector'",
      );
      const distance = await pool.query<{ d: number }>("SELECT '[1,0]'::vector <-> '[0,0]'::vector AS d");

      // Assess
      expect(first.applied).toEqual(Object.keys(migrations).sort());
      expect(second.applied).toEqual([]);
      expect(vector.rows).toHaveLength(1);
      expect(distance.rows[0]?.d).toBe(1);
    });
  });

  describe('replaceLibrary', () => {
    const library = 'classics';
    const books = [
      record({ sourceId: 'p-and-p', title: 'Pride and Prejudice', subjects: ['Fiction', 'Romance'] }),
      record({ sourceId: 'emma', title: 'Emma', year: 1815 }),
      record({
        sourceId: 'kieu',
        title: 'Truyện Kiều',
        authors: ['Nguyễn Du'],
        year: 1820,
        languages: ['vie'],
        subjects: ['Poetry'],
      }),
      record({
        sourceId: 'hound',
        title: 'The Hound of the Baskervilles',
        authors: ['Arthur Conan Doyle'],
        year: 1902,
        series: { name: 'Sherlock Holmes', index: 3 },
      }),
    ];

    it('inserts every book with its authors and subjects', async () => {
      // Act
      const result = await replaceLibrary(repository, library, books);
      const page = await repository.listBooks({ limit: 10, offset: 0 });

      // Assess
      expect(result).toMatchObject({ inserted: 4, updated: 0, removed: 0, skipped: false });
      expect(page.total).toBe(4);
      // Title-sort order: "Hound of the Baskervilles, The" sorts under H.
      expect(page.items.map((book) => book.title)).toEqual([
        'Emma',
        'The Hound of the Baskervilles',
        'Pride and Prejudice',
        'Truyện Kiều',
      ]);
      const pride = page.items.find((book) => book.title === 'Pride and Prejudice');
      expect(pride).toMatchObject({ authors: ['Jane Austen'], subjects: ['Fiction', 'Romance'], year: 1813 });
    });

    it('changes nothing when the same library is loaded again', async () => {
      // Prepare
      const before = await pool.query('SELECT id, updated_at FROM book ORDER BY id');

      // Act
      const skipped = await replaceLibrary(repository, library, books);
      // Force a real write of identical rows by clearing the stored fingerprint.
      await pool.query('UPDATE library SET source_fingerprint = NULL');
      const rewritten = await replaceLibrary(repository, library, books);
      const after = await pool.query('SELECT id, updated_at FROM book ORDER BY id');

      // Assess
      expect(skipped.skipped).toBe(true);
      expect(rewritten).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, removed: 0, skipped: false });
      expect(after.rows).toEqual(before.rows);
    });

    it('updates changed books, adds new ones and removes those gone from the source', async () => {
      // Prepare
      const next = [
        record({ sourceId: 'p-and-p', title: 'Pride and Prejudice', subjects: ['Romance'], authors: ['J. Austen'] }),
        books[2]!,
        books[3]!,
        record({ sourceId: 'persuasion', title: 'Persuasion', year: 1817 }),
      ];

      // Act
      const result = await replaceLibrary(repository, library, next);
      const page = await repository.listBooks({ limit: 10, offset: 0 });

      // Assess
      expect(result).toMatchObject({ inserted: 1, updated: 0, removed: 1 });
      expect(page.items.map((book) => book.title)).not.toContain('Emma');
      expect(page.items.find((book) => book.title === 'Pride and Prejudice')).toMatchObject({
        authors: ['J. Austen'],
        subjects: ['Romance'],
      });
    });

    it('rolls back the whole load when one row is refused by the database', async () => {
      // Prepare
      const before = await repository.listBooks({ limit: 10, offset: 0 });
      const broken = [record({ sourceId: 'new-one', title: 'New' }), record({ sourceId: 'bad', pageCount: -1 })];

      // Act
      const attempt = repository.replaceLibrary(library, broken, 'fingerprint');

      // Assess
      await expect(attempt).rejects.toThrow(/page_count/);
      expect(await repository.listBooks({ limit: 10, offset: 0 })).toEqual(before);
    });
  });

  describe('listBooks and getBook', () => {
    it('pages through the catalogue and filters by language', async () => {
      // Act
      const first = await repository.listBooks({ limit: 2, offset: 0 });
      const second = await repository.listBooks({ limit: 2, offset: 2 });
      const beyond = await repository.listBooks({ limit: 2, offset: 50 });
      const vietnamese = await repository.listBooks({ limit: 10, offset: 0, language: 'vie' });

      // Assess
      expect(first.items).toHaveLength(2);
      expect(second.items).toHaveLength(2);
      expect(new Set([...first.items, ...second.items].map((book) => book.id)).size).toBe(4);
      expect(beyond).toMatchObject({ items: [], total: 4 });
      expect(vietnamese.items.map((book) => book.title)).toEqual(['Truyện Kiều']);
    });

    it('gets one book by id and nothing for an unknown id', async () => {
      // Prepare
      const { items } = await repository.listBooks({ limit: 1, offset: 0 });

      // Act
      const found = await repository.getBook(items[0]!.id);
      const missing = await repository.getBook('987654321');

      // Assess
      expect(found).toEqual(items[0]);
      expect(missing).toBeUndefined();
    });
  });
});
