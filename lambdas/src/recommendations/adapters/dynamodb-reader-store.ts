/**
 * Readers' histories and recommendation lists in the readers table (pk = READER#<readerId>):
 * - sk = HISTORY: the recent history (entries, excluded books, applied event ids) and a `version` number; every
 *   write is conditional on the version read, so two batches for one reader can never overwrite each other.
 * - sk = RECOMMENDATIONS: the current list, replaced whole.
 * Both expire after a long inactivity (`ttlSeconds`, default a year), as a library keeps reading history only while
 * it is useful. The document client is injected (AWS, or dynalite through AWS_ENDPOINT_URL_DYNAMODB).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ReaderHistory } from '../domain/history';
import { recommendationListSchema, type RecommendationList } from '../domain/recommendation';
import type { ReaderStore } from '../ports';

type Client = Pick<DynamoDBDocumentClient, 'send'>;

export const readerKey = (readerId: string) => `READER#${readerId}`;
const historySk = 'HISTORY';
const recommendationsSk = 'RECOMMENDATIONS';

const historyItemSchema = z.object({
  readerId: z.string(),
  entries: z.array(
    z.object({
      eventId: z.string(),
      bookId: z.string(),
      type: z.enum(['rate', 'borrow', 'finish', 'dismiss', 'view']),
      rating: z.number(),
      occurredAt: z.string(),
    }),
  ),
  excluded: z.array(z.string()),
  appliedEventIds: z.array(z.string()),
  version: z.number().int().nonnegative(),
  tasteVersion: z.number().int().nonnegative().optional(),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoDbReaderStore implements ReaderStore {
  constructor(
    private readonly client: Client,
    private readonly tableName: string,
    private readonly ttlSeconds = 365 * 24 * 3600,
    private readonly now: () => number = Date.now,
  ) {}

  async histories(readerIds: readonly string[]): Promise<Map<string, ReaderHistory>> {
    const result = new Map<string, ReaderHistory>();
    const unique = [...new Set(readerIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(start, start + 100)
        .map((readerId) => ({ pk: readerKey(readerId), sk: historySk }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(50 * 2 ** attempt, 1000));
        if (attempt > 8) throw new Error(`DynamoDB left ${keys.length} history reads unprocessed`);
        const response = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          const parsed = historyItemSchema.safeParse(item);
          if (!parsed.success) {
            throw new Error(`Stored history ${String(item.pk)} is malformed: ${parsed.error.issues[0]?.message}`);
          }
          result.set(parsed.data.readerId, parsed.data);
        }
        keys = (response.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return result;
  }

  async saveHistory(history: ReaderHistory): Promise<boolean> {
    const item = {
      pk: readerKey(history.readerId),
      sk: historySk,
      readerId: history.readerId,
      entries: history.entries,
      excluded: history.excluded,
      appliedEventIds: history.appliedEventIds,
      version: history.version + 1,
      tasteVersion: history.tasteVersion,
      expiresAt: this.expiresAt(),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(history.version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': history.version } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async saveRecommendations(lists: readonly RecommendationList[]): Promise<void> {
    const expiresAt = this.expiresAt();
    for (let start = 0; start < lists.length; start += 25) {
      let requests: Record<string, unknown>[] = lists.slice(start, start + 25).map((list) => ({
        PutRequest: { Item: { pk: readerKey(list.readerId), sk: recommendationsSk, ...list, expiresAt } },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(50 * 2 ** attempt, 1000));
        if (attempt > 8) throw new Error(`DynamoDB left ${requests.length} recommendation writes unprocessed`);
        const response = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests as never } }),
        );
        requests = (response.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined) ?? [];
      }
    }
  }

  async recommendations(readerId: string): Promise<RecommendationList | null> {
    const found = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: readerKey(readerId), sk: recommendationsSk } }),
    );
    if (!found.Item) return null;
    const parsed = recommendationListSchema.safeParse(found.Item);
    if (!parsed.success) {
      throw new Error(`Stored recommendations of ${readerId} are malformed: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }

  private expiresAt(): number {
    return Math.floor(this.now() / 1000) + this.ttlSeconds;
  }
}
