import { queryOptions } from '@tanstack/react-query';

import type { ApiClient } from '../../../lib/api-client';
import { bookSummarySchema } from '../../../lib/book-summary-schema';

/** `GET /books/{id}`, read as a summary (title, authors): what a shelf entry shows of its book. */
export function shelfBookQueryOptions(api: ApiClient, bookId: string) {
  return queryOptions({
    queryKey: ['shelf-book', bookId],
    queryFn: ({ signal }) => api.get(`/books/${encodeURIComponent(bookId)}`, bookSummarySchema, { signal }),
    staleTime: 10 * 60_000,
  });
}
