/**
 * The local implementations of the pipelines' Task states, chosen by each state's `Resource`:
 *
 * - Athena `startQueryExecution.sync` → DuckDB over the local lake (the lake bucket's folder in s3rver's data): an
 *   ETL statement (`DELETE FROM <fact>` / `INSERT INTO <fact> <select>`, read back by athena-dialect.ts) rebuilds
 *   the fact's Parquet files under `<data-dir>/warehouse/` with the statement's own SELECT; any other query (the
 *   training exports) is run as it is and its rows written as Athena writes a result: a quoted CSV with a header,
 *   at `athena-results/<id>.csv` in the local lake bucket;
 * - SageMaker `createTrainingJob.sync` → the training entry point (training/src/main.ts) as a child process, its
 *   channels downloaded from local S3 into `input/data/<channel>/`, its model uploaded uncompressed to the job's
 *   output prefix;
 * - Lambda invoke (a function ARN) → the same handler module, in this process;
 * - DynamoDB `getItem` → the local DynamoDB;
 * - SNS `publish` → a line in `<data-dir>/pipelines/notifications.jsonl` and the log.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { FunctionSpec } from '@shelfwise/lambdas/functions';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import { parseAthenaEtlStatement } from '@shelfwise/lambdas/warehouse/athena-dialect';
import { factView, writeFact } from '@shelfwise/lambdas/warehouse/duckdb-dialect';
import { DuckDbWarehouse, localS3LakeFolder, type Row } from '@shelfwise/lambdas/warehouse/duckdb-runner';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const trainingEntryPoint = path.join(repositoryRoot, 'training/src/main.ts');

/** Where Athena's results go in the lake bucket (the pipelines stack's workgroup writes there too). */
export const athenaResultsPrefix = 'athena-results/';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A task failure with a Step Functions error name (what a Catch or Retry matches). */
export class LocalTaskError extends Error {
  constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

export interface LocalTasksOptions {
  /** The data folder of `npm start` (or a test's): the lake is `<dataDir>/s3/<lake bucket>`. */
  readonly dataDir: string;
  /** Endpoints, credentials, region and resource names, as `npm start` gives its handlers. */
  readonly environment: Readonly<Record<string, string>>;
  /** The Lambda functions of the definition, by ARN. */
  readonly functions: ReadonlyMap<string, FunctionSpec>;
  readonly log: (message: string, details?: Record<string, unknown>) => void;
}

export interface Notification {
  readonly topic: string;
  readonly subject?: string;
  readonly message: unknown;
}

function csvValue(value: Row[string]): string {
  return value === null ? '' : `"${String(value).replaceAll('"', '""')}"`;
}

/** Rows as Athena writes a result file: a header and every value quoted. */
export function athenaCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map((column) => csvValue(column))];
  for (const row of rows) lines.push(columns.map((column) => csvValue(row[column] ?? null)));
  return lines.map((line) => `${line.join(',')}\n`).join('');
}

function s3Location(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw new LocalTaskError('States.Runtime', `${uri} is not an s3:// URI`);
  return { bucket: match[1]!, key: match[2]! };
}

export class LocalTasks {
  readonly notifications: Notification[] = [];
  private readonly s3: S3Client;
  private readonly dynamo: DynamoDBClient;
  private warehouse: DuckDbWarehouse | undefined;

  constructor(private readonly options: LocalTasksOptions) {
    const { environment } = options;
    const credentials = {
      accessKeyId: environment.AWS_ACCESS_KEY_ID ?? 'S3RVER',
      secretAccessKey: environment.AWS_SECRET_ACCESS_KEY ?? 'S3RVER',
    };
    const region = environment.AWS_REGION ?? 'us-east-1';
    this.s3 = new S3Client({ region, endpoint: environment.AWS_ENDPOINT_URL_S3, forcePathStyle: true, credentials });
    this.dynamo = new DynamoDBClient({ region, endpoint: environment.AWS_ENDPOINT_URL_DYNAMODB, credentials });
  }

