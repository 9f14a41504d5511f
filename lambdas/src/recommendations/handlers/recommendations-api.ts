/**
 * Readers' recommendations (API Gateway HTTP API, payload 2.0): `GET /readers/{readerId}/recommendations` (the
 * current list with its id and model version, which impressions and clicks send back, and a reason per book) and
 * `GET /books/{bookId}/similar`. A reader reads only their own list (lambdas/src/identity/domain/access.ts).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { createEmbedder } from '../../chat/adapters/create-adapters';
import { callerOf } from '../../identity/caller';
import { assertMayActAs } from '../../identity/domain/access';
import { lazyPool } from '../../shared/db/pool';
import { errorResponse, json, parseOrThrow } from '../../shared/http';
import { logger } from '../../shared/observability';
import { DynamoDbReaderStore } from '../adapters/dynamodb-reader-store';
import { PostgresCatalogueSignals } from '../adapters/postgres-catalogue-signals';
import { recommendationsConfigFrom } from '../config';
import { readerIdSchema } from '../domain/reader-event';
import { readRecommendations, similarBooks, type ReadDependencies } from '../use-cases/read-recommendations';

const config = recommendationsConfigFrom(process.env);
const getPool = lazyPool(() => config.database);
const embedder = createEmbedder(config.embedder);
const store = new DynamoDbReaderStore(
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  config.readerTable,
);

const bookIdSchema = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a catalogue book id');
const limitQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).optional() });

async function dependencies(): Promise<ReadDependencies> {
  return {
    store,
    catalogue: new PostgresCatalogueSignals(await getPool(), {
      modelId: embedder.modelId,
      dimension: embedder.dimension,
    }),
    now: () => new Date(),
    random: Math.random,
    newId: randomUUID,
  };
}

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  const path = event.pathParameters ?? {};
  try {
    const { limit } = parseOrThrow(limitQuerySchema, event.queryStringParameters ?? {}, 'query string');
    switch (event.routeKey) {
      case 'GET /readers/{readerId}/recommendations': {
        const readerId = parseOrThrow(readerIdSchema, path.readerId, 'reader id');
        assertMayActAs(callerOf(event), readerId);
        const list = await readRecommendations(await dependencies(), readerId, config.settings, limit);
        return json(200, list, { 'cache-control': 'no-store' });
      }
      case 'GET /books/{bookId}/similar': {
        const bookId = parseOrThrow(bookIdSchema, path.bookId, 'book id');
        return json(200, await similarBooks(await dependencies(), bookId, limit ?? 12));
      }
      default:
        return json(404, { message: `No route ${event.routeKey}` });
    }
  } catch (error) {
    return errorResponse(error);
  } finally {
    logger.resetKeys();
  }
};
