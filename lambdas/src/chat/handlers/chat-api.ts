/**
 * `POST /chat`: a reader's message in, books from the catalogue out, as a `text/event-stream` body (`books`,
 * `delta`…, `done`). API Gateway HTTP APIs buffer a Lambda's response, so behind the HTTP API the stream arrives in
 * one piece (still parsed as SSE by the client); real incremental delivery needs this use case behind a Lambda
 * Function URL with response streaming (see lambdas/README.md). The reader's text is never logged.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callerOf } from '../../identity/caller';
import { assertMayActAs } from '../../identity/domain/access';
import { lazyPool } from '../../shared/db/pool';
import { errorResponse, json, jsonBody, parseOrThrow } from '../../shared/http';
import { logger, metrics } from '../../shared/observability';
import { createChatModel, createEmbedder } from '../adapters/create-adapters';
import { DynamoDbConversations, DynamoDbRateLimiter, RateLimitedError } from '../adapters/dynamodb-conversations';
import { PostgresBookSearch } from '../adapters/postgres-book-search';
import { chatConfigFrom } from '../config';
import { chatRequestSchema } from '../domain/chat';
import { sseFrame } from '../domain/sse';
import { answerChat } from '../use-cases/answer-chat';

const config = chatConfigFrom(process.env);
const getPool = lazyPool(() => config.database);
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const embedder = createEmbedder(config.embedder);
const model = createChatModel(config.model);
const conversations = new DynamoDbConversations(dynamo, config.conversationTable, config.conversationTtlSeconds);
const rateLimiter = new DynamoDbRateLimiter(
  dynamo,
  config.conversationTable,
  config.rateLimit,
  config.rateWindowSeconds,
);

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    const body = jsonBody(event, '{ "readerId": "anon-…", "message": "…", "language": "en" }');
    const request = parseOrThrow(chatRequestSchema, body, 'chat request');
    // Conversations are kept per reader id: a reader reaches only their own.
    assertMayActAs(callerOf(event), request.readerId);
    const search = new PostgresBookSearch(await getPool());
    let frames = '';
    let cited = 0;
    for await (const chatEvent of answerChat({ search, embedder, model, conversations, rateLimiter }, request)) {
      frames += sseFrame(chatEvent);
      if (chatEvent.type === 'done') cited = chatEvent.citedIds.length;
    }
    logger.info('Chat answered', { composer: model.name, cited, messageChars: request.message.length });
    metrics.addMetric('chat_answered', 'Count', 1);
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
      body: frames,
    };
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return json(429, { message: error.message }, { 'retry-after': String(error.retryAfterSeconds) });
    }
    return errorResponse(error);
  } finally {
    metrics.publishStoredMetrics();
    logger.resetKeys();
  }
};
