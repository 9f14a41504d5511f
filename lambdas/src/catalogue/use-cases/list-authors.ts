import type { AuthorPage, ListAuthorsQuery } from '../domain/book';
import type { CatalogueRepository } from '../ports';

/**
 * List authors, a page at a time, in sort order.
 * 1. Match the query against names (accents optional) and every spelling seen (aliases).
 * 2. Return the page with a cursor for the next one.
 */
export function listAuthors(repository: CatalogueRepository, query: ListAuthorsQuery): Promise<AuthorPage> {
  return repository.listAuthors(query);
}
