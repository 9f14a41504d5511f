/**
 * HTTP edge helpers for API Gateway v2 (HTTP API, payload format 2.0) handlers: JSON responses, query validation,
 * and the one place where domain errors become status codes. A 500 never leaks internals.
 */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from './errors';
import { logger } from './observability';

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
  logger.error('Unhandled error', { error: error as Error });
  return json(500, { message: 'Internal server error' });
}
