import { NotFoundError } from '../../shared/errors';
import type { BookDetail } from '../domain/book';
import type { CatalogueRepository } from '../ports';

const catalogueId = /^[1-9][0-9]{0,17}$/;

/**
 * Get one book with everything the book page shows.
 * 1. Reject ids that cannot be catalogue ids (they would never match).
 * 2. Look the book up, with its authors, series, identifiers and other editions of the same work.
 * 3. A missing book is a NotFoundError.
 */
export async function getBook(repository: CatalogueRepository, id: string): Promise<BookDetail> {
  const book = catalogueId.test(id) ? await repository.getBook(id) : undefined;
  if (!book) throw new NotFoundError(`No book with id "${id}" in the catalogue`);
  return book;
}
