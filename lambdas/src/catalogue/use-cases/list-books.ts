import type { BookPage, ListBooksQuery } from '../domain/book';
import type { CatalogueRepository } from '../ports';

/**
 * List books, a page at a time.
 * 1. Ask the repository for the page, in title-sort order, filtered by language when asked.
 * 2. Return it with the total, so the reader can page through.
 */
export function listBooks(repository: CatalogueRepository, query: ListBooksQuery): Promise<BookPage> {
  return repository.listBooks(query);
}
