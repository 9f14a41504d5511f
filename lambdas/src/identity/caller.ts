/**
 * Who is calling, from an API Gateway HTTP API event (payload 2.0). Handlers never verify tokens themselves: the
 * gateway did, and put what it proved into `requestContext.authorizer`:
 * - `jwt.claims`: API Gateway's JWT authorizer, on `signed-in` and `librarian` routes;
 * - `lambda`: the reader authorizer (`handlers/reader-authorizer.ts`), on `reader` routes: the claims of a verified
 *   token, or nothing for an anonymous reader.
 * Without either, the caller is anonymous (which can reach only anonymous ids: a misconfigured route fails closed).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { anonymous, callerFromClaims, type Caller } from './domain/access';

interface AuthorizerContext {
  readonly authorizer?: {
    readonly jwt?: { readonly claims?: Readonly<Record<string, unknown>> };
    readonly lambda?: Readonly<Record<string, unknown>>;
  };
}

export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const authorizer = (event.requestContext as AuthorizerContext).authorizer;
  if (authorizer?.jwt?.claims) return callerFromClaims(authorizer.jwt.claims);
  if (authorizer?.lambda?.sub !== undefined) return callerFromClaims(authorizer.lambda);
  return anonymous;
}
