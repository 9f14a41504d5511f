import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';

import type { RuntimeConfig } from '../config/runtime-config';
import { ApiError, createApiClient } from '../lib/api-client';
import { ApiClientContext } from '../lib/api-client-context';
import { createEventsClient, flushWhenPageHides } from '../lib/events-client';
import { EventsClientContext } from '../lib/events-context';
import { LocaleProvider } from '../lib/i18n';
import { currentReaderId } from '../lib/reader-id';
import { ThemeProvider } from '../lib/theme';

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

/**
 * Everything the pages need from the outside world: the one API client, the events client and the query cache; and
 * from the reader: their language and theme.
 */
export function AppProvider({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  const [apiClient] = useState(() => createApiClient({ baseUrl: config.apiUrl }));
  const [eventsClient] = useState(() =>
    createEventsClient({
      api: apiClient,
      readerId: currentReaderId(),
      sendBeacon: typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined,
    }),
  );
  const [queryClient] = useState(createQueryClient);
  useEffect(() => flushWhenPageHides(eventsClient), [eventsClient]);
  return (
    <LocaleProvider>
      <ThemeProvider>
        <ApiClientContext value={apiClient}>
          <EventsClientContext value={eventsClient}>
            <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
          </EventsClientContext>
        </ApiClientContext>
      </ThemeProvider>
    </LocaleProvider>
  );
}
