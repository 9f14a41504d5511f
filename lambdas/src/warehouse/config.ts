/**
 * Configuration of the insights API, read once at cold start: Athena in the cloud, DuckDB over the local data
 * folder under `npm start` (which sets WAREHOUSE_LOCAL_DATA_DIR).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { optionalInteger, optionalString, requiredString, type Environment } from '../shared/config';
import { buckets } from '../shared/infrastructure';
import { sqlFolder } from './athena-dialect';

/** The variables the CDK app (api-stack.ts) and the local runtime set. */
export const warehouseEnv = {
  /** The pipelines' Athena workgroup (results location and bytes-scanned cutoff enforced there). */
  workGroup: 'ATHENA_WORKGROUP',
  /** The warehouse's Glue database. */
  database: 'WAREHOUSE_DATABASE',
  /** `npm start`'s data folder: the lake is `<dir>/s3/<lake bucket>`, the facts `<dir>/warehouse/`. */
  localDataDir: 'WAREHOUSE_LOCAL_DATA_DIR',
  /** The longest an API request waits for Athena, in ms (default 20000). */
  maxWaitMs: 'ATHENA_MAX_WAIT_MS',
} as const;

export type InsightsConfig =
  | {
      readonly engine: 'athena';
      readonly workGroup: string;
      readonly database: string;
      /** Where the named queries' `.sql` files are: beside the bundle in Lambda (LAMBDA_TASK_ROOT). */
      readonly sqlFolder: URL;
      readonly maxWaitMs: number;
    }
  | {
      readonly engine: 'duckdb';
      /** `npm start`'s data folder. */
      readonly dataDir: string;
    };

export function insightsConfigFrom(env: Environment): InsightsConfig {
  const localDataDir = optionalString(env, warehouseEnv.localDataDir);
  if (localDataDir) {
    return { engine: 'duckdb', dataDir: path.resolve(localDataDir) };
  }
  const taskRoot = optionalString(env, 'LAMBDA_TASK_ROOT');
  return {
    engine: 'athena',
    workGroup: requiredString(env, warehouseEnv.workGroup),
    database: requiredString(env, warehouseEnv.database),
    sqlFolder: taskRoot ? pathToFileURL(`${taskRoot}/`) : sqlFolder,
    maxWaitMs: optionalInteger(env, warehouseEnv.maxWaitMs, 20_000, 1000),
  };
}

/** Where the ingest writes the catalogue snapshot: the lake bucket (LAKE_BUCKET); without it, no export. */
export function dimBookExportConfigFrom(env: Environment): { readonly lakeBucket: string | undefined } {
  return { lakeBucket: optionalString(env, buckets.lake.envVar) };
}
