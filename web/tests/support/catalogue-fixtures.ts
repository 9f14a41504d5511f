import type { BookDetail } from '@shelfwise/lambdas/catalogue/domain/book';

/** A book as GET /books/{id} sends it, with `overrides`. */
export function bookDetail(overrides: Partial<BookDetail> = {}): BookDetail {
  return {
    id: '7',
    title: 'Foundation and Empire',
    authors: ['Isaac Asimov'],
    year: 1952,
    languages: ['eng'],
    subjects: ['Science fiction'],
    description: 'The Foundation faces the Mule.',
    titleSort: 'Foundation and Empire',
    authorsDetail: [{ id: '3', name: 'Isaac Asimov' }],
    series: null,
    publisher: null,
    pubdate: null,
    rating: null,
    descriptionHtml: null,
    identifiers: [],
    formats: [],
    hasCover: false,
    coverUrl: null,
    audience: 'adult',
    pageCount: null,
    withdrawn: false,
    editions: [],
    ...overrides,
  };
}
