import { describe, expect, it } from 'vitest';
import {
  calibreDate,
  calibreRating,
  pairAuthorSorts,
  parseIdentifiers,
  splitAuthors,
  starsToRating,
} from '../../src/catalogue/calibre/calibre-fields';

describe('calibreDate', () => {
  it('turns the database, export and offset forms of one instant into the same UTC ISO string', () => {
    // Prepare
    const forms = ['2008-01-01 12:00:00+00:00', '2008-01-01T12:00:00+00:00', '2008-01-01T14:00:00+02:00'];

    // Act
    const dates = forms.map(calibreDate);

    // Assess
    expect(dates).toEqual(Array(3).fill('2008-01-01T12:00:00.000Z'));
    expect(calibreDate('2026-11-22 01:38:05.852627+00:00')).toBe('2026-11-22T01:38:05.852Z');
  });

  it("reads Calibre's undefined date, None, blanks and nonsense as no date", () => {
    // Prepare
    const undefinedDates = ['0101-01-01 00:00:00+00:00', '0101-01-01T00:00:00+00:00', 'None', '', '2023-02-31', 'soon'];

    // Act
    const dates = undefinedDates.map(calibreDate);

    // Assess
    expect(dates).toEqual(Array(undefinedDates.length).fill(null));
    expect(calibreDate('0119-01-01 12:00:00+00:00')).toBe('0119-01-01T12:00:00.000Z');
  });
});

describe('ratings', () => {
  it('reads stars as 0–10 and treats 0 as unrated', () => {
    // Prepare
    const stars = ['4.5', '4', '0.5', '', '0'];

    // Act
    const ratings = stars.map(starsToRating);

    // Assess
    expect(ratings).toEqual([9, 8, 1, null, null]);
    expect([calibreRating(9), calibreRating(0), calibreRating(null)]).toEqual([9, null, null]);
  });
});

describe('splitAuthors', () => {
  it("splits on & and keeps a doubled && as part of a name, as Calibre's authors_to_string writes it", () => {
    // Prepare
    const raw = 'J.K. Rowling & Mary GrandPré & Simon && Schuster';

    // Act
    const authors = splitAuthors(raw);

    // Assess
    expect(authors).toEqual(['J.K. Rowling', 'Mary GrandPré', 'Simon & Schuster']);
  });
});

describe('pairAuthorSorts', () => {
  it("pairs the book's author sort with its authors, merging a repeated sort, and gives up when counts differ", () => {
    // Prepare
    const names = ['J.K. Rowling', 'Mary GrandPré'];

    // Act
    const paired = pairAuthorSorts(names, 'Rowling, J.K. & GrandPré, Mary');
    const repeated = pairAuthorSorts(['Louis Sachar'], 'Sachar, Louis & Sachar, Louis');
    const edited = pairAuthorSorts(names, 'Rowling & GrandPré & Someone');

    // Assess
    expect(paired).toEqual([
      { name: 'J.K. Rowling', sort: 'Rowling, J.K.' },
      { name: 'Mary GrandPré', sort: 'GrandPré, Mary' },
    ]);
    expect(repeated).toEqual([{ name: 'Louis Sachar', sort: 'Sachar, Louis' }]);
    expect(edited.map((author) => author.sort)).toEqual([null, null]);
  });
});

describe('parseIdentifiers', () => {
  it('reads type:value pairs, lower-casing the type and keeping colons inside values', () => {
    // Prepare
    const raw = 'ISBN:0439023483,goodreads:2767052,url:https://example.org/x,broken,:nothing';

    // Act
    const identifiers = parseIdentifiers(raw);

    // Assess
    expect(identifiers).toEqual({ isbn: '0439023483', goodreads: '2767052', url: 'https://example.org/x' });
  });
});
