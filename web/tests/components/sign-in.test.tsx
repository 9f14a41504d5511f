// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Layout } from '../../src/components/layout';
import type { RuntimeConfig } from '../../src/config/runtime-config';
import { RuntimeConfigContext } from '../../src/config/runtime-config-context';
import { AccountMenu } from '../../src/features/auth/components/account-menu';
import { SignIn } from '../../src/features/auth/components/sign-in';
import { sessionStore } from '../../src/lib/session';
import { LIBRARIAN_SUB, READER_SUB, librarianToken, readerToken, recordingFetch } from '../support/fake-token';
import { TEST_READER_ID, renderWithApp } from '../support/render-app';

const localConfig: RuntimeConfig = { apiUrl: '/api', localTokenUrl: '/local-auth/token' };

function withConfig(ui: ReactElement, config: RuntimeConfig = localConfig) {
  return <RuntimeConfigContext value={config}>{ui}</RuntimeConfigContext>;
}

function localIssuer() {
  return recordingFetch((key) => {
    if (key === 'POST /local-auth/token') {
      return Response.json({
        access_token: readerToken(),
        token_type: 'Bearer',
        expires_in: 3600,
        sub: READER_SUB,
        username: 'reader@shelfwise.local',
        groups: [],
      });
    }
    if (key === `POST /api/readers/${READER_SUB}/merge`) return Response.json({ mergedEvents: 3, listMoved: true });
    return undefined;
  });
}

describe('SignIn', () => {
  beforeEach(() => sessionStore.set(null));
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    sessionStore.set(null);
  });

  it('signs in with a local account, then merges the anonymous history into it with the token', async () => {
    // Prepare
    const api = localIssuer();
    vi.stubGlobal('fetch', api.fetch); // the token issuer is called at the site's root, with the page's fetch
    const { router } = renderWithApp(withConfig(<SignIn />), { fetch: api.fetch, path: '/sign-in' });
    const user = userEvent.setup();

    // Act
    const account = screen.getByLabelText('Account');
    await user.clear(account);
    await user.type(account, 'reader');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    // Assess: back home, signed in as the account's subject.
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(sessionStore.get()).toMatchObject({ sub: READER_SUB, username: 'reader@shelfwise.local', groups: [] });
    expect(api.requests.find((request) => request.path === '/local-auth/token')?.body).toEqual({ username: 'reader' });
    const merge = api.requests.find((request) => request.path.endsWith('/merge'));
    expect(merge).toMatchObject({
      method: 'POST',
      path: `/api/readers/${READER_SUB}/merge`,
      body: { anonymousId: TEST_READER_ID },
    });
    expect(merge?.authorization).toMatch(/^Bearer ey/);
  });

  it('shows the issuer’s message for an unknown account', async () => {
    // Prepare
    const api = recordingFetch((key) =>
      key === 'POST /local-auth/token'
        ? Response.json({ message: 'No local account "nobody"' }, { status: 404 })
        : undefined,
    );
    vi.stubGlobal('fetch', api.fetch);
    renderWithApp(withConfig(<SignIn />), { fetch: api.fetch, path: '/sign-in' });
    const user = userEvent.setup();

    // Act
    const account = screen.getByLabelText('Account');
    await user.clear(account);
    await user.type(account, 'nobody');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    // Assess
    expect((await screen.findByRole('alert')).textContent).toContain('No local account "nobody"');
    expect(sessionStore.get()).toBeNull();
  });

  it('offers the hosted sign-in in AWS', () => {
    // Act
    renderWithApp(
      withConfig(<SignIn />, {
        apiUrl: 'https://api.example.com',
        signInUrl: 'https://shelfwise-1.auth.eu-west-1.amazoncognito.com',
        webClientId: 'client-1',
      }),
      { fetch: recordingFetch(() => undefined).fetch, path: '/sign-in' },
    );

    // Assess
    expect(screen.getByRole('button', { name: 'Continue to the library’s sign-in page' })).toBeTruthy();
    expect(screen.queryByLabelText('Account')).toBeNull();
  });
});

describe('AccountMenu in the layout', () => {
  beforeEach(() => sessionStore.set(null));
  afterEach(() => {
    cleanup();
    sessionStore.set(null);
  });

  function renderHeader() {
    return renderWithApp(
      withConfig(
        <Layout tools={<AccountMenu />}>
          <p>Page</p>
        </Layout>,
      ),
      { fetch: recordingFetch(() => undefined).fetch },
    );
  }

  it('offers sign-in and My shelf to an anonymous reader, and no librarian link', () => {
    // Act
    renderHeader();

    // Assess
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/sign-in');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'My shelf' })).toBeTruthy();
    expect(within(nav).queryByRole('link', { name: 'Librarian' })).toBeNull();
  });

  it('shows the librarian link to a librarian only, and signs out back to anonymous', async () => {
    // Prepare
    sessionStore.set({
      accessToken: librarianToken(),
      sub: LIBRARIAN_SUB,
      username: 'librarian@shelfwise.local',
      groups: ['librarians'],
      expiresAt: Date.now() + 60_000,
    });
    renderHeader();
    const user = userEvent.setup();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Librarian' }).getAttribute('href')).toBe('/librarian');

    // Act
    await user.click(screen.getByRole('button', { name: 'Sign out (signed in as librarian@shelfwise.local)' }));

    // Assess
    await screen.findByRole('link', { name: 'Sign in' });
    expect(sessionStore.get()).toBeNull();
    expect(within(nav).queryByRole('link', { name: 'Librarian' })).toBeNull();
  });

  it('hides the librarian link from a signed-in reader', () => {
    // Prepare
    sessionStore.set({
      accessToken: readerToken(),
      sub: READER_SUB,
      username: 'reader@shelfwise.local',
      groups: [],
      expiresAt: Date.now() + 60_000,
    });

    // Act
    renderHeader();

    // Assess
    expect(screen.getByRole('button', { name: /^Sign out/ })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Librarian' })).toBeNull();
  });
});
