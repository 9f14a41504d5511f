import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSqlJs, readMetadataDb } from '../../src/catalogue/calibre/read-metadata-db';
import { buildMetadataDb, type TestBook, unreadableError } from '../support/calibre-library';

const hungerGames: TestBook = {
  id: 1,
  uuid: '8740b9a4-1220-44d8-ada7-7e46db19ef22',
  title: 'The Hunger Games',
  sort: 'Hunger Games, The',
  authors: [['Suzanne Collins', 'Collins, Suzanne']],
  series: ['The Hunger Games', 1],
  tags: ['young-adult', 'fiction', 'dystopian'],
  publisher: 'Scholastic',
  languages: ['eng'],
  identifiers: { isbn: '0439023483', goodreads: '2767052' },
  pubdate: '2008-01-01 12:00:00+00:00',
  rating: 9,
  comments: '<p>WINNING MEANS <b>FAME</b> AND FORTUNE.</p>',
  formats: [
    ['EPUB', 'The Hunger Games - Suzanne Collins'],
    ['PDF', 'The Hunger Games - Suzanne Collins'],
  ],
  hasCover: true,
  lastModified: '2026-11-22 01:38:05.852627+00:00',
  path: 'Suzanne Collins/The Hunger Games (1)',
};

const soDo: TestBook = {
  id: 2,
  uuid: '835ad457-bd97-4d04-a8c5-a735376738dd',
  title: 'Số đỏ',
  authors: [['Vũ Trọng Phụng', 'Phụng, Vũ Trọng']],
  languages: ['vie', 'fra'],
  pubdate: '0101-01-01 00:00:00+00:00',
  rating: 0,
  path: 'Vu Trong Phung/So do (2)',
};

