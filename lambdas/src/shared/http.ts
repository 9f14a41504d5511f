/**
 * HTTP edge helpers for API Gateway v2 (HTTP API, payload format 2.0) handlers: JSON responses, JSON bodies within
 * the route's size limit, query validation, and the one place where domain errors become status codes. A 500 never
 * leaks internals.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { defaultMaxBodyBytes, functions, type FunctionSpec } from '../functions';
import { ForbiddenError, NotFoundError, ShelfwiseError, UnauthenticatedError, ValidationError } from './errors';
import { logger } from './observability';

/** The request body is larger than the route accepts: 413. The message is safe to show. */
export class PayloadTooLargeError extends ShelfwiseError {}

/** Body limits by route key (`POST /chat`), from the routes' `maxBodyBytes` in functions.ts. */
const specs: readonly FunctionSpec[] = functions;
const bodyLimits = new Map<string, number>(
  specs.flatMap((spec) =>
    spec.triggers.flatMap((trigger) =>
      trigger.kind === 'http'
        ? [[`${trigger.method} ${trigger.path}`, trigger.maxBodyBytes ?? defaultMaxBodyBytes] as const]
        : [],
    ),
  ),
);

/** The largest body `routeKey` accepts, in bytes; `defaultMaxBodyBytes` for a route functions.ts does not list. */
export function maxBodyBytesOf(routeKey: string): number {
  return bodyLimits.get(routeKey) ?? defaultMaxBodyBytes;
}

/** The 413 message, the same from a handler and from the local gateway. */
export function payloadTooLargeMessage(routeKey: string, limit: number): string {
  return `Request body too large: ${routeKey} accepts at most ${limit} bytes (${Math.round(limit / 1024)} KiB)`;
}

/**
 * The request's body parsed as JSON, once its decoded size is within the route's limit (`maxBodyBytesOf`).
 * Raises `PayloadTooLargeError` (413), or `ValidationError` (400) naming `example` when the body is not JSON.
 */
export function jsonBody(event: APIGatewayProxyEventV2, example: string): unknown {
  const raw = event.body ?? '';
  const encoding = event.isBase64Encoded ? 'base64' : 'utf8';
  const limit = maxBodyBytesOf(event.routeKey);
  if (Buffer.byteLength(raw, encoding) > limit) {
    throw new PayloadTooLargeError(payloadTooLargeMessage(event.routeKey, limit));
  }
  try {
    return JSON.parse(event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw) as unknown;
  } catch (error) {
    throw new ValidationError(`The body must be JSON: ${example}`, [], { cause: error });
  }
}

type StructuredResult = Exclude<APIGatewayProxyResultV2, string>;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): StructuredResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** Parses `input` with `schema`, or raises a ValidationError whose message lists every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new ValidationError(`Invalid ${what}: ${issues.join('; ')}`, issues);
}

export function errorResponse(error: unknown): StructuredResult {
  if (error instanceof ValidationError) {
    return json(400, { message: error.message, issues: error.issues });
  }
  if (error instanceof UnauthenticatedError) {
    return json(401, { message: error.message }, { 'www-authenticate': 'Bearer' });
  }
  if (error instanceof ForbiddenError) {
    return json(403, { message: error.message });
  }
  if (error instanceof NotFoundError) {
    return json(404, { message: error.message });
  }
  if (error instanceof PayloadTooLargeError) {
    return json(413, { message: error.message });
  }
  logger.error('Unhandled error', { error: error as Error });
  return json(500, { message: 'Internal server error' });
}
