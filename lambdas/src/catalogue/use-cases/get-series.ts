import { NotFoundError } from '../../shared/errors';
import type { Series } from '../domain/book';
import type { CatalogueRepository } from '../ports';

/**
 * Get a series with its books in series order.
 * 1. Reject ids that cannot be catalogue ids.
 * 2. Look the series up; a missing series is a NotFoundError.
 */
export async function getSeries(repository: CatalogueRepository, id: string): Promise<Series> {
  const series = /^[1-9][0-9]{0,17}$/.test(id) ? await repository.getSeries(id) : undefined;
  if (!series) throw new NotFoundError(`No series with id "${id}" in the catalogue`);
  return series;
}
