import { queryOptions, useQuery } from '@tanstack/react-query';

import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { similarBooksSchema } from './recommendation-schemas';

/** GET /books/{bookId}/similar: books like this one (content, then series and authors, then popular). */
export function getSimilarBooks(client: ApiClient, bookId: string, signal?: AbortSignal) {
  return client.get(`/books/${encodeURIComponent(bookId)}/similar`, similarBooksSchema, { signal });
}

export function similarBooksQueryOptions(client: ApiClient, bookId: string) {
  return queryOptions({
    queryKey: ['books', 'similar', bookId],
    queryFn: ({ signal }) => getSimilarBooks(client, bookId, signal),
  });
}

export function useSimilarBooks(bookId: string) {
  return useQuery(similarBooksQueryOptions(useApiClient(), bookId));
}
