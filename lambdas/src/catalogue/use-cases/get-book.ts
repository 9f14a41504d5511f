import { NotFoundError } from '../../shared/errors';
import type { BookSummary } from '../domain/book';
import type { CatalogueRepository } from '../ports';

/**
 * Get one book.
 * 1. Reject ids that cannot be catalogue ids (they would never match).
 * 2. Look the book up; a missing book is a NotFoundError.
 */
export async function getBook(repository: CatalogueRepository, id: string): Promise<BookSummary> {
  const book = /^[1-9][0-9]{0,17}$/.test(id) ? await repository.getBook(id) : undefined;
  if (!book) throw new NotFoundError(`No book with id "${id}" in the catalogue`);
  return book;
}
