import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';

import type { ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { bookPageSchema } from './book-schemas';

/** What GET /books takes (its `listBooksQuerySchema`); undefined fields are left out of the URL. */
export interface BooksQuery {
  limit: number;
  offset: number;
  /** Full-text search over title, authors, subjects and description; accents optional. */
  q?: string | undefined;
  /** ISO 639 code; undefined for every language. */
  language?: string | undefined;
  authorId?: string | undefined;
  /** A subject (tag path); its sub-subjects match too. */
  tag?: string | undefined;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  /** `popular`: most read lately first; `added`: newest first. Default: relevance with `q`, else title. */
  sort?: 'title' | 'popular' | 'added' | undefined;
}

/** GET /books: one page of the catalogue or of search results. */
export function getBooks(client: ApiClient, query: BooksQuery, signal?: AbortSignal) {
  const { limit, offset, q, language, authorId, tag, yearFrom, yearTo, sort } = query;
  return client.get('/books', bookPageSchema, {
    query: { limit, offset, q, language, authorId, tag, yearFrom, yearTo, sort },
    signal,
  });
}

export function booksQueryOptions(client: ApiClient, query: BooksQuery) {
  return queryOptions({
    queryKey: ['books', query],
    queryFn: ({ signal }) => getBooks(client, query, signal),
    // Keep showing the current page while the next one loads.
    placeholderData: keepPreviousData,
  });
}

export function useBooks(query: BooksQuery, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...booksQueryOptions(useApiClient(), query), enabled });
}
