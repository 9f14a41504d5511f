// @vitest-environment happy-dom
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

import {
  codeChallengeOf,
  finishHostedSignIn,
  hostedSignOutUrl,
  startHostedSignIn,
} from '../../src/features/auth/utils/hosted-sign-in';
import { PENDING_SIGN_IN_KEY, isSignInCallback } from '../../src/features/auth/utils/sign-in-callback';

const config = { signInUrl: 'https://shelfwise-1.auth.eu-west-1.amazoncognito.com', webClientId: 'client-1' };

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('hosted sign-in (authorization code with PKCE)', () => {
  it('computes the S256 challenge: base64url of the verifier’s SHA-256, unpadded', async () => {
    const verifier = 'dBjftJeZ4CVP-mJ92K1y7ixw4gUC3KjEnKJjrPAkMJk';
    expect(await codeChallengeOf(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('sends the reader to /oauth2/authorize with a challenge, and exchanges the code with its verifier', async () => {
    // Prepare
    const storage = memoryStorage();

    // Act
    const authorize = new URL(await startHostedSignIn(config, '/shelf', storage));

    // Assess
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${config.signInUrl}/oauth2/authorize`);
    const params = authorize.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('client-1');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('redirect_uri')).toBe(window.location.origin);
    const pending = JSON.parse(storage.getItem(PENDING_SIGN_IN_KEY) ?? '{}') as { verifier: string; state: string };
    expect(params.get('code_challenge')).toBe(await codeChallengeOf(pending.verifier));

    // Prepare: Cognito sends the reader back.
    const callback = `?code=the-code&state=${pending.state}`;
    expect(isSignInCallback(callback, storage)).toBe(true);
    const fetch = vi.fn(async () => Response.json({ access_token: 'access', id_token: 'id', token_type: 'Bearer' }));

    // Act
    const tokens = await finishHostedSignIn(config, callback, storage, fetch as unknown as typeof globalThis.fetch);

    // Assess
    expect(tokens).toEqual({ accessToken: 'access', idToken: 'id', returnTo: '/shelf' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`${config.signInUrl}/oauth2/token`);
    const body = new URLSearchParams(String(init.body));
    expect(body.get('grant_type')).toBe('authorization_code');
    expect(body.get('code')).toBe('the-code');
    expect(body.get('code_verifier')).toBe(pending.verifier);
    expect(storage.getItem(PENDING_SIGN_IN_KEY)).toBeNull();
  });

  it('refuses a callback whose state is not the one it sent', async () => {
    // Prepare
    const storage = memoryStorage();
    await startHostedSignIn(config, '/', storage);

    // Act
    const finish = finishHostedSignIn(config, '?code=x&state=forged', storage, vi.fn());

    // Assess
    await expect(finish).rejects.toThrow(/does not match/);
  });

  it('ignores a ?code that no sign-in of this tab started', () => {
    expect(isSignInCallback('?code=x&state=y', memoryStorage())).toBe(false);
    expect(hostedSignOutUrl(config)).toContain('/logout?client_id=client-1&logout_uri=');
  });
});
