import { describe, expect, it } from 'vitest';
import { readCalibredbJson } from '../../src/catalogue/calibre/read-calibredb-json';
import { thrownBy, utf8, unreadableError } from '../support/calibre-library';

const harryPotter = {
  author_sort: 'Rowling, J.K. & GrandPré, Mary',
  authors: 'J.K. Rowling & Mary GrandPré',
  comments: '<p>Harry Potter&#39;s life is <b>miserable</b>.</p>',
  cover: '/library/J.K. Rowling/Harry Potter (2)/cover.jpg',
  formats: ['/library/J.K. Rowling/Harry Potter (2)/Harry Potter - J.K. Rowling.epub'],
  id: 2,
  identifiers: { goodreads: '3', isbn: '0439554934' },
  isbn: '0439554934',
  languages: ['eng'],
  last_modified: '2026-11-22T01:38:06+00:00',
  pubdate: '1997-01-01T12:00:00+00:00',
  publisher: 'Scholastic',
  rating: 9,
  series: 'Harry Potter',
  series_index: 1.0,
  tags: ['fantasy', 'young-adult'],
  timestamp: '2026-11-22T01:38:06+00:00',
  title: "Harry Potter and the Sorcerer's Stone",
  uuid: 'df035d5d-3c4f-4486-9d6b-0fc52f4b5b1b',
  '*pages': 309,
  '*read': true,
  '*genres': ['Fantasy', 'Magic'],
  '*bought': '2024-03-01T10:00:00+00:00',
};

function json(value: unknown): Uint8Array {
  return utf8(JSON.stringify(value, null, 2));
}

describe('readCalibredbJson', () => {
  it('reads a calibredb list row into a book, custom columns typed from their JSON values', () => {
    // Prepare
    const bytes = json([harryPotter]);

    // Act
    const library = readCalibredbJson(bytes);

    // Assess
    expect(library.format).toBe('json');
    expect(library.rejected).toEqual([]);
    expect(library.books).toEqual([
      {
        uuid: 'df035d5d-3c4f-4486-9d6b-0fc52f4b5b1b',
        calibreId: 2,
        title: "Harry Potter and the Sorcerer's Stone",
        titleSort: null,
        authors: [
          { name: 'J.K. Rowling', sort: 'Rowling, J.K.' },
          { name: 'Mary GrandPré', sort: 'GrandPré, Mary' },
        ],
        series: { name: 'Harry Potter', index: 1 },
        tags: ['fantasy', 'young-adult'],
        publisher: 'Scholastic',
        languages: ['eng'],
        identifiers: { goodreads: '3', isbn: '0439554934' },
        pubdate: '1997-01-01T12:00:00.000Z',
        rating: 9,
        comments: '<p>Harry Potter&#39;s life is <b>miserable</b>.</p>',
        customColumns: {
          pages: { datatype: 'int', value: 309 },
          read: { datatype: 'bool', value: true },
          genres: { datatype: 'text', value: ['Fantasy', 'Magic'] },
          bought: { datatype: 'datetime', value: '2024-03-01T10:00:00.000Z' },
        },
        formats: ['EPUB'],
        hasCover: true,
        lastModified: '2026-11-22T01:38:06.000Z',
        path: null,
      },
    ]);
  });

  it('rejects rows of the wrong shape or without a title or uuid, keeping the others', () => {
    // Prepare
    const bytes = json([
      harryPotter,
      { ...harryPotter, id: 3, uuid: 'u-3', title: '' },
      { ...harryPotter, id: 4, uuid: undefined },
      { ...harryPotter, id: 5, uuid: 'u-5', tags: 'fantasy' },
      'not a book',
    ]);

    // Act
    const library = readCalibredbJson(bytes);

    // Assess
    expect(library.books.map((book) => book.calibreId)).toEqual([2]);
    expect(library.rejected.map((row) => row.at)).toEqual([
      'row 2 (calibre id 3)',
      'row 3 (calibre id 4)',
      'row 4',
      'row 5',
    ]);
    expect(library.rejected.map((row) => row.reason)).toEqual([
      'missing title',
      'missing uuid',
      expect.stringMatching(/^unexpected shape: tags: /),
      expect.stringMatching(/^unexpected shape: row: /),
    ]);
  });

  it('refuses malformed JSON, a top level that is not an array, and rows without uuids at all', () => {
    // Prepare
    const inputs = [
      utf8('[{"id": 1, "title": "Emma",'),
      json({ books: [harryPotter] }),
      json([{ id: 1, title: 'Emma', authors: 'Jane Austen' }]),
    ];

    // Act
    const errors = inputs.map((bytes) => thrownBy(() => readCalibredbJson(bytes)));

    // Assess
    expect(errors[0]).toEqual(unreadableError(/^not valid JSON: /, 'json'));
    expect(errors[1]).toEqual(unreadableError(/^not calibredb list output: expected an array/, 'json'));
    expect(errors[2]).toEqual(
      unreadableError(/^calibredb list output without uuids: run it with `--fields all`/, 'json'),
    );
  });
});
