import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueRepository } from '../../src/catalogue/adapters/postgres-catalogue-repository';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import type { BookSummary, ListBooksQuery } from '../../src/catalogue/domain/book';
import { loadLibrary } from '../../src/catalogue/use-cases/load-library';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { book } from '../support/records';

const library = [
  book({
    sourceId: 'so-do',
    title: 'Số đỏ',
    authors: ['Vũ Trọng Phụng'],
    year: 1936,
    languages: ['vie'],
    subjects: ['Fiction.Satire'],
  }),
  book({
    sourceId: 'kieu',
    title: 'Truyện Kiều',
    authors: ['Nguyễn Du'],
    year: 1820,
    languages: ['vie'],
    subjects: ['Poetry'],
  }),
  book({
    sourceId: 'pp1',
    title: 'Pride and Prejudice',
    authors: ['Jane Austen'],
    year: 1813,
    subjects: ['Fiction.Romance'],
    publisher: 'Modern Library',
  }),
  book({
    sourceId: 'pp2',
    title: 'Pride and Prejudice',
    authors: ['Austen, Jane'],
    year: 2003,
    subjects: ['Fiction.Romance'],
    publisher: 'Penguin Classics',
  }),
  book({
    sourceId: 'emma',
    title: 'Emma',
    authors: ['Jane Austen'],
    year: 1815,
    subjects: ['Fiction.Romance'],
    descriptionText: 'A young woman who keeps matchmaking.',
  }),
  book({
    sourceId: 'hp1',
    title: "Harry Potter and the Philosopher's Stone",
    authors: ['J.K. Rowling', 'Mary GrandPré'],
    year: 1997,
    subjects: ['Fantasy'],
    series: { name: 'Harry Potter', index: 1 },
  }),
  book({
    sourceId: 'hp2',
    title: 'Harry Potter and the Chamber of Secrets',
    authors: ['J.K. Rowling'],
    year: 1998,
    subjects: ['Fantasy'],
    series: { name: 'Harry Potter', index: 2 },
  }),
  book({ sourceId: 'cv', title: 'The Casual Vacancy', authors: ['J. K. Rowling'], year: 2012, subjects: ['Fiction'] }),
  book({
    sourceId: 'run',
    title: 'Running Wild',
    authors: ['Someone Else'],
    year: 1950,
    subjects: ['Sports'],
    descriptionText: 'He runs across the moors.',
  }),
];