  /** The local handler for a Task state's resource, or undefined when there is none. */
  handlerFor(resource: string): ((input: Json) => Promise<Json>) | undefined {
    if (/:states:::athena:startQueryExecution(\.sync)?$/.test(resource)) return (input) => this.athena(input);
    if (/:states:::sagemaker:createTrainingJob(\.sync)?$/.test(resource)) return (input) => this.train(input);
    if (/:states:::dynamodb:getItem$/.test(resource)) return (input) => this.getItem(input);
    if (/:states:::sns:publish$/.test(resource)) return (input) => this.publish(input);
    const spec = this.options.functions.get(resource);
    if (spec) return (input) => this.invoke(spec, input);
    return undefined;
  }

  async close(): Promise<void> {
    this.warehouse?.close();
    this.warehouse = undefined;
    this.s3.destroy();
    this.dynamo.destroy();
  }

  private get warehouseDir(): string {
    return path.join(this.options.dataDir, 'warehouse');
  }

  private async duckDb(): Promise<DuckDbWarehouse> {
    this.warehouse ??= await DuckDbWarehouse.open({
      lake: localS3LakeFolder(path.join(this.options.dataDir, 's3'), buckets.lake.localName),
      warehouseDir: this.warehouseDir,
    });
    return this.warehouse;
  }

