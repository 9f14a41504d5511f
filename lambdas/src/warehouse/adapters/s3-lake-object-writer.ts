/** The lake bucket as a LakeObjectWriter; the client is injected (AWS, LocalStack or the local emulator alike). */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LakeObjectWriter } from '../ports';

export class S3LakeObjectWriter implements LakeObjectWriter {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }
}
