import type { BookPage, ListBooksQuery } from '../domain/book';
import type { CatalogueRepository } from '../ports';

/**
 * List or search books, a page at a time.
 * 1. Filter by language, author, series, tag (with its sub-tags) and year range.
 * 2. With a search query, rank by full-text relevance (accents optional); otherwise order by title sort.
 * 3. Return the page, the total, and a stable cursor for the next page.
 */
export function listBooks(repository: CatalogueRepository, query: ListBooksQuery): Promise<BookPage> {
  return repository.listBooks(query);
}
