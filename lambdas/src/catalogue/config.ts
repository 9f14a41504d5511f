/** Configuration of the catalogue functions, read once at cold start. */
import { optionalInteger, requiredString } from '../shared/config';
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';
import { buckets } from '../shared/infrastructure';

export interface CatalogueConfig {
  readonly database: DatabaseSettings;
}

export function catalogueConfigFrom(env: NodeJS.ProcessEnv): CatalogueConfig {
  return { database: databaseSettingsFrom(env) };
}

export interface IngestConfig {
  readonly database: DatabaseSettings;
  readonly bucket: string;
  /** Largest uploaded file ingested; bigger ones are quarantined (INGEST_MAX_BYTES, default 512 MiB). */
  readonly maxObjectBytes: number;
}

export function ingestConfigFrom(env: NodeJS.ProcessEnv): IngestConfig {
  return {
    database: databaseSettingsFrom(env),
    bucket: requiredString(env, buckets.ingest.envVar),
    maxObjectBytes: optionalInteger(env, 'INGEST_MAX_BYTES', 512 * 1024 * 1024, 1),
  };
}
