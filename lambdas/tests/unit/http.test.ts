import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../src/shared/errors';
import { errorResponse, parseOrThrow } from '../../src/shared/http';

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
