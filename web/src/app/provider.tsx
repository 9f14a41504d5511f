import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

import type { RuntimeConfig } from '../config/runtime-config';
import { ApiError, createApiClient } from '../lib/api-client';
import { ApiClientContext } from '../lib/api-client-context';

/** Retries network and server failures twice, never client errors (a 404 stays a 404). */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 60_000, retry: shouldRetry, refetchOnWindowFocus: false },
    },
  });
}

/** Everything the pages need from the outside world: the one API client and the query cache. */
export function AppProvider({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  const [apiClient] = useState(() => createApiClient({ baseUrl: config.apiUrl }));
  const [queryClient] = useState(createQueryClient);
  return (
    <ApiClientContext value={apiClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiClientContext>
  );
}
