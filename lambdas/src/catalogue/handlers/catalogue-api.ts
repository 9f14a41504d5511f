/**
 * Reader-facing catalogue API (API Gateway HTTP API, payload 2.0): GET /health, GET /books, GET /books/{bookId}.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lazyPool } from '../../shared/db/pool';
import { errorResponse, json, parseOrThrow } from '../../shared/http';
import { logger } from '../../shared/observability';
import { PostgresCatalogueRepository } from '../adapters/postgres-catalogue-repository';
import { catalogueConfigFrom } from '../config';
import { listBooksQuerySchema } from '../domain/book';
import { getBook } from '../use-cases/get-book';
import { listBooks } from '../use-cases/list-books';

const config = catalogueConfigFrom(process.env);
const getPool = lazyPool(() => config.database);
const repository = async () => new PostgresCatalogueRepository(await getPool());

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    switch (event.routeKey) {
      case 'GET /health':
        await (await repository()).ping();
        return json(200, { status: 'ok', database: 'ok' });
      case 'GET /books': {
        const query = parseOrThrow(listBooksQuerySchema, event.queryStringParameters ?? {}, 'query string');
        return json(200, await listBooks(await repository(), query));
      }
      case 'GET /books/{bookId}':
        return json(200, await getBook(await repository(), event.pathParameters?.bookId ?? ''));
      default:
        return json(404, { message: `No route ${event.routeKey}` });
    }
  } catch (error) {
    return errorResponse(error);
  } finally {
    logger.resetKeys();
  }
};
