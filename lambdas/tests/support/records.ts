import type { CatalogueRecord } from '../../src/catalogue/domain/catalogue-record';

/** A catalogue record with sensible defaults; tests override what they care about. */
export function record(overrides: Partial<CatalogueRecord> & { sourceId: string }): CatalogueRecord {
  return {
    title: `Title of ${overrides.sourceId}`,
    authors: ['Jane Austen'],
    year: 1813,
    languages: ['eng'],
    subjects: ['Fiction'],
    audience: 'adult',
    pageCount: 300,
    series: null,
    descriptionText: 'A description.',
    descriptionHtml: null,
    ...overrides,
  };
}
