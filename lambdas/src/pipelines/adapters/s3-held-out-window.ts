/** The `holdout` export read from S3: Athena's CSV result (a header, every value quoted). */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../shared/errors';
import { heldOutRowSchema, type HeldOutRow } from '../domain/held-out-window';
import { parseS3Uri } from '../domain/s3-uri';
import type { HeldOutWindowSource } from '../ports';

export class S3HeldOutWindow implements HeldOutWindowSource {
  constructor(
    private readonly s3: S3Client,
    /** The only bucket exports are read from (the lake). */
    private readonly bucket: string,
  ) {}

  async rows(location: string): Promise<HeldOutRow[]> {
    const { bucket, key } = parseS3Uri(location);
    if (bucket !== this.bucket) throw new ValidationError(`${location} is not in the lake bucket`);
    const result = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await result.Body?.transformToString('utf8')) ?? '';
    const records = parse(text, { columns: true, skip_empty_lines: true }) as unknown[];
    return records.map((record, i) => {
      const parsed = heldOutRowSchema.safeParse(record);
      if (!parsed.success) throw new ValidationError(`${location} row ${i + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
  }
}
