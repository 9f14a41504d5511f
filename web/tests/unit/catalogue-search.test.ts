import { describe, expect, it } from 'vitest';

import {
  offsetOf,
  pageCountOf,
  readCatalogueSearch,
  writeCatalogueSearch,
} from '../../src/features/catalogue/utils/catalogue-search';

describe('readCatalogueSearch', () => {
  it('reads the page and the language', () => {
    expect(readCatalogueSearch(new URLSearchParams('page=3&language=fra'))).toEqual({ page: 3, language: 'fra' });
  });

  it('defaults to the first page in every language', () => {
    expect(readCatalogueSearch(new URLSearchParams(''))).toEqual({ page: 1, language: undefined });
  });

  it.each(['0', '-2', '1.5', 'two', '', '99999999999999999999'])('falls back to page 1 for page=%s', (page) => {
    expect(readCatalogueSearch(new URLSearchParams({ page })).page).toBe(1);
  });

  it.each(['FRA', 'french', 'f', '<script>'])('ignores the language %s that the API would refuse', (language) => {
    expect(readCatalogueSearch(new URLSearchParams({ language })).language).toBeUndefined();
  });
});

describe('writeCatalogueSearch', () => {
  it('leaves the defaults out so that the first page is plain /', () => {
    expect(writeCatalogueSearch({ page: 1, language: undefined }).toString()).toBe('');
  });

  it('round-trips through readCatalogueSearch', () => {
    // Prepare
    const search = { page: 4, language: 'vie' };

    // Act
    const written = writeCatalogueSearch(search);

    // Assess
    expect(written.toString()).toBe('language=vie&page=4');
    expect(readCatalogueSearch(written)).toEqual(search);
  });
});

describe('offsetOf and pageCountOf', () => {
  it('turns 1-based pages into API offsets', () => {
    expect([1, 2, 3].map((page) => offsetOf(page, 24))).toEqual([0, 24, 48]);
  });

  it('counts pages, with at least one', () => {
    expect([0, 1, 24, 25, 10_000].map((total) => pageCountOf(total, 24))).toEqual([1, 1, 1, 2, 417]);
  });
});
