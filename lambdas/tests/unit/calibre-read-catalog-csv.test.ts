import { describe, expect, it } from 'vitest';
import { readCatalogCsv } from '../../src/catalogue/calibre/read-catalog-csv';
import { buildCatalogCsv, thrownBy, utf8, unreadableError } from '../support/calibre-library';

const harryPotter = {
  author_sort: 'Rowling, J.K. & GrandPré, Mary',
  authors: 'J.K. Rowling & Mary GrandPré',
  comments: 'Harry Potter\'s life is **miserable**.\nHis parents are "dead".',
  cover: '/library/J.K. Rowling/Harry Potter (2)/cover.jpg',
  formats: 'epub, pdf',
  id: '2',
  identifiers: 'isbn:0439554934,goodreads:3',
  isbn: '0439554934',
  languages: 'eng',
  library_name: 'sample-library',
  pubdate: '1997-01-01T12:00:00+00:00',
  publisher: 'Scholastic',
  rating: '4.5',
  series: 'Harry Potter',
  series_index: '1.0',
  tags: 'fantasy, young-adult, Fiction.Fantasy',
  timestamp: '2026-11-22T01:38:06+00:00',
  title: "Harry Potter and the Sorcerer's Stone",
  title_sort: "Harry Potter and the Sorcerer's Stone",
  uuid: 'df035d5d-3c4f-4486-9d6b-0fc52f4b5b1b',
};

describe('readCatalogCsv', () => {
  it("reads Calibre's CSV with its BOM and multi-line quoted fields into a book", () => {
    // Prepare
    const bytes = utf8(buildCatalogCsv([harryPotter]));

    // Act
    const library = readCatalogCsv(bytes);

    // Assess
    expect(library.format).toBe('csv');
    expect(library.rejected).toEqual([]);
    expect(library.books).toEqual([
      {
        uuid: 'df035d5d-3c4f-4486-9d6b-0fc52f4b5b1b',
        calibreId: 2,
        title: "Harry Potter and the Sorcerer's Stone",
        titleSort: "Harry Potter and the Sorcerer's Stone",
        authors: [
          { name: 'J.K. Rowling', sort: 'Rowling, J.K.' },
          { name: 'Mary GrandPré', sort: 'GrandPré, Mary' },
        ],
        series: { name: 'Harry Potter', index: 1 },
        tags: ['fantasy', 'young-adult', 'Fiction.Fantasy'],
        publisher: 'Scholastic',
        languages: ['eng'],
        identifiers: { isbn: '0439554934', goodreads: '3' },
        pubdate: '1997-01-01T12:00:00.000Z',
        rating: 9,
        comments: 'Harry Potter\'s life is **miserable**.\nHis parents are "dead".',
        customColumns: {},
        formats: ['EPUB', 'PDF'],
        hasCover: true,
        lastModified: null,
        path: null,
      },
    ]);
  });

  it('reads #custom columns as text, and an empty cover, formats and rating as absent', () => {
    // Prepare
    const header = 'uuid,title,authors,rating,cover,formats,#pages,#shelf';
    const row = { uuid: 'u-1', title: 'Emma', authors: 'Jane Austen', '#pages': '474', '#shelf': '' };
    const bytes = utf8(buildCatalogCsv([row], header));

    // Act
    const [book] = readCatalogCsv(bytes).books;

    // Assess
    expect(book?.customColumns).toEqual({ pages: { datatype: 'text', value: '474' } });
    expect(book?.hasCover).toBe(false);
    expect(book?.formats).toEqual([]);
    expect(book?.rating).toBeNull();
    expect(book?.calibreId).toBe(1);
    expect(book?.authors).toEqual([{ name: 'Jane Austen', sort: null }]);
  });

  it('rejects rows without a title or uuid, and rows with the wrong number of fields, keeping the others', () => {
    // Prepare
    const csv = buildCatalogCsv([harryPotter, { ...harryPotter, id: '3', title: '' }, { ...harryPotter, uuid: ' ' }]);
    const bytes = utf8(`${csv}"only","three","fields"\n`);

    // Act
    const library = readCatalogCsv(bytes);

    // Assess
    expect(library.books.map((book) => book.calibreId)).toEqual([2]);
    expect(library.rejected).toEqual([
      { at: 'line 4', reason: 'missing title' },
      { at: 'line 6', reason: 'missing uuid' },
      { at: 'line 8', reason: '3 fields where the header has 21' },
    ]);
  });

  it('refuses a file that is not UTF-8 (a Latin-1 export)', () => {
    // Prepare
    const latin1 = Uint8Array.from(Buffer.from('uuid,title,authors\n"u-1","Les Misérables","Victor Hugo"\n', 'latin1'));

    // Act
    const error = thrownBy(() => readCatalogCsv(latin1));

    // Assess
    expect(error).toEqual(unreadableError(/^not UTF-8 text/, 'csv'));
  });

  it('refuses a CSV without the uuid, title and authors columns, naming the missing ones', () => {
    // Prepare
    const bytes = utf8('\ufefftitle,rating\n"Emma","4"\n');

    // Act
    const error = thrownBy(() => readCatalogCsv(bytes));

    // Assess
    expect(error).toEqual(unreadableError(/^not a Calibre catalog CSV: missing columns uuid, authors$/, 'csv'));
  });

  it('rejects a record whose quoting is broken, keeping the records before it', () => {
    // Prepare
    const bytes = utf8(`${buildCatalogCsv([harryPotter])}"u-2","Emma" ,"Jane Austen"\n`);

    // Act
    const library = readCatalogCsv(bytes);

    // Assess
    expect(library.books).toHaveLength(1);
    expect(library.rejected[0]?.reason).toMatch(/^broken CSV: Invalid Closing Quote/);
  });

  it('refuses an empty CSV', () => {
    // Prepare
    const bytes = utf8('\ufeff\n');

    // Act
    const error = thrownBy(() => readCatalogCsv(bytes));

    // Assess
    expect(error).toEqual(unreadableError(/no header row/, 'csv'));
  });
});
