/**
 * The HTTP API on one machine: turns an HTTP request into the API Gateway v2 (payload format 2.0) event the deployed
 * HTTP API would send, invokes the route's handler, and maps its result back as API Gateway does.
 *
 * Routes get what their deployed authorizer does, with the same issuer, audience and key set:
 * - `signed-in` and `librarian` (JWT authorizer): no valid bearer token (missing, forged, expired, wrong issuer or
 *   audience) → 401 `{"message":"Unauthorized"}` without invoking the handler; a valid one → its claims in
 *   `requestContext.authorizer.jwt.claims`, flattened to strings as API Gateway does (`cognito:groups` → `[a b]`);
 * - `reader` (the reader Lambda authorizer's decision, `authorizeReader`): no token → anonymous, an invalid one → 401,
 *   a valid one → `requestContext.authorizer.lambda` = `{ sub, "cognito:groups" }`.
 *
 * A body over the route's `maxBodyBytes` (lambdas/src/functions.ts) is a 413 before the handler runs, with the
 * message the handler's own check (`jsonBody`) gives; the cloud has only API Gateway's 10 MB and that check.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { defaultMaxBodyBytes } from '@shelfwise/lambdas/functions';
import { needsToken, type RouteAccess } from '@shelfwise/lambdas/identity/domain/access';
import { authorizeReader, type ReaderAuthorizerContext } from '@shelfwise/lambdas/identity/reader-authorization';
import type { Claims, TokenVerifier } from '@shelfwise/lambdas/identity/token-verifier';
import { payloadTooLargeMessage } from '@shelfwise/lambdas/shared/http';
import { invoke, type LocalFunction } from './lambda/functions';

interface Route {
  readonly method: string;
  readonly path: string;
  readonly routeKey: string;
  readonly access: RouteAccess;
  /** The route's body limit in bytes. */
  readonly maxBodyBytes: number;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
  readonly fn: LocalFunction;
}

/** `/books/{bookId}` → a pattern capturing one segment; `{proxy+}` captures the rest of the path. */
function compile(path: string): { pattern: RegExp; parameterNames: string[] } {
  const parameterNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        parameterNames.push(greedy[1]);
        return '(.+)';
      }
      const single = /^\{(\w+)\}$/.exec(segment);
      if (single?.[1]) {
        parameterNames.push(single[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), parameterNames };
}

export function routesOf(fns: readonly LocalFunction[]): Route[] {
  return fns.flatMap((fn) =>
    fn.spec.triggers.flatMap((trigger) =>
      trigger.kind === 'http'
        ? [
            {
              ...compile(trigger.path),
              method: trigger.method,
              path: trigger.path,
              routeKey: `${trigger.method} ${trigger.path}`,
              access: trigger.access,
              maxBodyBytes: trigger.maxBodyBytes ?? defaultMaxBodyBytes,
              fn,
            },
          ]
        : [],
    ),
  );
}

/** The body, or a PayloadTooLargeError as soon as it (or its announced length) passes the route's limit. */
function readBody(request: IncomingMessage, route: Route): Promise<Buffer> {
  const tooLarge = () => new PayloadTooLargeError(payloadTooLargeMessage(route.routeKey, route.maxBodyBytes));
  if (Number(request.headers['content-length'] ?? 0) > route.maxBodyBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > route.maxBodyBytes) {
        // Stop keeping the body; the rest is read and dropped while the 413 goes out.
        request.off('data', onData);
        request.resume();
        reject(tooLarge());
      }
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

class PayloadTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

const textTypes = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+(json|xml))/i;

function buildEvent(
  request: IncomingMessage,
  route: Route,
  path: string,
  match: RegExpExecArray,
  url: URL,
  body: Buffer,
  authorizer: Authorization | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const pathParameters = Object.fromEntries(
    route.parameterNames.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]),
  );
  const contentType = request.headers['content-type'] ?? '';
  const isBase64Encoded = body.length > 0 && !textTypes.test(contentType);
  const now = new Date();
  const cookies = request.headers.cookie?.split(';').map((cookie) => cookie.trim());
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: path,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.parameterNames.length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: request.headers.host ?? '127.0.0.1',
      domainPrefix: (request.headers.host ?? '127').split('.')[0] ?? '127',
      http: {
        method: route.method,
        path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(authorizer?.kind === 'jwt'
        ? { authorizer: { jwt: { claims: flattenClaims(authorizer.claims), scopes: null } } }
        : authorizer?.kind === 'lambda'
          ? { authorizer: { lambda: authorizer.context } }
          : {}),
    },
    ...(body.length > 0 ? { body: body.toString(isBase64Encoded ? 'base64' : 'utf8') } : {}),
    isBase64Encoded,
  };
}

