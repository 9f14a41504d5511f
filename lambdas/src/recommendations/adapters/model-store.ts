/**
 * Where models live: each version's files under `policies/<version>/` in the models bucket, and one pointer to the
 * version to serve — an item of the readers table (pk `MODEL`, sk `CURRENT`). Publishing uploads the files;
 * promoting moves the pointer (optionally only if it still names the expected version, so two promotions cannot
 * race). The recommender and the retraining pipeline use this module; nothing else knows the layout.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { ModelFiles } from './onnx-policy';

export const modelFileNames = { manifest: 'manifest.json', onnx: 'policy.onnx', checkpoint: 'checkpoint.bin' } as const;

const pointerKey = { pk: 'MODEL', sk: 'CURRENT' } as const;

export const modelPointerSchema = z.object({
  version: z.string().min(1),
  /** Key prefix of the version's files in the models bucket, ending in `/`. */
  prefix: z.string().min(1),
  promotedAt: z.string(),
  /** Why it was promoted (e.g. the evaluation that justified it). */
  note: z.string().optional(),
});

export type ModelPointer = z.infer<typeof modelPointerSchema>;

export function modelPrefix(version: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(version)) {
    throw new Error(`Model version "${version}" may hold only letters, digits, ".", "_" and "-"`);
  }
  return `policies/${version}/`;
}

export class ModelStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async pointer(): Promise<ModelPointer | null> {
    const result = await this.dynamo.send(
      new GetCommand({ TableName: this.table, Key: pointerKey, ConsistentRead: true }),
    );
    if (!result.Item) return null;
    const parsed = modelPointerSchema.safeParse(result.Item);
    if (!parsed.success) throw new Error(`The model pointer item is malformed: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  async files(pointer: ModelPointer): Promise<ModelFiles> {
    const [manifest, onnx, checkpoint] = await Promise.all(
      [modelFileNames.manifest, modelFileNames.onnx, modelFileNames.checkpoint].map((name) =>
        this.object(`${pointer.prefix}${name}`),
      ),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(manifest!).toString('utf8'));
    } catch {
      throw new Error(`${pointer.prefix}${modelFileNames.manifest} is not JSON`);
    }
    return { manifest: parsed, onnx: onnx!, checkpoint: checkpoint! };
  }

  /** Uploads a model's three files under its version's prefix (does not promote it). */
  async publish(
    version: string,
    files: { manifest: string; onnx: Uint8Array; checkpoint: Uint8Array },
  ): Promise<string> {
    const prefix = modelPrefix(version);
    await Promise.all([
      this.put(`${prefix}${modelFileNames.manifest}`, files.manifest, 'application/json'),
      this.put(`${prefix}${modelFileNames.onnx}`, files.onnx, 'application/octet-stream'),
      this.put(`${prefix}${modelFileNames.checkpoint}`, files.checkpoint, 'application/octet-stream'),
    ]);
    return prefix;
  }

  /**
   * Points the recommender at `version`. With `expectedVersion`, only if the pointer still names it (null: no
   * pointer yet); returns false when it did not.
   */
  async promote(version: string, options: { expectedVersion?: string | null; note?: string } = {}): Promise<boolean> {
    const item: ModelPointer & typeof pointerKey = {
      ...pointerKey,
      version,
      prefix: modelPrefix(version),
      promotedAt: new Date().toISOString(),
      ...(options.note ? { note: options.note } : {}),
    };
    const condition =
      options.expectedVersion === undefined
        ? {}
        : options.expectedVersion === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': options.expectedVersion },
            };
    try {
      await this.dynamo.send(new PutCommand({ TableName: this.table, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async object(key: string): Promise<Uint8Array> {
    const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!result.Body) throw new Error(`Model file ${key} is empty`);
    return result.Body.transformToByteArray();
  }

  private async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }
}
