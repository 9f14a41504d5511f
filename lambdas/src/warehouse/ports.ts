/**
 * What the warehouse needs from the outside world. Adapters: S3 (the lake bucket), Postgres (the catalogue), Athena or
 * DuckDB (the named queries).
 */
import type { RecommendationList } from '../recommendations/domain/recommendation';
import type { DimBookRow } from './domain/dim-book';
import type { NamedQueryName } from './queries';

/** Keeps every served recommendation list in the lake (`raw/recommendations/…`). */
export interface ServedRecommendationsArchive {
  archive(lists: readonly RecommendationList[]): Promise<void>;
}

/** The catalogue as the warehouse sees it: every book, withdrawn ones included. */
export interface CatalogueSnapshotSource {
  readBooks(): Promise<DimBookRow[]>;
}

/** Encodes the catalogue snapshot as one Parquet file (the columns of `dimBookColumns`). */
export interface DimBookParquetEncoder {
  encode(rows: readonly DimBookRow[]): Promise<Uint8Array>;
}

/** Writes objects into the lake bucket. */
export interface LakeObjectWriter {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
}

/** A result row: column name → value (numbers for numeric columns, text for dates and timestamps). */
export type WarehouseRow = Record<string, string | number | boolean | null>;

/**
 * Runs the analysts' named queries (`sql/<name>.sql`) over the facts: Athena in the cloud (the pipelines'
 * workgroup and Glue database), DuckDB over the local lake. `values` are the query's parameters without a default
 * (`ab-compare`'s model versions); the others keep their defaults.
 */
export interface Warehouse {
  runNamedQuery(name: NamedQueryName, values: Readonly<Record<string, string>>): Promise<WarehouseRow[]>;
}
