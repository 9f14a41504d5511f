import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';

import type { AuthorPage } from '@shelfwise/lambdas/catalogue/domain/book';

import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { foldForMatch } from '../utils/search-state';

export const authorPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      sort: z.string(),
      aliases: z.array(z.string()),
      bookCount: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
}) satisfies z.ZodType<AuthorPage>;

/** GET /authors?q=: authors whose name or an alias contains `q` (accents optional). */
export function getAuthors(client: ApiClient, q: string, signal?: AbortSignal) {
  return client.get('/authors', authorPageSchema, { query: { q, limit: 20 }, signal });
}

/**
 * The catalogue id of the author named `name` (the search URL keeps the name, readable and shareable; GET /books
 * filters by id): the author whose name or alias is `name` accents aside, else the first match; null when none.
 */
export function authorIdQueryOptions(client: ApiClient, name: string) {
  return queryOptions({
    queryKey: ['authors', 'id-of', name],
    queryFn: async ({ signal }) => {
      const { items } = await getAuthors(client, name, signal);
      const wanted = foldForMatch(name);
      const exact = items.find(
        (author) =>
          foldForMatch(author.name) === wanted || author.aliases.some((alias) => foldForMatch(alias) === wanted),
      );
      return (exact ?? items[0])?.id ?? null;
    },
    staleTime: 10 * 60_000,
  });
}

export function useAuthorId(name: string) {
  return useQuery({ ...authorIdQueryOptions(useApiClient(), name), enabled: name !== '' });
}
