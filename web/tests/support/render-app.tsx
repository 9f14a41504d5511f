import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { StrictMode, type ReactElement } from 'react';
import { RouterProvider, createMemoryRouter, useLocation } from 'react-router';

import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';

import { createApiClient } from '../../src/lib/api-client';
import { ApiClientContext } from '../../src/lib/api-client-context';
import { createEventsClient } from '../../src/lib/events-client';
import { EventsClientContext } from '../../src/lib/events-context';

export const TEST_READER_ID = 'anon-0b9f6a36-3f5e-4c1d-9a57-0c6f7d1e2a3b';

function ShowPath() {
  return <p>At {useLocation().pathname}</p>;
}

export type ApiRoute = (url: URL) => unknown;

/**
 * A fake API at the fetch boundary: GETs are answered by `routes` (by path; a missing route is a 404), and every
 * `POST /api/events` batch is recorded in `events` and accepted.
 */
export function fakeApi(routes: Record<string, ApiRoute>) {
  const events: ReaderEvent[] = [];
  const requests: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://shelfwise.test');
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (init?.method === 'POST' && url.pathname === '/api/events') {
      const batch = (JSON.parse(String(init.body)) as { events: ReaderEvent[] }).events;
      events.push(...batch);
      return Response.json({ accepted: batch.length, duplicates: 0, rejected: [] });
    }
    const route = routes[url.pathname];
    return route ? Response.json(route(url)) : Response.json({ message: 'Not found' }, { status: 404 });
  };
  return { fetch: fetch as typeof globalThis.fetch, events, requests };
}

/**
 * Renders `ui` at `path` the way the app does (strict mode, API and events clients, query cache, router), with a
 * fake `fetch`. Events are sent 5 ms after they are tracked. Other routes render their path, to see navigation.
 */
export function renderWithApp(
  ui: ReactElement,
  { fetch, path = '/', routePath = path }: { fetch: typeof globalThis.fetch; path?: string; routePath?: string },
) {
  const api = createApiClient({ baseUrl: '/api', fetch });
  const events = createEventsClient({ api, readerId: TEST_READER_ID, flushIntervalMs: 5, onDrop: () => undefined });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });
  const router = createMemoryRouter(
    [
      { path: routePath, element: ui },
      { path: '*', element: <ShowPath /> },
    ],
    { initialEntries: [path] },
  );
  const view = render(
    <StrictMode>
      <ApiClientContext value={api}>
        <EventsClientContext value={events}>
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </EventsClientContext>
      </ApiClientContext>
    </StrictMode>,
  );
  return { ...view, router, events, queryClient };
}
