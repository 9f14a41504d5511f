import type { BookCard } from '../../src/chat/domain/chat';

/** A book card with sensible defaults; tests override what they care about. */
export function card(id: string, overrides: Partial<BookCard> = {}): BookCard {
  return {
    id,
    title: `Book ${id}`,
    authors: ['A. Writer'],
    year: 1900,
    languages: ['eng'],
    subjects: ['Fiction'],
    audience: 'adult',
    pageCount: 200,
    rating: null,
    description: 'A story.',
    ...overrides,
  };
}
