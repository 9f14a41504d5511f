/**
 * Verifies bearer tokens as API Gateway's JWT authorizer does: signature by a key of the issuer's JWKS (RS256),
 * `iss`, `exp`/`nbf`, and the audience in `aud` (ID tokens) or `client_id` (Cognito access tokens). The crypto is
 * jose's; the key set is fetched once and cached (refetched when a token names an unknown key).
 *
 * Used by handlers of `reader` routes (where a token is optional, so no gateway authorizer runs) and by the local API
 * gateway for `signed-in` and `librarian` routes.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { UnauthenticatedError } from '../shared/errors';
import type { IdentitySettings } from './config';

export type Claims = Readonly<JWTPayload & Record<string, unknown>>;

export interface TokenVerifier {
  /** The verified claims; UnauthenticatedError (with a reason that is safe to show) for any invalid token. */
  verify(token: string): Promise<Claims>;
}

export function jwtVerifier(settings: IdentitySettings): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), { cacheMaxAge: 60 * 60 * 1000 });
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, { issuer: settings.issuer, algorithms: ['RS256'] }));
      } catch (error) {
        throw new UnauthenticatedError(reasonOf(error), { cause: error });
      }
      const audiences = [payload.aud, payload.client_id].flat().filter((value) => typeof value === 'string');
      if (!audiences.includes(settings.audience)) {
        throw new UnauthenticatedError('The token was issued for another client');
      }
      return payload;
    },
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The token is not signed by the issuer';
  }
  // The key set could not be fetched in time: the service's fault, not the token's (a 500).
  if (error instanceof errors.JWKSTimeout) throw error;
  if (error instanceof errors.JOSEError) return 'The token is not valid';
  throw error;
}
