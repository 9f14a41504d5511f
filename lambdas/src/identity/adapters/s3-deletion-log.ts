/**
 * The deletion log in the lake bucket: one small JSON object per request under
 * `deletions/dt=YYYY-MM-DD/<yyyymmddThhmmssZ>-<uuid>.json` (`{ readerId, requestedAt, reason, mergedInto? }`). The
 * warehouse ETL is to read the log and remove those readers' rows from the raw events and facts of the lake (or,
 * for a merge, re-key them to `mergedInto`) at its next run. Objects
 * are never overwritten, so concurrent writers need no coordination.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DeletionLog, DeletionRequest } from '../ports';

export const deletionLogPrefix = 'deletions';

export function deletionLogKey(requestedAt: Date, id: string = randomUUID()): string {
  const iso = requestedAt.toISOString();
  const stamp = iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `${deletionLogPrefix}/dt=${iso.slice(0, 10)}/${stamp}-${id}.json`;
}

export class S3DeletionLog implements DeletionLog {
  constructor(
    private readonly s3: Pick<S3Client, 'send'>,
    private readonly bucket: string,
  ) {}

  async append(request: DeletionRequest): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: deletionLogKey(new Date(request.requestedAt)),
        Body: `${JSON.stringify(request)}\n`,
        ContentType: 'application/json',
      }),
    );
  }
}
