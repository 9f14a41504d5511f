import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { bookPageSchema } from './book-schemas';

export interface BooksQuery {
  limit: number;
  offset: number;
  /** ISO 639 code; undefined for every language. */
  language?: string | undefined;
}

/** GET /books: one page of the catalogue, optionally in one language. */
export function getBooks(client: ApiClient, { limit, offset, language }: BooksQuery, signal?: AbortSignal) {
  return client.get('/books', bookPageSchema, { query: { limit, offset, language }, signal });
}

export function booksQueryOptions(client: ApiClient, query: BooksQuery) {
  return queryOptions({
    queryKey: ['books', query],
    queryFn: ({ signal }) => getBooks(client, query, signal),
    // Keep showing the current page while the next one loads.
    placeholderData: keepPreviousData,
  });
}

export function useBooks(query: BooksQuery) {
  return useQuery(booksQueryOptions(useApiClient(), query));
}
