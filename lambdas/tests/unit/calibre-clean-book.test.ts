import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CalibreBook } from '../../src/catalogue/calibre/calibre-book';
import {
  cleanCalibreBook,
  cleanCalibreFields,
  cleaningVersion,
  sourceHashOf,
  withDescription,
} from '../../src/catalogue/calibre/clean-calibre-book';

function calibreBook(overrides: Partial<CalibreBook>): CalibreBook {
  return {
    uuid: 'uuid-1',
    calibreId: 1,
    title: 'A Title',
    titleSort: null,
    authors: [{ name: 'Jane Austen', sort: 'Austen, Jane' }],
    series: null,
    tags: [],
    publisher: null,
    languages: ['eng'],
    identifiers: {},
    pubdate: null,
    rating: null,
    comments: null,
    customColumns: {},
    formats: [],
    hasCover: false,
    lastModified: '2026-01-01T00:00:00.000Z',
    path: 'Jane Austen/A Title (1)',
    ...overrides,
  };
}

/** Books that exercise every cleaning rule: mojibake, NFD, HTML (safe, unsafe, plain text), ISBNs, columns, dates. */
const samples: CalibreBook[] = [
  calibreBook({}),
  calibreBook({
    uuid: ' uuid-2 ',
    title: '  CafÃ© \u0000 Society ',
    titleSort: 'Cafe\u0301 Society',
    authors: [
      { name: 'Tolstoy, Leo', sort: 'Tolstoy, Leo' },
      { name: '  ', sort: null },
    ],
    series: { name: 'Sá»‘ Ä‘á»\u008f', index: 2.5 },
    tags: ['Fiction.Young Adult', 'Fiction.Young Adult', ' '],
    publisher: 'Penguin',
    languages: ['ENG', 'vie', 'xx'],
    identifiers: { isbn: '0-14-044793-8', ISBN13: '812971060', goodreads: ' 656 ', amazon: '' },
    pubdate: '1869-03-01T12:00:00.000Z',
    rating: 9.4,
    comments:
      '<p onclick="x()">A <i>fine</i> &amp; <b>book</b></p><script>alert(1)</script><a href="javascript:z()">z</a>' +
      '<a href="https://example.org">ok</a><ul><li>one</li><li>two</li></ul>',
    customColumns: { pages: { datatype: 'int', value: 412 }, audience: { datatype: 'text', value: 'Teen' } },
    formats: ['epub', 'PDF', 'EPUB'],
    hasCover: true,
  }),
  calibreBook({ uuid: 'uuid-3', comments: 'Plain <two> text.\n\nSecond\nline.', pubdate: '0101-01-01T00:00:00.000Z' }),
  calibreBook({ uuid: 'uuid-4', comments: `<p>${'word '.repeat(5000)}</p>`, authors: [] }),
];

describe('cleanCalibreBook', () => {
  it('is the fields then the description, in two steps', () => {
    for (const book of samples) {
      // Act
      const whole = cleanCalibreBook(book);
      const fields = cleanCalibreFields(book);

      // Assess
      if (!fields.ok || !whole.ok) throw new Error('sample rejected');
      const described = withDescription(fields.input, fields.comments);
      expect(JSON.stringify(described.input)).toBe(JSON.stringify(whole.input));
      expect([...described.warnings, ...fields.warnings]).toEqual(whole.warnings);
    }
  });

  it('cleans as the current cleaning version says (bump cleaningVersion and this fingerprint when it changes)', () => {
    // Act
    const cleaned = JSON.stringify(samples.map(cleanCalibreBook));

    // Assess: a different fingerprint means cleaned books changed; stored books are then only rebuilt if the version
    // that is part of their source hash changes too.
    const fingerprints: Record<number, string> = { 1: '61b8fde8ff95c07f' };
    expect({
      version: cleaningVersion,
      fingerprint: createHash('sha256').update(cleaned).digest('hex').slice(0, 16),
    }).toEqual({ version: cleaningVersion, fingerprint: fingerprints[cleaningVersion] });
  });
});

describe('sourceHashOf', () => {
  it('changes with anything the cleaning reads, and not with the report id or the folder', () => {
    // Prepare
    const book = samples[1]!;

    // Act
    const hash = sourceHashOf(book);

    // Assess
    expect(sourceHashOf({ ...book, calibreId: 99, path: 'elsewhere' })).toBe(hash);
    expect(sourceHashOf({ ...book, comments: `${book.comments ?? ''} ` })).not.toBe(hash);
    expect(sourceHashOf({ ...book, identifiers: { ...book.identifiers, goodreads: '657' } })).not.toBe(hash);
    expect(sourceHashOf({ ...book, hasCover: false })).not.toBe(hash);
  });
});
