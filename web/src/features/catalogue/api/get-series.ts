import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';

import type { Series } from '@shelfwise/lambdas/catalogue/domain/book';

import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { bookSummarySchema } from '../../../lib/book-summary-schema';

/** `GET /series/{id}`: a series with its books in series order. */
export const seriesSchema = z.object({
  id: z.string(),
  name: z.string(),
  books: z.array(bookSummarySchema.extend({ seriesIndex: z.number() })),
}) satisfies z.ZodType<Series>;

/** GET /series/{id}; rejects with an ApiError of status 404 when there is none. */
export function getSeries(client: ApiClient, seriesId: string, signal?: AbortSignal) {
  return client.get(`/series/${encodeURIComponent(seriesId)}`, seriesSchema, { signal });
}

export function seriesQueryOptions(client: ApiClient, seriesId: string) {
  return queryOptions({
    queryKey: ['series', seriesId],
    queryFn: ({ signal }) => getSeries(client, seriesId, signal),
  });
}

export function useSeries(seriesId: string) {
  return useQuery(seriesQueryOptions(useApiClient(), seriesId));
}
