import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../src/shared/errors';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { defaultMaxBodyBytes } from '../../src/functions';
import { errorResponse, jsonBody, maxBodyBytesOf, parseOrThrow, PayloadTooLargeError } from '../../src/shared/http';

describe('errorResponse', () => {
  it('maps validation errors to 400 with their message and issues', () => {
    const response = errorResponse(new ValidationError('Invalid query', ['limit: too big']));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({ message: 'Invalid query', issues: ['limit: too big'] });
  });

  it('maps not-found errors to 404', () => {
    expect(errorResponse(new NotFoundError('No book')).statusCode).toBe(404);
  });

  it('answers anything else with a 500 that reveals nothing', () => {
    const response = errorResponse(new Error('password=hunter2 at db.internal:5432'));
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('{"message":"Internal server error"}');
  });
});

describe('parseOrThrow', () => {
  const schema = z.object({ limit: z.coerce.number().int().max(10) });

  it('returns the parsed value', () => {
    expect(parseOrThrow(schema, { limit: '3' }, 'query')).toEqual({ limit: 3 });
  });

  it('raises a ValidationError that names the field', () => {
    expect(() => parseOrThrow(schema, { limit: '30' }, 'query')).toThrow(/^Invalid query: limit: /);
  });
});

/** The parts of an API Gateway event that `jsonBody` reads. */
function post(routeKey: string, body: string, isBase64Encoded = false): APIGatewayProxyEventV2 {
  return { routeKey, body, isBase64Encoded } as Partial<APIGatewayProxyEventV2> as APIGatewayProxyEventV2;
}

describe('maxBodyBytesOf', () => {
  it('gives each route its FunctionSpec limit, and the default to the others', () => {
    expect(maxBodyBytesOf('POST /chat')).toBe(16 * 1024);
    expect(maxBodyBytesOf('POST /events')).toBe(256 * 1024);
    expect(maxBodyBytesOf('POST /readers/{readerId}/merge')).toBe(defaultMaxBodyBytes);
    expect(maxBodyBytesOf('POST /nowhere')).toBe(defaultMaxBodyBytes);
  });
});

describe('jsonBody', () => {
  it('parses a JSON body within the limit, plain or base64-encoded', () => {
    // Prepare
    const text = JSON.stringify({ message: 'sách thiếu nhi' });

    // Act
    const plain = jsonBody(post('POST /chat', text), '{}');
    const encoded = jsonBody(post('POST /chat', Buffer.from(text).toString('base64'), true), '{}');

    // Assess
    expect(plain).toEqual({ message: 'sách thiếu nhi' });
    expect(encoded).toEqual(plain);
  });

  it('refuses a body over the route limit, counted in bytes, as a 413 that names the limit', () => {
    // Prepare: 16 KiB of characters of 2 bytes each is 32 KiB.
    const atLimit = JSON.stringify({ m: 'x'.repeat(16 * 1024 - 8) });
    const overInBytes = JSON.stringify({ m: 'đ'.repeat(16 * 1024 - 8) });

    // Act
    const accepted = () => jsonBody(post('POST /chat', atLimit), '{}');
    const refused = () => jsonBody(post('POST /chat', overInBytes), '{}');

    // Assess
    expect(accepted).not.toThrow();
    expect(refused).toThrow(PayloadTooLargeError);
    let response;
    try {
      refused();
    } catch (error) {
      response = errorResponse(error);
    }
    expect(response?.statusCode).toBe(413);
    expect(JSON.parse(response?.body ?? '')).toEqual({
      message: 'Request body too large: POST /chat accepts at most 16384 bytes (16 KiB)',
    });
  });

  it('raises a ValidationError naming the expected shape when the body is not JSON', () => {
    expect(() => jsonBody(post('POST /events', 'events=1'), '{ "events": [...] }')).toThrow(
      /^The body must be JSON: \{ "events": \[\.\.\.\] \}$/,
    );
    expect(() => jsonBody(post('POST /events', ''), '{}')).toThrow(ValidationError);
  });
});
