import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDb } from '@shelfwise/local/emulators/dynamodb';
import type { LocalEmulator } from '@shelfwise/local/emulators/kinesis';
import { provisionTables } from '@shelfwise/local/provision';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbConversations,
  DynamoDbRateLimiter,
  RateLimitedError,
} from '../../src/chat/adapters/dynamodb-conversations';
import { tables } from '../../src/shared/infrastructure';

describe('DynamoDB conversations and rate limit (dynalite)', () => {
  let dynamo: LocalEmulator;
  let client: DynamoDBDocumentClient;
  const table = tables.conversations.localName;

  beforeAll(async () => {
    dynamo = await startDynamoDb({ path: undefined, port: 0 });
    const raw = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: dynamo.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await provisionTables(raw);
    client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  });

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
  });

  it('allows the limit per window, then refuses with a retry delay, per reader', async () => {
    // Prepare
    const now = () => Date.UTC(2026, 0, 1, 12, 0, 10);
    const limiter = new DynamoDbRateLimiter(client, table, 3, 60, now);

    // Act
    for (let i = 0; i < 3; i++) await limiter.take('reader-a');
    const fourth = limiter.take('reader-a').catch((error: unknown) => error);
    await limiter.take('reader-b');

    // Assess
    const refused = await fourth;
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(50);
  });

  it('keeps conversation state with a TTL and forgets it once expired', async () => {
    // Prepare
    let clock = Date.UTC(2026, 0, 1, 12, 0, 0);
    const conversations = new DynamoDbConversations(client, table, 3600, () => clock);
    const state = { conversationId: 'c-1', text: 'funny fantasy', filters: { tags: ['Fantasy'] }, lastCitedIds: ['4'] };

    // Act
    await conversations.save('reader-a', state);
    const loaded = await conversations.load('reader-a', 'c-1');
    const otherReader = await conversations.load('reader-b', 'c-1');
    clock += 3601_000;
    const expired = await conversations.load('reader-a', 'c-1');

    // Assess
    expect(loaded).toEqual(state);
    expect(otherReader).toBeUndefined();
    expect(expired).toBeUndefined();
  });
});
