/**
 * The model `npm start` serves: the training package's default model (simulated readers over the demo catalogue),
 * trained once with the demo books' catalogue ids, kept in the data folder, published to the local models bucket
 * and promoted through the same pointer the cloud uses. Until it is promoted the recommender serves its fallbacks.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { ModelStore } from '@shelfwise/lambdas/recommendations/adapters/model-store';
import { buckets, tables } from '@shelfwise/lambdas/shared/infrastructure';
import { checkpointFile, manifestFile, modelFile } from '@shelfwise/training/export/export-model';
import { trainDefaultModel, type DefaultModelOptions } from '@shelfwise/training/pipeline/default-model';
import { fileURLToPath } from 'node:url';
import { demoLibraryName } from './demo/demo-catalogue';

/** A ModelStore on the local emulators. */
export function localModelStore(environment: Readonly<Record<string, string>>): {
  store: ModelStore;
  close: () => void;
} {
  const region = environment.AWS_REGION ?? 'us-east-1';
  const credentials = {
    accessKeyId: environment.AWS_ACCESS_KEY_ID ?? 'S3RVER',
    secretAccessKey: environment.AWS_SECRET_ACCESS_KEY ?? 'S3RVER',
  };
  const s3 = new S3Client({ region, endpoint: environment.AWS_ENDPOINT_URL_S3, forcePathStyle: true, credentials });
  const dynamo = new DynamoDBClient({ region, endpoint: environment.AWS_ENDPOINT_URL_DYNAMODB, credentials });
  const store = new ModelStore(
    s3,
    buckets.models.localName,
    DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    tables.readers.localName,
  );
  return {
    store,
    close: () => {
      s3.destroy();
      dynamo.destroy();
    },
  };
}

/** Catalogue id of each demo book, by its demo key. */
export async function demoBookIds(databaseUrl: string): Promise<Map<string, string>> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const rows = await pool.query<{ source_id: string; id: string }>(
      `SELECT b.source_id, b.id::text AS id FROM book b JOIN library l ON l.id = b.library_id
       WHERE l.name = $1 AND b.withdrawn_at IS NULL`,
      [demoLibraryName],
    );
    return new Map(rows.rows.map((row) => [row.source_id, row.id]));
  } finally {
    await pool.end();
  }
}

/** Uploads a model folder written by `exportModel` and returns its version. */
export async function publishModelFolder(store: ModelStore, directory: string): Promise<string> {
  const manifest = await readFile(path.join(directory, manifestFile), 'utf8');
  const version = (JSON.parse(manifest) as { version: string }).version;
  await store.publish(version, {
    manifest,
    onnx: await readFile(path.join(directory, modelFile)),
    checkpoint: await readFile(path.join(directory, checkpointFile)),
  });
  return version;
}

export interface DefaultModelResult {
  readonly version: string;
  /** What happened: already serving, reused from the data folder, or trained now. */
  readonly action: 'serving' | 'reused' | 'trained';
}

/**
 * Makes sure a model is promoted: if the pointer names none, trains the default model (or reuses the one in
 * `modelsDir`), publishes and promotes it. Training takes about a minute and a half on two cores; with
 * `inChildProcess` it runs in a child process so this process keeps answering meanwhile.
 */
export async function ensureDefaultModel(
  environment: Readonly<Record<string, string>>,
  modelsDir: string,
  options: Partial<DefaultModelOptions> & { inChildProcess?: boolean } = {},
): Promise<DefaultModelResult> {
  const { store, close } = localModelStore(environment);
  try {
    const pointer = await store.pointer();
    if (pointer) return { version: pointer.version, action: 'serving' };
    const seed = options.seed ?? 1;
    const directory = path.join(modelsDir, `demo-seed${seed}`);
    let action: DefaultModelResult['action'] = 'reused';
    if (!existsSync(path.join(directory, manifestFile))) {
      const databaseUrl = environment.DATABASE_URL ?? '';
      if (options.inChildProcess) {
        await trainInChildProcess(directory, seed, databaseUrl);
      } else {
        const bookIds = await demoBookIds(databaseUrl);
        if (bookIds.size === 0) throw new Error('The demo catalogue is not loaded: no default model to train');
        await trainDefaultModel(directory, { seed, ...options, bookIds });
      }
      action = 'trained';
    }
    const version = await publishModelFolder(store, directory);
    await store.promote(version, { expectedVersion: null, note: 'default model of npm start' });
    return { version, action };
  } finally {
    close();
  }
}

async function trainInChildProcess(directory: string, seed: number, databaseUrl: string): Promise<void> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'train-default-model.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, directory, String(seed), databaseUrl], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`Training the default model failed (exit ${code}): ${stderr.trim()}`);
}
