/**
 * OPDS 1.2 catalogue for e-reader apps (API Gateway HTTP API, payload 2.0): `GET /opds` (navigation), `/opds/new`,
 * `/opds/popular`, `/opds/search?q=`, `/opds/opensearch.xml`, `/opds/authors/{authorId}`, `/opds/series/{seriesId}`,
 * `/opds/books/{bookId}` (public: no reader data); `GET /opds/loans` and `POST /opds/books/{bookId}/borrow`
 * (signed in: the token's subject is the reader). Errors are JSON, as on every other route.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { PostgresCatalogueRepository } from '../../catalogue/adapters/postgres-catalogue-repository';
import { callerOf } from '../../identity/caller';
import { assertSignedIn } from '../../identity/domain/access';
import { errorResponse, json, parseOrThrow } from '../../shared/http';
import { logger } from '../../shared/observability';
import { PostgresBookFiles } from '../adapters/postgres-book-files';
import { PostgresLendingStore } from '../adapters/postgres-lending-store';
import { PostgresOpdsCatalogue } from '../adapters/postgres-opds-catalogue';
import { readingConfigFrom } from '../config';
import { idSchema, LendingConflictError } from '../domain/lending';
import { borrowFromOpds } from '../use-cases/borrow-from-opds';
import { browseOpdsCatalogue, type OpdsRequest } from '../use-cases/browse-opds-catalogue';
import { readingAdapters } from './shared-adapters';

const config = readingConfigFrom(process.env);
const { pool, publisher, signer } = readingAdapters(config);
const now = () => new Date();
const searchSchema = z.object({ q: z.string().trim().min(1).max(200), cursor: z.string().max(500).optional() });
const cursorSchema = z.object({ cursor: z.string().max(500).optional() });

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    const db = await pool();
    const [store, opds] = [new PostgresLendingStore(db), new PostgresOpdsCatalogue(db)];
    const files =
      config.files && signer
        ? { files: new PostgresBookFiles(db), signer, urlTtlSeconds: config.files.urlTtlSeconds }
        : null;
    if (event.routeKey === 'POST /opds/books/{bookId}/borrow') {
      const caller = callerOf(event);
      assertSignedIn(caller);
      const bookId = parseOrThrow(idSchema, event.pathParameters?.bookId, 'book id');
      const deps = { store, publisher, rules: config.rules, now, opds, files };
      return xmlResponse(201, await borrowFromOpds(deps, caller.sub, bookId, documentPathOf(event)));
    }
    const request = opdsRequestOf(event);
    if (!request) return json(404, { message: `No route ${event.routeKey}` });
    const catalogue = new PostgresCatalogueRepository(db);
    const document = await browseOpdsCatalogue(
      { catalogue, opds, files: files && { ...files, store, now }, now },
      request,
      documentPathOf(event),
    );
    return xmlResponse(200, document, request.kind === 'loans' ? 'private, no-store' : 'public, max-age=300');
  } catch (error) {
    if (error instanceof LendingConflictError) return json(409, { message: error.message, reason: error.reason });
    return errorResponse(error);
  } finally {
    logger.resetKeys();
  }
};

function opdsRequestOf(event: APIGatewayProxyEventV2): OpdsRequest | null {
  const query = event.queryStringParameters ?? {};
  const id = (name: string) => parseOrThrow(idSchema, event.pathParameters?.[name], name);
  switch (event.routeKey) {
    case 'GET /opds':
      return { kind: 'root' };
    case 'GET /opds/new':
      return { kind: 'new' };
    case 'GET /opds/popular':
      return { kind: 'popular' };
    case 'GET /opds/opensearch.xml':
      return { kind: 'opensearch' };
    case 'GET /opds/search':
      return { kind: 'search', ...parseOrThrow(searchSchema, query, 'search') };
    case 'GET /opds/authors/{authorId}':
      return { kind: 'author', authorId: id('authorId'), ...parseOrThrow(cursorSchema, query, 'query') };
    case 'GET /opds/series/{seriesId}':
      return { kind: 'series', seriesId: id('seriesId') };
    case 'GET /opds/books/{bookId}':
      return { kind: 'book', bookId: id('bookId') };
    case 'GET /opds/loans': {
      const caller = callerOf(event);
      assertSignedIn(caller);
      return { kind: 'loans', readerId: caller.sub };
    }
    default:
      return null;
  }
}

function xmlResponse(statusCode: number, document: { contentType: string; body: string }, cache = 'no-store') {
  return { statusCode, headers: { 'content-type': document.contentType, 'cache-control': cache }, body: document.body };
}

/** The request's path below the API (whatever stage or prefix it is mounted under), with its query string. */
function documentPathOf(event: APIGatewayProxyEventV2): string {
  const depth = (event.routeKey.split(' ')[1] ?? '').split('/').filter((segment) => segment.length > 0).length;
  const path = `/${event.rawPath
    .split('/')
    .filter((segment) => segment.length > 0)
    .slice(-depth)
    .join('/')}`;
  return event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
}
