/**
 * The local services a pipeline run talks to: those of a running `npm start` (its default ports answer), or else
 * the S3 and DynamoDB emulators started here on the same data folder, for the run's duration.
 */
import { request } from 'node:http';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buckets, streams, tables } from '@shelfwise/lambdas/shared/infrastructure';
import { startDynamoDb } from '../emulators/dynamodb';
import { startS3 } from '../emulators/s3';
import { provisionTables } from '../provision';

/** The ports `npm start` uses unless told otherwise (local/src/main.ts). */
export const npmStartPorts = { s3: 4569, dynamodb: 4568 } as const;

export interface LocalServices {
  readonly environment: Readonly<Record<string, string>>;
  /** Whether they belong to a running `npm start`. */
  readonly shared: boolean;
  stop(): Promise<void>;
}

const region = 'us-east-1';

/** What the handlers see in `npm start` (runtime.ts), for these endpoints. */
export function pipelineEnvironment(endpoints: { s3: string; dynamodb: string }): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    ...Object.fromEntries(Object.values(tables).map((spec) => [spec.envVar, spec.localName])),
    ...Object.fromEntries(Object.values(buckets).map((spec) => [spec.envVar, spec.localName])),
    ...Object.fromEntries(Object.values(streams).map((spec) => [spec.envVar, spec.localName])),
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000 }, (response) => {
      response.resume();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
    probe.on('timeout', () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}

export async function connectLocalServices(dataDir: string): Promise<LocalServices> {
  if ((await answers(npmStartPorts.s3)) && (await answers(npmStartPorts.dynamodb))) {
    const environment = pipelineEnvironment({
      s3: `http://127.0.0.1:${npmStartPorts.s3}`,
      dynamodb: `http://127.0.0.1:${npmStartPorts.dynamodb}`,
    });
    return { environment, shared: true, stop: async () => undefined };
  }
  return startLocalServices(dataDir);
}

/** Starts S3 and DynamoDB emulators on `<dataDir>/s3` and `<dataDir>/dynamodb` (free ports), tables provisioned. */
export async function startLocalServices(dataDir: string): Promise<LocalServices> {
  const s3 = await startS3({
    directory: path.join(dataDir, 's3'),
    port: 0,
    buckets: Object.values(buckets).map((bucket) => bucket.localName),
  });
  const dynamodb = await startDynamoDb({ path: path.join(dataDir, 'dynamodb'), port: 0 }).catch(async (error) => {
    await s3.stop();
    throw error;
  });
  const environment = pipelineEnvironment({ s3: s3.endpoint, dynamodb: dynamodb.endpoint });
  const client = new DynamoDBClient({
    region,
    endpoint: dynamodb.endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    await provisionTables(client);
  } finally {
    client.destroy();
  }
  return {
    environment,
    shared: false,
    stop: async () => {
      await dynamodb.stop();
      await s3.stop();
    },
  };
}