  private async athena(input: Json): Promise<Json> {
    const { QueryString: sql } = input as { QueryString: string };
    const id = randomUUID();
    const warehouse = await this.duckDb();
    const statement = parseAthenaEtlStatement(sql);
    let outputLocation = `s3://${buckets.lake.localName}/${athenaResultsPrefix}${id}.csv`;
    if (statement) {
      const folder = path.join(this.warehouseDir, statement.fact);
      if (statement.action === 'clear') {
        await rm(folder, { recursive: true, force: true });
      } else {
        await mkdir(this.warehouseDir, { recursive: true });
        const [written] = await warehouse.select(writeFact(statement.select, folder));
        const files = existsSync(folder) ? await readdir(folder) : [];
        const pattern = files.some((name) => name.startsWith('dt=')) ? path.join(folder, 'dt=*', '*.parquet') : null;
        await warehouse.select(factView(statement.fact, pattern, statement.select));
        this.options.log(`Athena (DuckDB): built ${statement.fact}`, { rows: Object.values(written ?? {})[0] });
      }
      outputLocation = `s3://${buckets.lake.localName}/${athenaResultsPrefix}${id}.txt`;
    } else {
      const reader = await warehouse.select(sql);
      const columns = reader.length > 0 ? Object.keys(reader[0]!) : await this.columnsOf(warehouse, sql);
      const { bucket, key } = s3Location(outputLocation);
      await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: athenaCsv(columns, reader) }));
      this.options.log('Athena (DuckDB): query result written', { rows: reader.length, outputLocation });
    }
    return {
      QueryExecution: {
        QueryExecutionId: id,
        Query: sql,
        Status: { State: 'SUCCEEDED' },
        ResultConfiguration: { OutputLocation: outputLocation },
      },
    };
  }

  /** The column names of a query that returned no row (DuckDB's DESCRIBE). */
  private async columnsOf(warehouse: DuckDbWarehouse, sql: string): Promise<string[]> {
    const described = await warehouse.select(`DESCRIBE ${sql.replace(/^(\s*--.*\n)*/, '')}`);
    return described.map((row) => String(row.column_name));
  }

  private async train(input: Json): Promise<Json> {
    const job = input as {
      TrainingJobName: string;
      HyperParameters?: Record<string, Json>;
      InputDataConfig: { ChannelName: string; DataSource: { S3DataSource: { S3Uri: string } } }[];
      OutputDataConfig: { S3OutputPath: string };
    };
    const jobDir = path.join(this.options.dataDir, 'pipelines/training-jobs', job.TrainingJobName);
    const modelDir = path.join(jobDir, 'model');
    await mkdir(modelDir, { recursive: true });
    const channels: Record<string, string> = {};
    for (const channel of job.InputDataConfig) {
      const dir = path.join(jobDir, 'input/data', channel.ChannelName);
      await this.download(channel.DataSource.S3DataSource.S3Uri, dir);
      channels[`SM_CHANNEL_${channel.ChannelName.toUpperCase()}`] = dir;
    }
    const hyperparameters = Object.fromEntries(
      Object.entries(job.HyperParameters ?? {}).map(([key, value]) => [key, String(value)]),
    );
    this.options.log('SageMaker (local process): training', {
      job: job.TrainingJobName,
      channels: job.InputDataConfig.map((channel) => channel.ChannelName),
      hyperparameters,
    });
    await this.runTraining({ ...channels, SM_MODEL_DIR: modelDir, SM_HPS: JSON.stringify(hyperparameters) });

    const output = s3Location(job.OutputDataConfig.S3OutputPath);
    const prefix = `${output.key.replace(/\/?$/, '/')}${job.TrainingJobName}/output/model/`;
    for (const file of await readdir(modelDir)) {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: output.bucket,
          Key: `${prefix}${file}`,
          Body: await readFile(path.join(modelDir, file)),
        }),
      );
    }
    return {
      TrainingJobName: job.TrainingJobName,
      TrainingJobStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: `s3://${output.bucket}/${prefix}` },
    };
  }

  private async runTraining(env: Record<string, string>): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', trainingEntryPoint], {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Its progress goes to the log, line by line; the end of its stderr is the failure reason (SageMaker reads one
    // from /opt/ml/output/failure, which the entry point writes only inside a job).
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (stdout + chunk.toString('utf8')).split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.options.log(line);
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) {
      throw new LocalTaskError('SageMaker.TrainingJobFailed', `The training job exited with ${code}: ${stderr.trim()}`);
    }
  }

  /** Every object under an S3 prefix (SageMaker's `S3Prefix`), into `dir` by file name. */
  private async download(uri: string, dir: string): Promise<void> {
    const { bucket, key } = s3Location(uri);
    await mkdir(dir, { recursive: true });
    let token: string | undefined;
    let count = 0;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue;
        const result = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
        await writeFile(path.join(dir, path.basename(object.Key)), await result.Body!.transformToByteArray());
        count++;
      }
      token = page.NextContinuationToken;
    } while (token);
    if (count === 0) throw new LocalTaskError('SageMaker.ValidationException', `No object under ${uri}`);
  }

  private async getItem(input: Json): Promise<Json> {
    const request = input as unknown as {
      TableName: string;
      Key: Record<string, AttributeValue>;
      ConsistentRead?: boolean;
    };
    const result = await this.dynamo.send(new GetItemCommand(request));
    return (result.Item ? { Item: result.Item } : {}) as Json;
  }

  private async publish(input: Json): Promise<Json> {
    const { TopicArn, Subject, Message } = input as { TopicArn: string; Subject?: string; Message: unknown };
    const notification: Notification = { topic: TopicArn, subject: Subject, message: Message };
    this.notifications.push(notification);
    const folder = path.join(this.options.dataDir, 'pipelines');
    await mkdir(folder, { recursive: true });
    await appendFile(
      path.join(folder, 'notifications.jsonl'),
      `${JSON.stringify({ at: new Date().toISOString(), ...notification })}\n`,
    );
    this.options.log(`SNS (local log): ${Subject ?? 'notification'}`, { message: Message });
    return { MessageId: randomUUID() };
  }

  private async invoke(spec: FunctionSpec, input: Json): Promise<Json> {
    const module = (await import(pathToFileURL(path.join(repositoryRoot, 'lambdas', spec.entry)).href)) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    this.options.log(`Lambda (in process): ${spec.id}`);
    return JSON.parse(JSON.stringify((await module.handler(input)) ?? null)) as Json;
  }
}
