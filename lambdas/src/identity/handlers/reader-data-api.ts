/**
 * Readers' own data (API Gateway HTTP API, payload 2.0):
 * - `POST /readers/{readerId}/merge` `{ "anonymousId": "anon-…" }`: signed-in readers only; moves the anonymous
 *   history into the account (200 `{ mergedEvents, listMoved }`; again: `{ mergedEvents: 0 }`).
 * - `POST /readers/{readerId}/history/pause` and `…/resume`: events of a paused reader are not recorded (204).
 * - `DELETE /readers/{readerId}/history`: history, recommendations and conversations deleted at once, and the
 *   reading records in Postgres (progress, ended loans and holds) (204).
 * Every route checks that the reader id is the caller's own (lambdas/src/identity/domain/access.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { DynamoDbReaderStore } from '../../recommendations/adapters/dynamodb-reader-store';
import { readerIdSchema } from '../../recommendations/domain/reader-event';
import { lazyPool } from '../../shared/db/pool';
import { errorResponse, json, jsonBody, parseOrThrow } from '../../shared/http';
import { logger } from '../../shared/observability';
import { DynamoDbReaderData } from '../adapters/dynamodb-reader-data';
import { PostgresReadingRecords } from '../adapters/postgres-reading-records';
import { S3DeletionLog } from '../adapters/s3-deletion-log';
import { callerOf } from '../caller';
import { readerDataConfigFrom } from '../config';
import { assertMayActAs, assertMayMerge } from '../domain/access';
import { deleteReaderHistory } from '../use-cases/delete-reader-history';
import { mergeAnonymousHistory } from '../use-cases/merge-anonymous-history';

const config = readerDataConfigFrom(process.env);
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const histories = new DynamoDbReaderStore(dynamo, config.readerTable);
const readerData = new DynamoDbReaderData(dynamo, config.readerTable, config.conversationTable);
const deletionLog = new S3DeletionLog(new S3Client({ forcePathStyle: true }), config.lakeBucket);
const readingRecords = new PostgresReadingRecords(lazyPool(() => config.database));
const now = () => new Date();

const mergeBodySchema = z.object({ anonymousId: readerIdSchema }).strict();
const noContent = { statusCode: 204, headers: { 'cache-control': 'no-store' } };

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    const caller = callerOf(event);
    const readerId = parseOrThrow(readerIdSchema, event.pathParameters?.readerId, 'reader id');
    switch (event.routeKey) {
      case 'POST /readers/{readerId}/merge': {
        const { anonymousId } = parseOrThrow(
          mergeBodySchema,
          jsonBody(event, '{ "anonymousId": "anon-…" }'),
          'merge request',
        );
        assertMayMerge(caller, readerId, anonymousId);
        const outcome = await mergeAnonymousHistory({ histories, readerData, deletionLog, now }, readerId, anonymousId);
        logger.info('Anonymous history merged', { ...outcome });
        return json(200, outcome, { 'cache-control': 'no-store' });
      }
      case 'POST /readers/{readerId}/history/pause':
      case 'POST /readers/{readerId}/history/resume': {
        assertMayActAs(caller, readerId);
        await readerData.setPaused(readerId, event.routeKey.endsWith('/pause'), now());
        return noContent;
      }
      case 'DELETE /readers/{readerId}/history': {
        assertMayActAs(caller, readerId);
        const outcome = await deleteReaderHistory({ readerData, readingRecords, deletionLog, now }, readerId);
        logger.info('Reader history deleted', { items: outcome.deleted, readingRecords: outcome.readingRecords });
        return noContent;
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
