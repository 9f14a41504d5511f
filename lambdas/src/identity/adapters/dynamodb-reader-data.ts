/**
 * Reader data in DynamoDB, by reader key (`pk = READER#<readerId>`): the pause flag (readers table, sk `PRIVACY`)
 * and the deletion of everything else under the key in the readers table (history, recommendations) and in the
 * conversations table (conversations, rate-limit windows). The document client is injected.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { readerKey } from '../../recommendations/adapters/dynamodb-reader-store';
import type { ReaderDataStore } from '../ports';

type Client = Pick<DynamoDBDocumentClient, 'send'>;

const privacySk = 'PRIVACY';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoDbReaderData implements ReaderDataStore {
  constructor(
    private readonly client: Client,
    private readonly readerTable: string,
    /** Needed only to delete (the events API reads pause flags alone). */
    private readonly conversationTable?: string,
  ) {}

  async pausedReaders(readerIds: readonly string[]): Promise<Set<string>> {
    const paused = new Set<string>();
    const unique = [...new Set(readerIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(start, start + 100)
        .map((readerId) => ({ pk: readerKey(readerId), sk: privacySk }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(50 * 2 ** attempt, 1000));
        if (attempt > 8) throw new Error(`DynamoDB left ${keys.length} pause-flag reads unprocessed`);
        const response = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.readerTable]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of response.Responses?.[this.readerTable] ?? []) {
          if (item.paused === true && typeof item.readerId === 'string') paused.add(item.readerId);
        }
        keys = (response.UnprocessedKeys?.[this.readerTable]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return paused;
  }

  async setPaused(readerId: string, paused: boolean, at: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.readerTable,
        Item: { pk: readerKey(readerId), sk: privacySk, readerId, paused, updatedAt: at.toISOString() },
      }),
    );
  }

  async deleteReaderData(readerId: string): Promise<number> {
    const inReaders = await this.deleteUnder(this.readerTable, readerId, (sk) => sk !== privacySk);
    if (!this.conversationTable) throw new Error('DynamoDbReaderData needs the conversation table to delete');
    const inConversations = await this.deleteUnder(this.conversationTable, readerId, () => true);
    return inReaders + inConversations;
  }

  private async deleteUnder(table: string, readerId: string, keep: (sk: string) => boolean): Promise<number> {
    const keys: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': readerKey(readerId) },
          ProjectionExpression: 'pk, sk',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) if (keep(String(item.sk))) keys.push({ pk: item.pk, sk: item.sk });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    for (let start = 0; start < keys.length; start += 25) {
      let requests: Record<string, unknown>[] = keys
        .slice(start, start + 25)
        .map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(50 * 2 ** attempt, 1000));
        if (attempt > 8) throw new Error(`DynamoDB left ${requests.length} deletes unprocessed`);
        const response = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
        );
        requests = (response.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return keys.length;
  }
}
