/**
 * Reader-facing catalogue API (API Gateway HTTP API, payload 2.0): health, books (list, search, filters, detail),
 * authors and series.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lazyPool } from '../../shared/db/pool';
import { errorResponse, json, parseOrThrow } from '../../shared/http';
import { logger } from '../../shared/observability';
import { PostgresCatalogueRepository } from '../adapters/postgres-catalogue-repository';
import { catalogueConfigFrom } from '../config';
import { listAuthorsQuerySchema, listBooksQuerySchema } from '../domain/book';
import { getBook } from '../use-cases/get-book';
import { getSeries } from '../use-cases/get-series';
import { listAuthors } from '../use-cases/list-authors';
import { listBooks } from '../use-cases/list-books';

const config = catalogueConfigFrom(process.env);
const getPool = lazyPool(() => config.database);
const repository = async () =>
  new PostgresCatalogueRepository(await getPool(), { coversBaseUrl: config.coversBaseUrl });

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  const query = event.queryStringParameters ?? {};
  const path = event.pathParameters ?? {};
  try {
    switch (event.routeKey) {
      case 'GET /health':
        await (await repository()).ping();
        return json(200, { status: 'ok', database: 'ok' });
      case 'GET /books':
        return json(
          200,
          await listBooks(await repository(), parseOrThrow(listBooksQuerySchema, query, 'query string')),
        );
      case 'GET /books/{bookId}':
        return json(200, await getBook(await repository(), path.bookId ?? ''));
      case 'GET /authors':
        return json(
          200,
          await listAuthors(await repository(), parseOrThrow(listAuthorsQuerySchema, query, 'query string')),
        );
      case 'GET /series/{seriesId}':
        return json(200, await getSeries(await repository(), path.seriesId ?? ''));
      default:
        return json(404, { message: `No route ${event.routeKey}` });
    }
  } catch (error) {
    return errorResponse(error);
  } finally {
    logger.resetKeys();
  }
};
