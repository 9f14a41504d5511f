/**
 * Who may do what, in one place. Pure: it takes what the caller proved (verified token claims, or nothing) and the
 * reader id a request names, and decides. Handlers call it after parsing and before any use case.
 *
 * - Anonymous readers act as an id of the form the web app makes, `anon-<uuid v4>`: 122 random bits that only the
 *   browser holding them knows, so the id itself is the capability (a bearer secret). Any other id is refused to an
 *   anonymous caller, so no one can reach an account's data, or guess a weak anonymous id, without a token.
 * - A signed-in reader acts only as their own account, whose reader id is the token's `sub`, and not as an anonymous
 *   id (except when merging that id into the account, which `mergeSource` allows).
 * - Librarian routes require the `librarians` group in the token's `cognito:groups` claim.
 */
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors';

/**
 * Who may call a route, declared per HTTP trigger in lambdas/src/functions.ts:
 * - `public`: anyone; no reader data (the catalogue, similar books).
 * - `reader`: anonymous or signed-in readers, each only on their own reader id; a token is optional and, when sent,
 *   verified by the reader authorizer (a Lambda authorizer in AWS, the local gateway locally).
 * - `signed-in`: a valid token is required (API Gateway's JWT authorizer in AWS, the local gateway locally).
 * - `librarian`: a valid token whose groups include `librarians`.
 */
export type RouteAccess = 'public' | 'reader' | 'signed-in' | 'librarian';

/** Routes that API Gateway (or the local gateway) guards with the JWT authorizer (`reader` routes: the reader one). */
export function needsToken(access: RouteAccess): boolean {
  return access === 'signed-in' || access === 'librarian';
}

/** The Cognito group whose members may use the librarian routes. */
export const librarianGroup = 'librarians';

/** What the web app makes (web/src/lib/reader-id.ts): `anon-` and a random (version 4) UUID, lower case. */
export const anonymousReaderIdPattern = /^anon-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isAnonymousReaderId(readerId: string): boolean {
  return anonymousReaderIdPattern.test(readerId);
}

export type Caller =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'signed-in'; readonly sub: string; readonly groups: readonly string[] };

export const anonymous: Caller = { kind: 'anonymous' };

/** The claims of a verified token as a caller. Throws UnauthenticatedError when the token names no subject. */
export function callerFromClaims(claims: Readonly<Record<string, unknown>>): Caller {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new UnauthenticatedError('The token names no subject');
  return { kind: 'signed-in', sub, groups: groupsOf(claims['cognito:groups']) };
}

/**
 * `cognito:groups` as Cognito puts it in the token (an array) or as API Gateway's JWT authorizer passes it on in
 * `requestContext.authorizer.jwt.claims` (every claim flattened to a string: `[librarians readers]`).
 */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group.length > 0);
}

/** Throws unless `caller` may read and write the data of `readerId`. */
export function assertMayActAs(caller: Caller, readerId: string): void {
  if (caller.kind === 'signed-in') {
    if (readerId === caller.sub) return;
    throw new ForbiddenError(
      isAnonymousReaderId(readerId)
        ? 'Signed-in readers use their account id, not an anonymous id (merge it into the account instead)'
        : "A reader may only use their own reader id; this id is another reader's",
    );
  }
  if (isAnonymousReaderId(readerId)) return;
  throw new ForbiddenError(
    'Anonymous readers may only use an id of the form anon-<random uuid v4>; sign in to use an account',
  );
}

/** Throws unless `caller` is signed in (the gateway normally refuses anonymous callers first). */
export function assertSignedIn(caller: Caller): asserts caller is Extract<Caller, { kind: 'signed-in' }> {
  if (caller.kind !== 'signed-in') throw new UnauthenticatedError('Sign in first: this route needs a bearer token');
}

/** Throws unless `caller` is a librarian. */
export function assertLibrarian(caller: Caller): void {
  assertSignedIn(caller);
  if (!caller.groups.includes(librarianGroup)) {
    throw new ForbiddenError(`Only members of the "${librarianGroup}" group may use the librarian routes`);
  }
}

/**
 * Throws unless `caller`, signed in as `accountId`, may merge `anonymousId` into that account: the account must be
 * their own and the source an anonymous id (whose knowledge proves it was theirs).
 */
export function assertMayMerge(caller: Caller, accountId: string, anonymousId: string): void {
  assertSignedIn(caller);
  assertMayActAs(caller, accountId);
  if (!isAnonymousReaderId(anonymousId)) {
    throw new ForbiddenError('Only an anonymous id (anon-<random uuid v4>) can be merged into an account');
  }
}
