/**
 * `POST /events`: a batch of reader events (`{ events: [...] }`, 1 to 500) onto the reader-events stream.
 *
 * 200 once the batch itself is readable, even when some events are rejected: the body says which and whether to
 * send them again (`{ accepted, duplicates, rejected: [{ index, eventId?, reason, retryable }] }`); 400 for a body
 * that is not JSON or not such a batch; 413 for more than 500 events or a body over the route's size limit; 401/403 when an event's reader id is not the
 * caller's own (lambdas/src/identity/domain/access.ts). Events of readers who paused their history are answered as
 * accepted but not recorded. Events are personal: only counts per type are logged, never their contents.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoDbReaderData } from '../../identity/adapters/dynamodb-reader-data';
import { PauseAwarePublisher } from '../../identity/adapters/pause-aware-publisher';
import { callerOf } from '../../identity/caller';
import { assertMayActAs } from '../../identity/domain/access';
import { requiredString } from '../../shared/config';
import { errorResponse, json, jsonBody, parseOrThrow } from '../../shared/http';
import { streams, tables } from '../../shared/infrastructure';
import { logger, metrics } from '../../shared/observability';
import { KinesisEventPublisher } from '../adapters/kinesis-event-publisher';
import { eventBatchSchema, maxEventsPerBatch, readerIdSchema } from '../domain/reader-event';
import { acceptEvents } from '../use-cases/accept-events';

const streamName = requiredString(process.env, streams.readerEvents.envVar);
// HTTP/1.1: the SDK's default HTTP/2 handler for Kinesis serves SubscribeToShard, and kinesalite speaks only 1.1.
const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler() });
const kinesisPublisher = new KinesisEventPublisher(kinesis, streamName);
const readerData = new DynamoDbReaderData(
  DynamoDBDocumentClient.from(new DynamoDBClient({})),
  requiredString(process.env, tables.readers.envVar),
);

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    const body = jsonBody(event, '{ "events": [...] }');
    if (countEvents(body) > maxEventsPerBatch) {
      metrics.addMetric('reader_event_batches_refused', 'Count', 1);
      return json(413, { message: `At most ${maxEventsPerBatch} events per request; send the rest in another` });
    }
    const { events } = parseOrThrow(eventBatchSchema, body, 'event batch');
    const caller = callerOf(event);
    for (const readerId of readerIdsOf(events)) assertMayActAs(caller, readerId);
    const publisher = new PauseAwarePublisher(kinesisPublisher, readerData);
    const { accepted, duplicates, rejected, acceptedTypes } = await acceptEvents({ publisher }, events);
    const notStored = rejected.filter((rejection) => rejection.retryable).length;
    const { notRecorded } = publisher;
    logger.info('Events accepted', {
      accepted,
      duplicates,
      rejected: rejected.length,
      notStored,
      notRecorded,
      acceptedTypes,
    });
    metrics.addMetric('reader_events_accepted', 'Count', accepted);
    metrics.addMetric('reader_events_rejected', 'Count', rejected.length);
    // Of the rejected, those the stream did not take (throttling): the client sends them again.
    metrics.addMetric('reader_events_not_stored', 'Count', notStored);
    return json(200, { accepted, duplicates, rejected });
  } catch (error) {
    const response = errorResponse(error);
    const failed = response.statusCode !== undefined && response.statusCode >= 500;
    metrics.addMetric(failed ? 'reader_event_batches_failed' : 'reader_event_batches_refused', 'Count', 1);
    return response;
  } finally {
    metrics.publishStoredMetrics();
    logger.resetKeys();
  }
};

/** The well-formed reader ids of the batch (an event without one is rejected by validation anyway). */
function readerIdsOf(events: readonly unknown[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    const readerId = typeof event === 'object' && event !== null && 'readerId' in event ? event.readerId : undefined;
    if (readerIdSchema.safeParse(readerId).success) ids.add(readerId as string);
  }
  return ids;
}

function countEvents(body: unknown): number {
  const events = typeof body === 'object' && body !== null && 'events' in body ? body.events : undefined;
  return Array.isArray(events) ? events.length : 0;
}