describe.each(databaseTargets)('catalogue queries ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let repository: PostgresCatalogueRepository;
  const titles = async (query: Partial<ListBooksQuery>) =>
    (await repository.listBooks({ limit: 50, offset: 0, ...query })).items.map((b: BookSummary) => b.title);

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await migrateToLatest(pool);
    await loadLibrary(new PostgresCatalogueWriter(pool), 'sample', library);
    repository = new PostgresCatalogueRepository(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('finds Vietnamese titles with or without diacritics, and by a prefix', async () => {
    expect(await titles({ q: 'Số đỏ' })).toEqual(['Số đỏ']);
    expect(await titles({ q: 'so do' })).toEqual(['Số đỏ']);
    expect(await titles({ q: 'truyen kie' })).toEqual(['Truyện Kiều']);
    expect(await titles({ q: 'nguyen du' })).toEqual(['Truyện Kiều']);
  });

  it('stems English words in descriptions', async () => {
    expect(await titles({ q: 'running' })).toContain('Running Wild');
    expect(await titles({ q: 'matchmaker' })).toEqual(['Emma']);
    expect(await titles({ q: 'zebra' })).toEqual([]);
    expect(await titles({ q: 'matchmaking' })).toEqual(['Emma']);
  });

  it('filters by language, tag with its sub-tags, series, author and years', async () => {
    // Prepare
    const rowling = (await repository.listAuthors({ limit: 10, q: 'rowling' })).items;
    const hp = await pool.query<{ id: string }>("SELECT id::text FROM series WHERE name = 'Harry Potter'");

    // Assess
    expect(await titles({ language: 'vie' })).toEqual(['Số đỏ', 'Truyện Kiều']);
    expect(await titles({ tag: 'Fiction' })).toEqual([
      'The Casual Vacancy',
      'Emma',
      'Pride and Prejudice',
      'Pride and Prejudice',
      'Số đỏ',
    ]);
    expect(await titles({ tag: 'Fiction.Romance', yearFrom: 1814 })).toEqual(['Emma', 'Pride and Prejudice']);
    expect(await titles({ seriesId: hp.rows[0]!.id })).toEqual([
      'Harry Potter and the Chamber of Secrets',
      "Harry Potter and the Philosopher's Stone",
    ]);
    expect(rowling).toHaveLength(1);
    expect(rowling[0]).toMatchObject({
      name: 'J.K. Rowling',
      aliases: ['J. K. Rowling', 'J.K. Rowling'],
      bookCount: 3,
    });
    expect(await titles({ authorId: rowling[0]!.id, yearTo: 2000 })).toHaveLength(2);
  });

  it('pages with cursors that visit every book exactly once', async () => {
    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repository.listBooks({ limit: 2, offset: 0, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const ranked: string[] = [];
    cursor = undefined;
    do {
      const page = await repository.listBooks({ limit: 1, offset: 0, q: 'pride', ...(cursor ? { cursor } : {}) });
      ranked.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // Assess
    expect(seen).toHaveLength(library.length);
    expect(new Set(seen).size).toBe(library.length);
    expect(new Set(ranked).size).toBe(2);
  });

  it('lists the most read books first, then the newest, each order paged by its own cursors', async () => {
    // Prepare: two books read lately (weights as the recommender stores them), two added after the others.
    const ids = async (query: Partial<ListBooksQuery>) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repository.listBooks({ limit: 2, offset: 0, ...query, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((b) => b.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    const idOf = async (title: string) =>
      (await pool.query<{ id: string }>('SELECT id::text AS id FROM book WHERE title = $1', [title])).rows[0]!.id;
    const [soDo, emma, kieu] = [await idOf('Số đỏ'), await idOf('Emma'), await idOf('Truyện Kiều')];
    await pool.query(
      `INSERT INTO book_popularity (book_id, weight) VALUES ($1::bigint, 2.5e21), ($2::bigint, 1.25e21)
       ON CONFLICT (book_id) DO UPDATE SET weight = excluded.weight`,
      [kieu, soDo],
    );
    await pool.query(`UPDATE book SET created_at = created_at + interval '1 day' WHERE id = $1::bigint`, [emma]);
    await pool.query(`UPDATE book SET created_at = created_at + interval '2 days' WHERE id = $1::bigint`, [soDo]);

    // Act
    const popular = await ids({ sort: 'popular' });
    const added = await ids({ sort: 'added' });
    const popularVietnamese = await titles({ sort: 'popular', language: 'vie' });

    // Assess
    expect(popular.slice(0, 2)).toEqual([kieu, soDo]);
    expect(added.slice(0, 2)).toEqual([soDo, emma]);
    for (const order of [popular, added]) {
      expect(order).toHaveLength(library.length);
      expect(new Set(order).size).toBe(library.length);
    }
    expect(popularVietnamese.slice(0, 2)).toEqual(['Truyện Kiều', 'Số đỏ']);
  });

  it('refuses a cursor from another listing', async () => {
    // Prepare
    const page = await repository.listBooks({ limit: 1, offset: 0 });

    // Act
    const attempt = repository.listBooks({ limit: 1, offset: 0, q: 'pride', cursor: page.nextCursor! });

    // Assess
    await expect(attempt).rejects.toThrow(/cursor/);
  });

  it('shows a book with its other editions, series and identifiers', async () => {
    // Prepare
    const [first] = (await repository.listBooks({ limit: 1, offset: 0, q: 'pride', yearTo: 1900 })).items;
    const [potter] = (await repository.listBooks({ limit: 1, offset: 0, q: 'chamber' })).items;

    // Act
    const pride = await repository.getBook(first!.id);
    const chamber = await repository.getBook(potter!.id);

    // Assess
    expect(pride?.editions).toEqual([
      expect.objectContaining({ title: 'Pride and Prejudice', year: 2003, publisher: 'Penguin Classics' }),
    ]);
    expect(pride).toMatchObject({
      publisher: 'Modern Library',
      withdrawn: false,
      authorsDetail: [{ name: 'Jane Austen' }],
    });
    expect(chamber?.series).toMatchObject({ name: 'Harry Potter', index: 2 });
    expect(chamber?.editions).toEqual([]);
    const series = await repository.getSeries(chamber!.series!.id);
    expect(series?.books.map((b) => b.seriesIndex)).toEqual([1, 2]);
  });
});
