import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueRepository } from '../../src/catalogue/adapters/postgres-catalogue-repository';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { prepareLibrary } from '../../src/catalogue/domain/prepare-library';
import { loadLibrary } from '../../src/catalogue/use-cases/load-library';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { migrations } from '../../src/platform/db/migrations/index';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { book } from '../support/records';

describe.each(databaseTargets)('catalogue in Postgres ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let repository: PostgresCatalogueRepository;
  let writer: PostgresCatalogueWriter;
  /** Every row version of the catalogue tables: any insert, update or delete changes it. */
  const rowVersions = async () => {
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
    const versions: Record<string, string | null> = {};
    for (const table of tables) {
      const { rows } = await pool.query<{ v: string | null }>(
        `SELECT string_agg(ctid::text || '@' || xmin::text, ',' ORDER BY ctid) AS v FROM ${table}`,
      );
      versions[table] = rows[0]?.v ?? null;
    }
    return versions;
  };

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    repository = new PostgresCatalogueRepository(pool);
    writer = new PostgresCatalogueWriter(pool);
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
      const vector = await pool.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
      const distance = await pool.query<{ d: number }>("SELECT '[1,0]'::vector <-> '[0,0]'::vector AS d");

      // Assess
      expect(first.applied).toEqual(Object.keys(migrations).sort());
      expect(second.applied).toEqual([]);
      expect(vector.rows).toHaveLength(1);
      expect(distance.rows[0]?.d).toBe(1);
    });
  });

  describe('ingestLibrary', () => {
    const library = 'classics';
    const books = [
      book({ sourceId: 'p-and-p', title: 'Pride and Prejudice', subjects: ['Fiction', 'Romance'] }),
      book({ sourceId: 'emma', title: 'Emma', year: 1815 }),
      book({
        sourceId: 'kieu',
        title: 'Truyện Kiều',
        authors: ['Nguyễn Du'],
        year: 1820,
        languages: ['vie'],
        subjects: ['Poetry'],
      }),
      book({
        sourceId: 'hound',
        title: 'The Hound of the Baskervilles',
        authors: ['Arthur Conan Doyle'],
        year: 1902,
        series: { name: 'Sherlock Holmes', index: 3 },
        identifiers: [{ type: 'isbn', value: '9780140437867' }],
      }),
    ];

    it('adds every book with its authors, subjects and identifiers', async () => {
      // Act
      const counts = await loadLibrary(writer, library, books);
      const page = await repository.listBooks({ limit: 10, offset: 0 });

      // Assess
      expect(counts).toEqual({ added: 4, updated: 0, unchanged: 0, withdrawn: 0 });
      expect(page.total).toBe(4);
      // Title-sort order: "Hound of the Baskervilles, The" sorts under H.
      expect(page.items.map((b) => b.title)).toEqual([
        'Emma',
        'The Hound of the Baskervilles',
        'Pride and Prejudice',
        'Truyện Kiều',
      ]);
      expect(page.items.find((b) => b.title === 'Pride and Prejudice')).toMatchObject({
        authors: ['Jane Austen'],
        subjects: ['Fiction', 'Romance'],
        year: 1813,
      });
      const isbn = await pool.query("SELECT value FROM book_identifier WHERE type = 'isbn'");
      expect(isbn.rows).toEqual([{ value: '9780140437867' }]);
    });

    it('writes no rows at all when the same library is ingested again', async () => {
      // Prepare
      const before = await rowVersions();

      // Act
      const counts = await loadLibrary(writer, library, books);
      const after = await rowVersions();

      // Assess
      expect(counts).toEqual({ added: 0, updated: 0, unchanged: 4, withdrawn: 0 });
      expect(after).toEqual(before);
    });

    it('updates changed books, adds new ones and withdraws those gone from the source', async () => {
      // Prepare
      const next = [
        book({ sourceId: 'p-and-p', title: 'Pride and Prejudice', subjects: ['Romance'], authors: ['J. Austen'] }),
        books[2]!,
        books[3]!,
        book({ sourceId: 'persuasion', title: 'Persuasion', year: 1817 }),
      ];

      // Act
      const counts = await loadLibrary(writer, library, next);
      const page = await repository.listBooks({ limit: 10, offset: 0 });
      const emma = await pool.query('SELECT withdrawn_at IS NOT NULL AS withdrawn FROM book WHERE source_id = $1', [
        'emma',
      ]);

      // Assess
      expect(counts).toEqual({ added: 1, updated: 1, unchanged: 2, withdrawn: 1 });
      expect(page.items.map((b) => b.title)).not.toContain('Emma');
      expect(emma.rows).toEqual([{ withdrawn: true }]);
      expect(page.items.find((b) => b.title === 'Pride and Prejudice')).toMatchObject({
        authors: ['J. Austen'],
        subjects: ['Romance'],
      });
    });

    it('brings a withdrawn book back when the source lists it again', async () => {
      // Act
      const counts = await loadLibrary(writer, library, [
        ...books,
        book({ sourceId: 'persuasion', title: 'Persuasion', year: 1817 }),
      ]);

      // Assess
      expect(counts).toMatchObject({ added: 0, withdrawn: 0 });
      expect((await repository.listBooks({ limit: 10, offset: 0 })).items.map((b) => b.title)).toContain('Emma');
    });

    it('rolls back the whole ingest when one row is refused by the database', async () => {
      // Prepare
      const before = await repository.listBooks({ limit: 10, offset: 0 });
      const prepared = prepareLibrary([
        book({ sourceId: 'new-one', title: 'New' }),
        book({ sourceId: 'bad', pageCount: -1 }),
      ]);

      // Act
      const attempt = writer.ingestLibrary(library, prepared);

      // Assess
      await expect(attempt).rejects.toThrow(/page_count/);
      expect(await repository.listBooks({ limit: 10, offset: 0 })).toEqual(before);
    });

    it('serialises two ingests of the same library instead of interleaving them', async () => {
      // Prepare
      const a = [...books, book({ sourceId: 'x1', title: 'Extra One' })];
      const b = [...books, book({ sourceId: 'x2', title: 'Extra Two' })];

      // Act
      const [first, second] = await Promise.all([loadLibrary(writer, 'twins', a), loadLibrary(writer, 'twins', b)]);
      const rows = await pool.query<{ source_id: string; withdrawn: boolean }>(
        `SELECT source_id, withdrawn_at IS NOT NULL AS withdrawn FROM book b JOIN library l ON l.id = b.library_id
         WHERE l.name = 'twins' ORDER BY source_id`,
      );

      // Assess: one ran after the other, so the second saw the first's books and withdrew its extra.
      expect([first.added, second.added].sort()).toEqual([1, 5]);
      expect(rows.rows.filter((r) => r.withdrawn)).toHaveLength(1);
      expect(rows.rows).toHaveLength(6);
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
      expect(new Set([...first.items, ...second.items].map((b) => b.id)).size).toBe(4);
      expect(beyond.items).toEqual([]);
      expect(vietnamese.items.map((b) => b.title)).toEqual(['Truyện Kiều', 'Truyện Kiều']);
    });

    it('gets one book by id and nothing for an unknown id', async () => {
      // Prepare
      const { items } = await repository.listBooks({ limit: 1, offset: 0 });

      // Act
      const found = await repository.getBook(items[0]!.id);
      const missing = await repository.getBook('987654321');

      // Assess
      expect(found).toMatchObject(items[0]!);
      expect(missing).toBeUndefined();
    });
  });
});
