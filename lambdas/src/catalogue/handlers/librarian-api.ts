/**
 * Librarians' catalogue API: ingest runs with their counts and reports (quarantined files, rejected rows). Members
 * of the `librarians` group only: API Gateway's JWT authorizer verifies the token, this handler checks the group.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { callerOf } from '../../identity/caller';
import { assertLibrarian } from '../../identity/domain/access';
import { lazyPool } from '../../shared/db/pool';
import { NotFoundError } from '../../shared/errors';
import { errorResponse, json, parseOrThrow } from '../../shared/http';
import { logger } from '../../shared/observability';
import { PostgresIngestRunLog } from '../adapters/postgres-ingest-run-log';
import { catalogueConfigFrom } from '../config';

const config = catalogueConfigFrom(process.env);
const getPool = lazyPool(() => config.database);

const listRunsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Runs older than this run id (from the previous page). */
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'must be a run id')
    .optional(),
});

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    assertLibrarian(callerOf(event));
    const runs = new PostgresIngestRunLog(await getPool());
    switch (event.routeKey) {
      case 'GET /librarian/ingest-runs': {
        const query = parseOrThrow(listRunsQuerySchema, event.queryStringParameters ?? {}, 'query string');
        const items = await runs.list(query);
        return json(200, { items, nextBefore: items.length === query.limit ? (items.at(-1)?.id ?? null) : null });
      }
      case 'GET /librarian/ingest-runs/{runId}': {
        const id = event.pathParameters?.runId ?? '';
        const run = /^[1-9][0-9]{0,17}$/.test(id) ? await runs.get(id) : undefined;
        if (!run) throw new NotFoundError(`No ingest run with id "${id}"`);
        return json(200, run);
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
