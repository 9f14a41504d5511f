import { describe, expect, it } from 'vitest';

import {
  countValues,
  emptySearch,
  foldForMatch,
  hasCriteria,
  readSearch,
  writeSearch,
  yearRange,
} from '../../src/features/catalogue/utils/search-state';

describe('readSearch and writeSearch', () => {
  it('round-trips a full search through the URL', () => {
    // Prepare
    const search = {
      q: 'truyện kiều',
      author: 'Nguyễn Du',
      subject: 'Poetry',
      language: 'vie',
      year: '1800-1830',
      page: 2,
    };

    // Act
    const params = writeSearch(search);

    // Assess
    expect(params.toString()).toBe(
      'q=truy%E1%BB%87n+ki%E1%BB%81u&author=Nguy%E1%BB%85n+Du&subject=Poetry&language=vie&year=1800-1830&page=2',
    );
    expect(readSearch(params)).toEqual(search);
  });

  it('drops malformed values and leaves defaults out of the URL', () => {
    // Act
    const search = readSearch(new URLSearchParams('q=%20dune%20&language=french&year=soon&page=-1'));

    // Assess
    expect(search).toEqual({ ...emptySearch, q: 'dune' });
    expect(writeSearch(emptySearch).toString()).toBe('');
  });
});

describe('yearRange', () => {
  it.each([
    ['1890', { yearFrom: 1890, yearTo: 1890 }],
    ['1890-1899', { yearFrom: 1890, yearTo: 1899 }],
    ['1899 – 1890', { yearFrom: 1890, yearTo: 1899 }],
    ['-500', { yearFrom: -500, yearTo: -500 }],
    ['19th century', undefined],
    ['99999', undefined],
  ])('reads %j as %j', (year, expected) => {
    expect(yearRange(year)).toEqual(expected);
  });
});

describe('hasCriteria', () => {
  it('is false for an empty search and true for words or any filter', () => {
    expect(hasCriteria(emptySearch)).toBe(false);
    expect(hasCriteria({ ...emptySearch, language: 'vie' })).toBe(true);
    expect(hasCriteria({ ...emptySearch, q: 'kieu' })).toBe(true);
  });
});

describe('foldForMatch', () => {
  it('removes Vietnamese accents, đ included, and case', () => {
    expect(foldForMatch('  Nguyễn Đình  Chiểu ')).toBe('nguyen dinh chieu');
  });
});

describe('countValues', () => {
  it('counts each value once per book, most frequent first', () => {
    // Prepare
    const books = [{ subjects: ['Poetry', 'Epic', 'Poetry'] }, { subjects: ['Poetry'] }, { subjects: ['Drama'] }];

    // Act
    const counts = countValues(books, (book) => book.subjects);

    // Assess
    expect(counts).toEqual([
      { value: 'Poetry', count: 2 },
      { value: 'Drama', count: 1 },
      { value: 'Epic', count: 1 },
    ]);
  });
});
