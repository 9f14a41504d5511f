import { queryOptions, useQuery } from '@tanstack/react-query';

import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { bookDetailSchema } from './book-schemas';

/**
 * GET /books/{id}: one book with its series, other editions and sanitised description; rejects with an ApiError of
 * status 404 when there is none.
 */
export function getBook(client: ApiClient, bookId: string, signal?: AbortSignal) {
  return client.get(`/books/${encodeURIComponent(bookId)}`, bookDetailSchema, { signal });
}

export function bookQueryOptions(client: ApiClient, bookId: string) {
  return queryOptions({
    queryKey: ['books', 'detail', bookId],
    queryFn: ({ signal }) => getBook(client, bookId, signal),
  });
}

export function useBook(bookId: string) {
  return useQuery(bookQueryOptions(useApiClient(), bookId));
}
