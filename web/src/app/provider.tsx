import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';

import type { RuntimeConfig } from '../config/runtime-config';
import { RuntimeConfigContext } from '../config/runtime-config-context';
import { shelfRecord } from '../features/shelf/utils/shelf-record';
import { ApiError, createApiClient } from '../lib/api-client';
import { ApiClientContext } from '../lib/api-client-context';
import { createEventsClient, flushWhenPageHides } from '../lib/events-client';
import { EventsClientContext } from '../lib/events-context';
import { LocaleProvider } from '../lib/i18n';
import { currentReaderId } from '../lib/reader-id';
import { sessionStore } from '../lib/session';
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
 * Everything the pages need from the outside world: the runtime config, the one API client (with the signed-in
 * reader's token), the events client of the current reader (the token's `sub` once signed in, else this browser's
 * anonymous id: a new client when that changes) and the query cache; and from the reader: their language and theme.
 */
export function AppProvider({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  const [apiClient] = useState(() =>
    createApiClient({ baseUrl: config.apiUrl, accessToken: () => sessionStore.get()?.accessToken }),
  );
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
  const signedIn = session !== null;
  const readerId = session?.sub ?? currentReaderId();
  const eventsClient = useMemo(
    () =>
      createEventsClient({
        api: apiClient,
        readerId,
        // An anonymous reader's events never carry a token, even when sent after a sign-in.
        accessToken: signedIn ? () => sessionStore.get()?.accessToken ?? null : () => null,
        sendBeacon: typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : undefined,
        onTrack: shelfRecord.record,
      }),
    [apiClient, readerId, signedIn],
  );
  const [queryClient] = useState(createQueryClient);
  useEffect(() => flushWhenPageHides(eventsClient), [eventsClient]);
  // A reader's client that is replaced (sign-in, sign-out) still sends what it holds.
  useEffect(() => () => void eventsClient.flush(), [eventsClient]);
  return (
    <RuntimeConfigContext value={config}>
      <LocaleProvider>
        <ThemeProvider>
          <ApiClientContext value={apiClient}>
            <EventsClientContext value={eventsClient}>
              <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
            </EventsClientContext>
          </ApiClientContext>
        </ThemeProvider>
      </LocaleProvider>
    </RuntimeConfigContext>
  );
}