describe('readMetadataDb', () => {
  it('reads every field of a book with its authors, series, tags, identifiers, formats and cover flag', async () => {
    // Prepare
    const bytes = await buildMetadataDb([hungerGames, soDo]);

    // Act
    const library = await readMetadataDb(bytes);

    // Assess
    expect(library.format).toBe('metadata.db');
    expect(library.rejected).toEqual([]);
    expect(library.books[0]).toEqual({
      uuid: '8740b9a4-1220-44d8-ada7-7e46db19ef22',
      calibreId: 1,
      title: 'The Hunger Games',
      titleSort: 'Hunger Games, The',
      authors: [{ name: 'Suzanne Collins', sort: 'Collins, Suzanne' }],
      series: { name: 'The Hunger Games', index: 1 },
      tags: ['young-adult', 'fiction', 'dystopian'],
      publisher: 'Scholastic',
      languages: ['eng'],
      identifiers: { isbn: '0439023483', goodreads: '2767052' },
      pubdate: '2008-01-01T12:00:00.000Z',
      rating: 9,
      comments: '<p>WINNING MEANS <b>FAME</b> AND FORTUNE.</p>',
      customColumns: {},
      formats: ['EPUB', 'PDF'],
      hasCover: true,
      lastModified: '2026-11-22T01:38:05.852Z',
      path: 'Suzanne Collins/The Hunger Games (1)',
    });
  });

  it("reads Calibre's undefined pubdate and a 0 rating as absent, and keeps languages in their order", async () => {
    // Prepare
    const bytes = await buildMetadataDb([soDo]);

    // Act
    const [book] = (await readMetadataDb(bytes)).books;

    // Assess
    expect(book?.title).toBe('Số đỏ');
    expect(book?.pubdate).toBeNull();
    expect(book?.rating).toBeNull();
    expect(book?.series).toBeNull();
    expect(book?.languages).toEqual(['vie', 'fra']);
    expect(book?.comments).toBeNull();
  });

  it('reads custom columns typed by their datatype, with a series column’s index', async () => {
    // Prepare
    const customColumns = `
      INSERT INTO custom_columns (id, label, name, datatype, is_multiple, normalized) VALUES
        (1, 'pages', 'Pages', 'int', 0, 0), (2, 'read', 'Read', 'bool', 0, 0),
        (3, 'genre', 'Genre', 'text', 1, 1), (4, 'shelf', 'Shelf', 'series', 0, 1),
        (5, 'bought', 'Bought', 'datetime', 0, 0), (6, 'stars', 'Stars', 'rating', 0, 1),
        (7, 'gone', 'Gone', 'int', 0, 0);
      UPDATE custom_columns SET mark_for_delete = 1 WHERE id = 7;
      CREATE TABLE custom_column_1 (id INTEGER PRIMARY KEY, book INTEGER, value INT);
      CREATE TABLE custom_column_2 (id INTEGER PRIMARY KEY, book INTEGER, value BOOL);
      CREATE TABLE custom_column_3 (id INTEGER PRIMARY KEY, value TEXT);
      CREATE TABLE books_custom_column_3_link (id INTEGER PRIMARY KEY, book INTEGER, value INTEGER);
      CREATE TABLE custom_column_4 (id INTEGER PRIMARY KEY, value TEXT);
      CREATE TABLE books_custom_column_4_link (id INTEGER PRIMARY KEY, book INTEGER, value INTEGER, extra REAL);
      CREATE TABLE custom_column_5 (id INTEGER PRIMARY KEY, book INTEGER, value TIMESTAMP);
      CREATE TABLE custom_column_6 (id INTEGER PRIMARY KEY, value INT);
      CREATE TABLE books_custom_column_6_link (id INTEGER PRIMARY KEY, book INTEGER, value INTEGER);
      CREATE TABLE custom_column_7 (id INTEGER PRIMARY KEY, book INTEGER, value INT);
      INSERT INTO custom_column_1 (book, value) VALUES (1, 374);
      INSERT INTO custom_column_2 (book, value) VALUES (1, 1);
      INSERT INTO custom_column_3 (id, value) VALUES (1, 'Dystopia'), (2, 'Adventure');
      INSERT INTO books_custom_column_3_link (book, value) VALUES (1, 2), (1, 1);
      INSERT INTO custom_column_4 (id, value) VALUES (1, 'Living room');
      INSERT INTO books_custom_column_4_link (book, value, extra) VALUES (1, 1, 2.5);
      INSERT INTO custom_column_5 (book, value) VALUES (1, '2024-03-01 10:00:00+00:00');
      INSERT INTO custom_column_6 (id, value) VALUES (1, 8);
      INSERT INTO books_custom_column_6_link (book, value) VALUES (1, 1);
      INSERT INTO custom_column_7 (book, value) VALUES (1, 99);`;
    const bytes = await buildMetadataDb([hungerGames, soDo], customColumns);

    // Act
    const [first, second] = (await readMetadataDb(bytes)).books;

    // Assess
    expect(first?.customColumns).toEqual({
      pages: { datatype: 'int', value: 374 },
      read: { datatype: 'bool', value: true },
      genre: { datatype: 'text', value: ['Adventure', 'Dystopia'] },
      shelf: { datatype: 'series', value: 'Living room' },
      shelf_index: { datatype: 'float', value: 2.5 },
      bought: { datatype: 'datetime', value: '2024-03-01T10:00:00.000Z' },
      stars: { datatype: 'rating', value: 8 },
    });
    expect(second?.customColumns).toEqual({});
  });

  it('rejects books with a blank title or no uuid, with the reason, and keeps the others', async () => {
    // Prepare
    const bytes = await buildMetadataDb([
      hungerGames,
      { ...soDo, id: 2, title: '   ' },
      { ...soDo, id: 3, uuid: null },
      { ...soDo, id: 4, uuid: hungerGames.uuid },
      { ...soDo, id: 5, uuid: 'f5d2b5e4-4d1e-4d0a-9f4e-5b8f1c2d3e4f' },
    ]);

    // Act
    const library = await readMetadataDb(bytes);

    // Assess
    expect(library.books.map((book) => book.calibreId)).toEqual([1, 5]);
    expect(library.rejected).toEqual([
      { at: 'calibre id 2', reason: 'missing title' },
      { at: 'calibre id 3', reason: 'missing uuid' },
      { at: 'calibre id 4', reason: `duplicate uuid ${hungerGames.uuid} (first seen at calibre id 1)` },
    ]);
  });

  it('never changes the bytes it reads', async () => {
    // Prepare
    const bytes = await buildMetadataDb([hungerGames, soDo]);
    const before = createHash('sha256').update(bytes).digest('hex');

    // Act
    await readMetadataDb(bytes);

    // Assess
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(before);
  });

  it('refuses a file that is not SQLite', async () => {
    // Prepare
    const bytes = new TextEncoder().encode('title,authors\nEmma,Jane Austen\n');

    // Act
    const error = await readMetadataDb(bytes).catch((caught: unknown) => caught);

    // Assess
    expect(error).toEqual(unreadableError(/^not a SQLite database$/, 'metadata.db'));
  });

  it('refuses a truncated database, naming the bytes it has and the size its header declares', async () => {
    // Prepare
    const bytes = await buildMetadataDb([hungerGames, soDo]);
    const cut = bytes.slice(0, bytes.length - 1024);
    const headerOnly = bytes.slice(0, 60);

    // Act
    const errors = await Promise.all([cut, headerOnly].map((part) => readMetadataDb(part).catch((e: unknown) => e)));

    // Assess
    expect(errors[0]).toEqual(
      unreadableError(/^truncated SQLite database: \d+ bytes, but its header declares \d+/, 'metadata.db'),
    );
    expect(errors[1]).toEqual(
      unreadableError(/^truncated SQLite database: 60 bytes, shorter than SQLite's 100-byte header/, 'metadata.db'),
    );
  });

  it('refuses a SQLite database that is not a Calibre library, naming the missing tables', async () => {
    // Prepare
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); CREATE TABLE authors (id INTEGER PRIMARY KEY);');
    const bytes = db.export();
    db.close();

    // Act
    const error = await readMetadataDb(bytes).catch((caught: unknown) => caught);

    // Assess
    expect(error).toEqual(
      unreadableError(
        /^SQLite database but not a Calibre library: no tables books, books_authors_link, library_id \(or preferences\)$/,
        'metadata.db',
      ),
    );
  });

  it('refuses a database whose pages are damaged as truncated/corrupt', async () => {
    // Prepare
    const bytes = await buildMetadataDb([hungerGames, soDo]);
    const damaged = bytes.slice();
    damaged.fill(0xee, 4096, damaged.length); // every page after the first (the schema) is garbage

    // Act
    const error = await readMetadataDb(damaged).catch((caught: unknown) => caught);

    // Assess
    expect(error).toEqual(unreadableError(/^truncated\/corrupt: /, 'metadata.db'));
  });
});
