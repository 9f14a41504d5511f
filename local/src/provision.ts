/**
 * Creates, in the local emulators, the tables and streams described in lambdas/src/shared/infrastructure.ts (the
 * CDK stateful stack creates the same ones in AWS). Idempotent: what exists is left as it is.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException as TableNotFound,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ResourceNotFoundException as StreamNotFound,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { streams, tables } from '@shelfwise/lambdas/shared/infrastructure';

export async function provisionTables(client: DynamoDBClient): Promise<void> {
  for (const spec of Object.values(tables)) {
    try {
      await client.send(new DescribeTableCommand({ TableName: spec.localName }));
      continue;
    } catch (error) {
      if (!(error instanceof TableNotFound)) throw error;
    }
    const keys = [
      { name: spec.partitionKey, type: 'HASH' as const },
      ...('sortKey' in spec ? [{ name: spec.sortKey, type: 'RANGE' as const }] : []),
    ];
    await client.send(
      new CreateTableCommand({
        TableName: spec.localName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keys.map((key) => ({ AttributeName: key.name, KeyType: key.type })),
        AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: 'S' })),
      }),
    );
  }
}

export async function provisionStreams(client: KinesisClient): Promise<void> {
  for (const spec of Object.values(streams)) {
    try {
      await client.send(new DescribeStreamSummaryCommand({ StreamName: spec.localName }));
      continue;
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    await client.send(new CreateStreamCommand({ StreamName: spec.localName, ShardCount: spec.shardCount }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: spec.localName });
  }
}
