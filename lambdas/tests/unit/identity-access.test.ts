import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { callerOf } from '../../src/identity/caller';
import { authorizeReader } from '../../src/identity/reader-authorization';
import {
  anonymous,
  assertLibrarian,
  assertMayActAs,
  assertMayMerge,
  callerFromClaims,
  groupsOf,
  isAnonymousReaderId,
  needsToken,
  type Caller,
} from '../../src/identity/domain/access';
import type { TokenVerifier } from '../../src/identity/token-verifier';
import { ForbiddenError, UnauthenticatedError } from '../../src/shared/errors';
import { errorResponse } from '../../src/shared/http';

const anonA = 'anon-3f2b8c1e-9d4a-4b7e-8c21-5a6f0e9d1b2c';
const anonB = 'anon-0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';
const subA = '5b1f7e2a-0c9d-4e8f-a1b2-c3d4e5f60718';
const subB = 'c0ffee00-1234-4abc-8def-0123456789ab';
const readerA: Caller = { kind: 'signed-in', sub: subA, groups: [] };
const librarian: Caller = { kind: 'signed-in', sub: subB, groups: ['librarians'] };

describe('isAnonymousReaderId', () => {
  it('accepts anon- and a lower-case random (v4) uuid, as the web app makes', () => {
    expect(isAnonymousReaderId(anonA)).toBe(true);
  });

  it('refuses guessable, upper-case, non-v4 and account ids', () => {
    const ids = [
      'anon-1',
      'reader-9',
      subA,
      anonA.toUpperCase(),
      'anon-3f2b8c1e-9d4a-1b7e-8c21-5a6f0e9d1b2c',
      `${anonA}x`,
    ];
    expect(ids.filter(isAnonymousReaderId)).toEqual([]);
  });
});

describe('assertMayActAs', () => {
  it('lets an anonymous caller use any anonymous id (the id is the capability)', () => {
    expect(() => assertMayActAs(anonymous, anonA)).not.toThrow();
  });

  it("refuses an anonymous caller an account's id or a guessable id, with 403", () => {
    expect(() => assertMayActAs(anonymous, subA)).toThrow(ForbiddenError);
    expect(() => assertMayActAs(anonymous, 'reader-1')).toThrow(/anon-<random uuid v4>/);
  });

  it('lets a signed-in reader use their own sub only', () => {
    expect(() => assertMayActAs(readerA, subA)).not.toThrow();
    expect(() => assertMayActAs(readerA, subB)).toThrow(/another reader's/);
  });

  it('refuses a signed-in reader an anonymous id (they merge it instead)', () => {
    expect(() => assertMayActAs(readerA, anonA)).toThrow(/merge it into the account/);
  });
});

describe('assertLibrarian', () => {
  it('requires the librarians group', () => {
    expect(() => assertLibrarian(librarian)).not.toThrow();
    expect(() => assertLibrarian(readerA)).toThrow(ForbiddenError);
  });

  it('answers an anonymous caller with 401, not 403', () => {
    expect(() => assertLibrarian(anonymous)).toThrow(UnauthenticatedError);
  });
});

describe('assertMayMerge', () => {
  it('lets a signed-in reader merge an anonymous id into their own account', () => {
    expect(() => assertMayMerge(readerA, subA, anonA)).not.toThrow();
  });

  it('refuses merging into another account, merging an account, and anonymous callers', () => {
    expect(() => assertMayMerge(readerA, subB, anonA)).toThrow(ForbiddenError);
    expect(() => assertMayMerge(readerA, subA, subB)).toThrow(ForbiddenError);
    expect(() => assertMayMerge(anonymous, subA, anonB)).toThrow(UnauthenticatedError);
  });
});

describe('callerFromClaims', () => {
  it("reads sub and the groups, from Cognito's array or API Gateway's flattened string", () => {
    expect(callerFromClaims({ sub: subA, 'cognito:groups': ['librarians'] })).toEqual({
      kind: 'signed-in',
      sub: subA,
      groups: ['librarians'],
    });
    expect(groupsOf('[librarians readers]')).toEqual(['librarians', 'readers']);
    expect(groupsOf(undefined)).toEqual([]);
  });

  it('refuses claims without a subject', () => {
    expect(() => callerFromClaims({ 'cognito:groups': ['librarians'] })).toThrow(UnauthenticatedError);
  });
});

describe('needsToken', () => {
  it('puts the JWT authorizer on signed-in and librarian routes only', () => {
    expect(['public', 'reader', 'signed-in', 'librarian'].map((a) => needsToken(a as never))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});

describe('callerOf', () => {
  const event = (authorizer?: Record<string, unknown>) =>
    ({
      headers: { authorization: 'Bearer unverified' },
      requestContext: authorizer ? { authorizer } : {},
    }) as unknown as APIGatewayProxyEventV2;

  it('is anonymous when no authorizer proved anything, whatever the headers say', () => {
    expect(callerOf(event())).toEqual(anonymous);
    expect(callerOf(event({ lambda: {} }))).toEqual(anonymous);
  });

  it("takes the JWT authorizer's claims and the reader authorizer's context", () => {
    expect(callerOf(event({ jwt: { claims: { sub: subB, 'cognito:groups': '[librarians]' }, scopes: null } }))).toEqual(
      librarian,
    );
    expect(callerOf(event({ lambda: { sub: subA, 'cognito:groups': '[]' } }))).toEqual(readerA);
  });
});

describe('authorizeReader', () => {
  const verifier: TokenVerifier = {
    verify: async (token) => {
      if (token === 'good') return { sub: subA, 'cognito:groups': ['librarians'] };
      throw new UnauthenticatedError('The token has expired');
    },
  };

  it('lets a request without a token through as anonymous', async () => {
    expect(await authorizeReader(undefined, verifier)).toEqual({});
  });

  it('passes the subject and groups of a valid token on, flattened as API Gateway does', async () => {
    expect(await authorizeReader('Bearer good', verifier)).toEqual({ sub: subA, 'cognito:groups': '[librarians]' });
  });

  it('refuses a bad token or header with 401 and the reason', async () => {
    await expect(authorizeReader('Bearer bad', verifier)).rejects.toThrow('The token has expired');
    await expect(authorizeReader('Basic abc', verifier)).rejects.toThrow(UnauthenticatedError);
  });
});

describe('errorResponse for access errors', () => {
  it('maps UnauthenticatedError to 401 with a Bearer challenge and ForbiddenError to 403', () => {
    const unauthenticated = errorResponse(new UnauthenticatedError('The token has expired'));
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers).toMatchObject({ 'www-authenticate': 'Bearer' });
    expect(errorResponse(new ForbiddenError('no')).statusCode).toBe(403);
  });
});

describe('the reader authorizer (Lambda)', () => {
  async function load() {
    process.env.IDENTITY_ISSUER = 'https://issuer.invalid';
    process.env.IDENTITY_AUDIENCE = 'web-client';
    return (await import('../../src/identity/handlers/reader-authorizer')).handler;
  }
  const request = (headers: Record<string, string>) =>
    ({ headers, routeKey: 'GET /readers/{readerId}/recommendations' }) as unknown as Parameters<
      Awaited<ReturnType<typeof load>>
    >[0];

  it('authorizes a request without a token as anonymous', async () => {
    const handler = await load();
    expect(await handler(request({}))).toEqual({ isAuthorized: true, context: {} });
  });

  it('throws "Unauthorized" (API Gateway: 401) for a header that is not a bearer token', async () => {
    const handler = await load();
    await expect(handler(request({ authorization: 'Basic abc' }))).rejects.toThrow(/^Unauthorized$/);
  });
});
