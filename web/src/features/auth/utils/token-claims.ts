import type { Session } from '../../../lib/session';

/** A JWT's payload, decoded (not verified: the API verifies every token; the app only reads who it is for). */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('The token is not a JWT');
  const base64 = payload
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof value !== 'object' || value === null) throw new Error('The token has no claims');
  return value as Record<string, unknown>;
}

/**
 * The session of a Cognito-shaped access token (`sub`, `username`, `cognito:groups`, `exp`); `displayName` (the ID
 * token's e-mail, or the local account's name) is shown instead of the username when given.
 */
export function sessionFromAccessToken(accessToken: string, displayName?: string, now = Date.now()): Session {
  const claims = decodeJwtPayload(accessToken);
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') throw new Error('The token has no subject');
  const groups = Array.isArray(claims['cognito:groups'])
    ? claims['cognito:groups'].filter((group): group is string => typeof group === 'string')
    : [];
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : now + 3_600_000;
  const username = displayName ?? (typeof claims.username === 'string' ? claims.username : sub);
  return { accessToken, sub, username, groups, expiresAt };
}
