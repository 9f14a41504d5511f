/**
 * Served recommendation lists into the lake bucket: one newline-delimited JSON object per hour partition of the
 * lists' `generatedAt`, at the key Firehose would use. The client is injected (AWS, LocalStack or s3rver alike).
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RecommendationList } from '../../recommendations/domain/recommendation';
import { servedRows } from '../domain/served-recommendations';
import { groupByPartition, rawObjectKey, toNdjson } from '../lake-layout';
import type { ServedRecommendationsArchive } from '../ports';

export class S3ServedRecommendationsArchive implements ServedRecommendationsArchive {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly newId: () => string = randomUUID,
  ) {}

  async archive(lists: readonly RecommendationList[]): Promise<void> {
    const rows = lists.flatMap(servedRows);
    await Promise.all(
      groupByPartition(rows, (row) => new Date(row.generatedAt)).map((group) =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: rawObjectKey('recommendations', group.firstAt, this.newId()),
            Body: toNdjson(group.items),
            ContentType: 'application/x-ndjson',
          }),
        ),
      ),
    );
  }
}
