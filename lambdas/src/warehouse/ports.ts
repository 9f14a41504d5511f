/** What the warehouse needs from the outside world. Adapters: S3 (the lake bucket), Postgres (the catalogue). */
import type { RecommendationList } from '../recommendations/domain/recommendation';
import type { DimBookRow } from './domain/dim-book';

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
