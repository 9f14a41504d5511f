import { describe, expect, it } from 'vitest';

import { excerpt, formatAuthors, formatYear, languageName } from '../../src/utils/book-format';

describe('excerpt', () => {
  it('keeps a short description whole, with its whitespace tidied', () => {
    expect(excerpt('  A short\n\ntale.  ')).toBe('A short tale.');
  });

  it('cuts a long description at a word boundary and ends it with an ellipsis', () => {
    // Prepare
    const description = `${'word '.repeat(60)}end`;

    // Act
    const result = excerpt(description, 200);

    // Assess
    expect(result.length).toBeLessThanOrEqual(201);
    expect(result).toMatch(/word…$/);
  });

  it('does not end on punctuation before the ellipsis', () => {
    expect(excerpt('Alpha beta, gamma delta epsilon', 12)).toBe('Alpha beta…');
  });
});

describe('formatYear', () => {
  it.each([
    [1997, '1997'],
    [-350, '350 BCE'],
    [null, undefined],
  ])('formats %s as %s', (year, expected) => {
    expect(formatYear(year)).toBe(expected);
  });
});

describe('formatAuthors', () => {
  it.each([
    [[], 'Unknown author'],
    [['Frank Herbert'], 'Frank Herbert'],
    [['Terry Pratchett', 'Neil Gaiman'], 'Terry Pratchett and Neil Gaiman'],
    [['A', 'B', 'C'], 'A, B and C'],
  ])('joins %j as "%s"', (authors, expected) => {
    expect(formatAuthors(authors)).toBe(expected);
  });
});

describe('languageName', () => {
  it('names ISO 639-2 and 639-1 codes in English', () => {
    expect(['eng', 'fra', 'vie', 'de'].map((code) => languageName(code))).toEqual([
      'English',
      'French',
      'Vietnamese',
      'German',
    ]);
  });

  it('shows an unknown code as it is', () => {
    expect(languageName('qqq')).toBe('qqq');
  });

  it('names languages in Vietnamese for Vietnamese readers', () => {
    expect(languageName('fra', 'vi')).toBe('Tiếng Pháp');
  });
});

describe('in Vietnamese', () => {
  it('joins authors with "và" and marks years before the common era', () => {
    expect(formatAuthors(['A', 'B', 'C'], 'vi')).toBe('A, B và C');
    expect(formatAuthors([], 'vi')).toBe('Không rõ tác giả');
    expect(formatYear(-350, 'vi')).toBe('350 TCN');
  });
});
