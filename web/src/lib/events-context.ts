import { createContext, use } from 'react';

import type { EventsClient } from './events-client';

/** Holds the app's one EventsClient, created in `app/provider.tsx` for this browser's reader. */
export const EventsClientContext = createContext<EventsClient | null>(null);

export function useEvents(): EventsClient {
  const client = use(EventsClientContext);
  if (!client) throw new Error('useEvents must be used inside <AppProvider>');
  return client;
}
