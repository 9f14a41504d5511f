import { createContext, use } from 'react';

import type { ApiClient } from './api-client';

/** Holds the app's one ApiClient, created from the runtime config in `app/provider.tsx`. */
export const ApiClientContext = createContext<ApiClient | null>(null);

export function useApiClient(): ApiClient {
  const client = use(ApiClientContext);
  if (!client) throw new Error('useApiClient must be used inside <AppProvider>');
  return client;
}
