import type { CatalogueInput } from '../../src/catalogue/domain/catalogue-record';

type Overrides = Partial<Omit<CatalogueInput, 'authors'>> & { sourceId: string; authors?: string[] };

/** A clean catalogue input with sensible defaults; tests override what they care about. */
export function book({ authors = ['Jane Austen'], ...overrides }: Overrides): CatalogueInput {
  return {
    title: `Title of ${overrides.sourceId}`,
    titleSort: null,
    authors: authors.map((name) => ({ name, sort: null })),
    year: 1813,
    pubdate: null,
    languages: ['eng'],
    subjects: ['Fiction'],
    audience: 'adult',
    pageCount: 300,
    series: null,
    publisher: null,
    identifiers: [],
    rating: null,
    descriptionText: 'A description.',
    descriptionHtml: null,
    customColumns: {},
    formats: [],
    hasCover: false,
    lastModified: null,
    ...overrides,
  };
}