interface StructuredResult {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  body?: string;
  isBase64Encoded?: boolean;
  cookies?: string[];
}

/** API Gateway's payload 2.0 rules: a result without statusCode is a 200 JSON body. */
function writeResult(response: ServerResponse, result: unknown): void {
  const structured =
    typeof result === 'object' && result !== null && 'statusCode' in result ? (result as StructuredResult) : undefined;
  if (!structured) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(typeof result === 'string' ? result : JSON.stringify(result ?? null));
    return;
  }
  for (const [name, value] of Object.entries(structured.headers ?? {})) response.setHeader(name, String(value));
  if (structured.cookies?.length) response.setHeader('set-cookie', structured.cookies);
  response.statusCode = structured.statusCode ?? 200;
  response.end(
    structured.body === undefined ? '' : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8'),
  );
}

function writeJson(response: ServerResponse, statusCode: number, body: unknown): void {
  response.writeHead(statusCode, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** API Gateway passes every claim as a string: arrays as `[a b]`, objects as JSON. */
function flattenClaims(claims: Claims): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );
}

type Authorization =
  | { readonly kind: 'jwt'; readonly claims: Claims }
  | { readonly kind: 'lambda'; readonly context: ReaderAuthorizerContext };

/** The route's authorizer: what it proved, `undefined` for a public route, or 'refused' where API Gateway says 401. */
async function authorize(
  request: IncomingMessage,
  access: RouteAccess,
  verifier: TokenVerifier,
): Promise<Authorization | 'refused' | undefined> {
  const header = request.headers.authorization;
  if (access === 'reader') {
    return authorizeReader(header, verifier).then(
      (context) => ({ kind: 'lambda', context }),
      () => 'refused',
    );
  }
  if (!needsToken(access)) return undefined;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (!token) return 'refused';
  return verifier.verify(token).then(
    (claims) => ({ kind: 'jwt', claims }),
    () => 'refused',
  );
}

export interface ApiGatewayOptions {
  readonly functions: readonly LocalFunction[];
  readonly region: string;
  /** Verifies bearer tokens with the issuer, audience and JWKS the handlers use (the local token issuer's). */
  readonly authorizer: TokenVerifier;
  readonly onError: (error: unknown, routeKey: string) => void;
}

/** Returns a request listener for the API; `path` is the request path below the API's base path. */
export function createApiGateway(options: ApiGatewayOptions) {
  const routes = routesOf(options.functions);
  return async (request: IncomingMessage, response: ServerResponse, path: string, url: URL): Promise<void> => {
    const method = request.method ?? 'GET';
    const candidates = routes
      .map((route) => ({ route, match: route.pattern.exec(path) }))
      .filter((candidate): candidate is { route: Route; match: RegExpExecArray } => candidate.match !== null);
    const found = candidates.find((candidate) => candidate.route.method === method);
    if (!found) {
      writeJson(response, 404, { message: 'Not Found' });
      return;
    }
    try {
      const authorization = await authorize(request, found.route.access, options.authorizer);
      if (authorization === 'refused') {
        request.resume();
        writeJson(response, 401, { message: 'Unauthorized' });
        return;
      }
      const body = await readBody(request, found.route);
      const event = buildEvent(request, found.route, path, found.match, url, body, authorization);
      writeResult(response, await invoke(found.route.fn, event, options.region));
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        request.resume();
        response.setHeader('connection', 'close');
        writeJson(response, 413, { message: error.message });
        return;
      }
      // A handler that throws is a 500 "Internal Server Error" at API Gateway, with no details.
      options.onError(error, found.route.routeKey);
      writeJson(response, 500, { message: 'Internal Server Error' });
    }
  };
}
