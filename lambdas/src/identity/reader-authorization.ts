/**
 * The reader authorizer's decision, shared by the deployed Lambda authorizer and the local gateway: routes where
 * readers may be anonymous accept a request without a token, and a request with a valid one; a request with an
 * invalid token (forged, expired, another issuer or client, not a bearer token) is refused with 401.
 *
 * The context it returns reaches the handler as `requestContext.authorizer.lambda`: `{}` for an anonymous reader,
 * `{ sub, "cognito:groups" }` (groups as API Gateway flattens them, `[a b]`) for a signed-in one.
 */
import { UnauthenticatedError } from '../shared/errors';
import { groupsOf } from './domain/access';
import type { TokenVerifier } from './token-verifier';

export type ReaderAuthorizerContext = Readonly<Record<string, string>>;

export async function authorizeReader(
  authorization: string | undefined,
  verifier: TokenVerifier,
): Promise<ReaderAuthorizerContext> {
  if (authorization === undefined || authorization === '') return {};
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (!token) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  const claims = await verifier.verify(token);
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new UnauthenticatedError('The token names no subject');
  return { sub: claims.sub, 'cognito:groups': `[${groupsOf(claims['cognito:groups']).join(' ')}]` };
}
