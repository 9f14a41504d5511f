/**
 * A local stand-in for the Cognito user pool's token side, on loopback: an OIDC discovery document and a JWKS at the
 * paths Cognito serves them (`/.well-known/openid-configuration`, `/.well-known/jwks.json`), and tokens with the
 * claims Cognito puts in an access token (`iss`, `sub`, `client_id`, `token_use`, `scope`, `username`,
 * `cognito:groups`, `iat`, `exp`, `jti`). The RS256 key pair is made at every start and lives only in memory, so
 * nothing secret is ever written or committed, and a token from a previous run no longer verifies.
 *
 * The gateway and the handlers verify these tokens with the very settings (issuer, audience, JWKS) they use in AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { closeServer, listenOnLoopback } from '../emulators/listen';

/** The local app client id: the audience tokens are issued for (Cognito's app client id in AWS). */
export const localAudience = 'shelfwise-local-web';

export interface LocalAccount {
  readonly username: string;
  readonly sub: string;
  readonly groups: readonly string[];
}

/** The accounts `npm start` prints; fixed subs, so their reader data survives restarts like the rest of .shelfwise/. */
export const localAccounts = {
  reader: { username: 'reader@shelfwise.local', sub: '6f1c3a27-d4e4-4f5a-9b8c-0d1e2f3a4b5c', groups: [] },
  librarian: {
    username: 'librarian@shelfwise.local',
    sub: 'e2a4c6b8-1d3f-4a5b-8c7d-9e0f1a2b3c4d',
    groups: ['librarians'],
  },
} as const satisfies Record<string, LocalAccount>;

export interface TokenRequest {
  readonly sub: string;
  readonly username?: string;
  readonly groups?: readonly string[];
  /** @default 3600 (Cognito's default access token validity); negative for an already expired token (tests) */
  readonly expiresInSeconds?: number;
  /** @default localAudience */
  readonly clientId?: string;
}

export interface TokenIssuer {
  /** The `iss` of every token, e.g. `http://127.0.0.1:4570`. */
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  /** A signed access token. */
  issue(request: TokenRequest): Promise<string>;
  stop(): Promise<void>;
}

export async function startTokenIssuer(options: { readonly port: number }): Promise<TokenIssuer> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks: { keys: JWK[] } = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };

  let issuer = '';
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && path === '/.well-known/jwks.json') return send(jwks);
    if (request.method === 'GET' && path === '/.well-known/openid-configuration') {
      return send({
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['none'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"message":"Not Found"}');
  });
  const port = await listenOnLoopback(server, options.port, 'the local token issuer');
  issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    audience: localAudience,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    issue: (request) => sign(privateKey, kid, issuer, request),
    stop: () => closeServer(server),
  };
}

/** Signs Cognito-shaped access-token claims with `key` (the issuer's own, or a test's forged one). */
export async function sign(key: CryptoKey, kid: string, issuer: string, request: TokenRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + (request.expiresInSeconds ?? 3600);
  const groups = request.groups ?? [];
  return new SignJWT({
    client_id: request.clientId ?? localAudience,
    token_use: 'access',
    scope: 'openid email profile',
    username: request.username ?? request.sub,
    ...(groups.length > 0 ? { 'cognito:groups': [...groups] } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(request.sub)
    .setIssuedAt(Math.min(now, expiresAt - 60))
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(key);
}
