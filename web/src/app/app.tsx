import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';

import type { RuntimeConfig } from '../config/runtime-config';
import { AppProvider } from './provider';
import { createRouter } from './routes';

export function App({ config }: { config: RuntimeConfig }) {
  const [router] = useState(createRouter);
  return (
    <AppProvider config={config}>
      <RouterProvider router={router} />
    </AppProvider>
  );
}
