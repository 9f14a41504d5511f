import { createContext, use } from 'react';

import type { RuntimeConfig } from './runtime-config';

/** The validated `/config.json`, provided by `app/provider.tsx` (sign-in reads its settings from it). */
export const RuntimeConfigContext = createContext<RuntimeConfig | null>(null);

export function useRuntimeConfig(): RuntimeConfig {
  const config = use(RuntimeConfigContext);
  if (!config) throw new Error('useRuntimeConfig must be used inside <AppProvider>');
  return config;
}
