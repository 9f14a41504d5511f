/** Configuration of the catalogue functions, read once at cold start. */
import { optionalInteger, optionalString, requiredString } from '../shared/config';
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';
import { buckets } from '../shared/infrastructure';

/** The variable naming where covers are served (set by the books distribution's `bindCovers`, or `npm start`). */
export const coversBaseUrlEnv = 'COVERS_BASE_URL';

export interface CatalogueConfig {
  readonly database: DatabaseSettings;
  /**
   * Where book covers are served without a signature (COVERS_BASE_URL: the books distribution in the cloud, the local
   * files route locally); without it books have no cover URL and the web app draws their covers.
   */
  readonly coversBaseUrl: string | undefined;
}

export function catalogueConfigFrom(env: NodeJS.ProcessEnv): CatalogueConfig {
  return { database: databaseSettingsFrom(env), coversBaseUrl: optionalString(env, coversBaseUrlEnv) };
}

export interface IngestConfig {
  readonly database: DatabaseSettings;
  readonly bucket: string;
  /** Largest uploaded file ingested; bigger ones are quarantined (INGEST_MAX_BYTES, default 512 MiB). */
  readonly maxObjectBytes: number;
  /** The books bucket, where book files go (BOOKS_BUCKET); without it the ingest stores no book files. */
  readonly booksBucket: string | undefined;
  /** Largest book file stored; bigger ones are refused in the run's report (BOOK_FILE_MAX_BYTES, default 100 MiB). */
  readonly maxBookFileBytes: number;
}

export function ingestConfigFrom(env: NodeJS.ProcessEnv): IngestConfig {
  return {
    database: databaseSettingsFrom(env),
    bucket: requiredString(env, buckets.ingest.envVar),
    maxObjectBytes: optionalInteger(env, 'INGEST_MAX_BYTES', 512 * 1024 * 1024, 1),
    booksBucket: optionalString(env, buckets.books.envVar),
    maxBookFileBytes: optionalInteger(env, 'BOOK_FILE_MAX_BYTES', 100 * 1024 * 1024, 1),
  };
}
