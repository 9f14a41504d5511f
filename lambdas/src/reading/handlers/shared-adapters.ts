/**
 * The adapters both reading handlers use, built once per container from the reading configuration: the database
 * pool, the reader-events publisher (leaving out readers who paused their history) and the file URL signer.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoDbReaderData } from '../../identity/adapters/dynamodb-reader-data';
import { PauseAwarePublisher } from '../../identity/adapters/pause-aware-publisher';
import { KinesisEventPublisher } from '../../recommendations/adapters/kinesis-event-publisher';
import type { EventPublisher } from '../../recommendations/event-publisher';
import { lazyPool } from '../../shared/db/pool';
import { ConfigurationError } from '../../shared/errors';
import { jsonBody } from '../../shared/http';
import { CloudFrontUrlSigner } from '../adapters/cloudfront-url-signer';
import { HmacUrlSigner } from '../adapters/hmac-url-signer';
import type { FileAccessConfig, ReadingConfig } from '../config';
import type { UrlSigner } from '../ports';

export interface ReadingAdapters {
  readonly pool: ReturnType<typeof lazyPool>;
  readonly publisher: EventPublisher;
  /** Null where file access is not configured. */
  readonly signer: UrlSigner | null;
}

export function readingAdapters(config: ReadingConfig): ReadingAdapters {
  // HTTP/1.1: the SDK's default HTTP/2 handler for Kinesis serves SubscribeToShard, and kinesalite speaks only 1.1.
  const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler() });
  const readerData = new DynamoDbReaderData(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.readerTable);
  return {
    pool: lazyPool(() => config.database),
    publisher: new PauseAwarePublisher(new KinesisEventPublisher(kinesis, config.streamName), readerData),
    signer: config.files ? signerFor(config.files) : null,
  };
}

function signerFor(files: FileAccessConfig): UrlSigner {
  if (files.signing.kind === 'hmac') return new HmacUrlSigner(files.baseUrl, files.signing.secret);
  const { keyPairId, privateKeySecretArn } = files.signing;
  return new CloudFrontUrlSigner(files.baseUrl, keyPairId, async () => {
    const key = await getSecret(privateKeySecretArn);
    if (typeof key !== 'string') throw new ConfigurationError(`Secret ${privateKeySecretArn} holds no PEM key`);
    return key;
  });
}

/** The JSON body, within the route's size limit (shared/http.ts `jsonBody`: 413 over it, 400 when not JSON). */
export function parseJsonBody(event: APIGatewayProxyEventV2, example: string): unknown {
  return jsonBody(event, example);
}
