import { queryOptions } from '@tanstack/react-query';

import type { ApiClient } from '../../../lib/api-client';
import { servedListSchema } from './recommendation-schemas';

/** GET /readers/{readerId}/recommendations: the reader's current list, with its id, model version and reasons. */
export function getRecommendations(client: ApiClient, readerId: string, signal?: AbortSignal) {
  return client.get(`/readers/${encodeURIComponent(readerId)}/recommendations`, servedListSchema, { signal });
}

export function recommendationsQueryOptions(client: ApiClient, readerId: string) {
  return queryOptions({
    queryKey: ['recommendations', readerId],
    queryFn: ({ signal }) => getRecommendations(client, readerId, signal),
  });
}
