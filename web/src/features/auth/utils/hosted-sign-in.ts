/*
 * Cognito's hosted sign-in, authorization-code flow with PKCE (RFC 7636, S256), by hand with WebCrypto: a few dozen
 * lines instead of an OIDC library in the bundle. Loaded on demand (only when a reader signs in, or comes back with
 * a code). The verifier and state wait in sessionStorage (this tab only) between the redirect and the callback.
 */

import { PENDING_SIGN_IN_KEY } from './sign-in-callback';

export interface HostedSignInConfig {
  /** The hosted sign-in base URL (`https://<domain>.auth.<region>.amazoncognito.com`). */
  readonly signInUrl: string;
  readonly webClientId: string;
}

interface PendingSignIn {
  readonly verifier: string;
  readonly state: string;
  /** Where the reader was when they started (path and query). */
  readonly returnTo: string;
}

export interface HostedTokens {
  readonly accessToken: string;
  readonly idToken: string | undefined;
  readonly returnTo: string;
}

/** The callback and sign-out address: the site's origin (the app client's callback and logout URLs). */
export const redirectUri = () => window.location.origin;

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function randomString(byteCount: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

export async function codeChallengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The authorize URL to send the reader to, after storing the verifier and state for the callback. */
export async function startHostedSignIn(
  config: HostedSignInConfig,
  returnTo: string,
  storage: Pick<Storage, 'setItem'> = sessionStorage,
): Promise<string> {
  const pending: PendingSignIn = { verifier: randomString(32), state: randomString(16), returnTo };
  storage.setItem(PENDING_SIGN_IN_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.webClientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state: pending.state,
    code_challenge: await codeChallengeOf(pending.verifier),
    code_challenge_method: 'S256',
  });
  return `${config.signInUrl}/oauth2/authorize?${query.toString()}`;
}

/** Exchanges the callback's code (checking its state) for tokens at `/oauth2/token`. */
export async function finishHostedSignIn(
  config: HostedSignInConfig,
  search: string,
  storage: Pick<Storage, 'getItem' | 'removeItem'> = sessionStorage,
  fetchImpl: typeof fetch = fetch,
): Promise<HostedTokens> {
  const params = new URLSearchParams(search);
  const stored = storage.getItem(PENDING_SIGN_IN_KEY);
  storage.removeItem(PENDING_SIGN_IN_KEY);
  const pending = stored ? (JSON.parse(stored) as PendingSignIn) : undefined;
  if (!pending || params.get('state') !== pending.state) throw new Error('The sign-in answer does not match');
  const error = params.get('error');
  if (error) throw new Error(params.get('error_description') ?? error);
  const code = params.get('code');
  if (!code) throw new Error('The sign-in answer has no code');

  const response = await fetchImpl(`${config.signInUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.webClientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(typeof body.error === 'string' ? body.error : `The sign-in answered ${response.status}`);
  }
  return {
    accessToken: body.access_token,
    idToken: typeof body.id_token === 'string' ? body.id_token : undefined,
    returnTo: pending.returnTo,
  };
}

/** Cognito's logout address: ends the hosted session, then comes back to the site. */
export function hostedSignOutUrl(config: HostedSignInConfig): string {
  const query = new URLSearchParams({ client_id: config.webClientId, logout_uri: redirectUri() });
  return `${config.signInUrl}/logout?${query.toString()}`;
}
