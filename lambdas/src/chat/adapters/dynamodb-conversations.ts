/**
 * Conversation state and the per-reader rate limit in the `conversations` table (pk = READER#<readerId>):
 * - sk = CONVERSATION#<id>: the last request's search words, filters and cited books; expires after `ttlSeconds`.
 * - sk = RATE#<window start>: a counter per reader and window, raised by a conditional update that fails once the
 *   limit is reached; it expires with its window.
 * The document client is injected (AWS, or dynalite through AWS_ENDPOINT_URL_DYNAMODB).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ShelfwiseError } from '../../shared/errors';
import type { ConversationState } from '../domain/chat';
import type { ConversationStore, RateLimiter } from '../ports';

/** The reader sent more requests than the limit allows in the current window. Safe to show. */
export class RateLimitedError extends ShelfwiseError {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many chat requests; please wait a moment.');
  }
}

type Client = Pick<DynamoDBDocumentClient, 'send'>;

const stateSchema = z.object({
  conversationId: z.string(),
  text: z.string(),
  filters: z.object({
    languages: z.array(z.string()).optional(),
    audiences: z.array(z.enum(['children', 'young-adult', 'adult'])).optional(),
    maxPages: z.number().optional(),
    minPages: z.number().optional(),
    tags: z.array(z.string()).optional(),
    author: z.string().optional(),
    excludeIds: z.array(z.string()).optional(),
  }),
  lastCitedIds: z.array(z.string()),
});

const readerKey = (readerId: string) => `READER#${readerId}`;

export class DynamoDbConversations implements ConversationStore {
  constructor(
    private readonly client: Client,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async load(readerId: string, conversationId: string): Promise<ConversationState | undefined> {
    const found = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: readerKey(readerId), sk: `CONVERSATION#${conversationId}` },
        ConsistentRead: true,
      }),
    );
    if (!found.Item) return undefined;
    // dynalite does not expire items; an expired one is treated as gone, as DynamoDB would soon delete it.
    if (typeof found.Item.expiresAt === 'number' && found.Item.expiresAt * 1000 < this.now()) return undefined;
    const parsed = stateSchema.safeParse(found.Item.state);
    return parsed.success ? parsed.data : undefined;
  }

  async save(readerId: string, state: ConversationState): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: readerKey(readerId),
          sk: `CONVERSATION#${state.conversationId}`,
          state,
          updatedAt: new Date(this.now()).toISOString(),
          expiresAt: Math.floor(this.now() / 1000) + this.ttlSeconds,
        },
      }),
    );
  }
}

export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly client: Client,
    private readonly tableName: string,
    private readonly limit: number,
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(readerId: string): Promise<void> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const windowStart = nowSeconds - (nowSeconds % this.windowSeconds);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: readerKey(readerId), sk: `RATE#${windowStart}` },
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': this.limit,
            ':expires': windowStart + this.windowSeconds * 2,
          },
        }),
      );
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        throw new RateLimitedError(windowStart + this.windowSeconds - nowSeconds);
      }
      throw error;
    }
  }
}
