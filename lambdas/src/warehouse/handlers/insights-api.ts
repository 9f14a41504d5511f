/**
 * Librarians' insights: `GET /librarian/insights/{query}` runs one of the whitelisted named queries
 * (domain/insights.ts; `ab-compare` takes `model_a` and `model_b`) and answers its typed rows. Members of the
 * `librarians` group only: API Gateway's JWT authorizer verifies the token, this handler checks the group.
 * The warehouse is Athena in the cloud and DuckDB over the local lake under `npm start` (config.ts).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../../identity/caller';
import { assertLibrarian } from '../../identity/domain/access';
import { errorResponse, json } from '../../shared/http';
import { logger } from '../../shared/observability';
import { AthenaWarehouse } from '../adapters/athena-warehouse';
import type { DuckDbNamedQueries as DuckDbNamedQueriesType } from '../adapters/duckdb-named-queries';
import { athenaNamedQueries } from '../athena-dialect';
import { insightsConfigFrom, type InsightsConfig } from '../config';
import { insightNames } from '../domain/insights';
import type { Warehouse } from '../ports';
import { readInsight } from '../use-cases/read-insight';

const config = insightsConfigFrom(process.env);

/**
 * DuckDB's adapter is imported by a computed name, so the bundler leaves it (and DuckDB's native binding) out of
 * the Lambda bundle; only `npm start` takes that branch.
 */
const duckDbAdapter = '../adapters/duckdb-named-queries';

async function createWarehouse(settings: InsightsConfig): Promise<Warehouse> {
  if (settings.engine === 'duckdb') {
    const { DuckDbNamedQueries } = (await import(/* @vite-ignore */ duckDbAdapter)) as {
      DuckDbNamedQueries: typeof DuckDbNamedQueriesType;
    };
    return DuckDbNamedQueries.overLocalData(settings.dataDir);
  }
  return new AthenaWarehouse({
    client: new AthenaClient({}),
    workGroup: settings.workGroup,
    database: settings.database,
    queries: athenaNamedQueries(settings.sqlFolder, insightNames),
    maxWaitMs: settings.maxWaitMs,
  });
}

let warehouse: Promise<Warehouse> | undefined;

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    assertLibrarian(callerOf(event));
    // Built once; a failed start (e.g. a missing .sql file) is tried again by the next request.
    warehouse ??= createWarehouse(config).catch((error: unknown) => {
      warehouse = undefined;
      throw error;
    });
    const insight = await readInsight(
      { warehouse: await warehouse },
      event.pathParameters?.query ?? '',
      event.queryStringParameters ?? {},
    );
    return json(200, insight);
  } catch (error) {
    return errorResponse(error);
  } finally {
    logger.resetKeys();
  }
};
