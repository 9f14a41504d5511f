/**
 * The warehouse's catalogue dimension `dim_book`: one row per catalogue book (withdrawn books too, flagged, so that
 * events about them still join), as the snapshot's Parquet file, the Glue table and DuckDB's view all declare it.
 */

/** One book of the snapshot; keys are the column names. Ids are Postgres bigints, as text (as events carry them). */
export interface DimBookRow {
  readonly book_id: string;
  /** Editions of one work share it; null while the book has no work. */
  readonly work_id: string | null;
  /** The catalogue library (Calibre library name) it came from. */
  readonly library: string;
  readonly title: string;
  /** Display names, in the book's author order. */
  readonly authors: readonly string[];
  /** Tag paths (`Fiction.Historical`), sorted. */
  readonly subjects: readonly string[];
  /** ISO 639 codes as stored. */
  readonly languages: readonly string[];
  readonly pub_year: number | null;
  readonly withdrawn: boolean;
  /** ISO 8601, UTC: when the catalogue first stored it, and last changed it. */
  readonly added_at: string;
  readonly modified_at: string;
}

export interface DimBookColumn {
  readonly name: keyof DimBookRow;
  /** Glue (Hive DDL) type. */
  readonly glue: string;
  /** DuckDB type (what the Parquet file holds). */
  readonly duckDb: string;
}

/** The snapshot's columns, in file order. */
export const dimBookColumns: readonly DimBookColumn[] = [
  { name: 'book_id', glue: 'string', duckDb: 'VARCHAR' },
  { name: 'work_id', glue: 'string', duckDb: 'VARCHAR' },
  { name: 'library', glue: 'string', duckDb: 'VARCHAR' },
  { name: 'title', glue: 'string', duckDb: 'VARCHAR' },
  { name: 'authors', glue: 'array<string>', duckDb: 'VARCHAR[]' },
  { name: 'subjects', glue: 'array<string>', duckDb: 'VARCHAR[]' },
  { name: 'languages', glue: 'array<string>', duckDb: 'VARCHAR[]' },
  { name: 'pub_year', glue: 'int', duckDb: 'INTEGER' },
  { name: 'withdrawn', glue: 'boolean', duckDb: 'BOOLEAN' },
  { name: 'added_at', glue: 'timestamp', duckDb: 'TIMESTAMP' },
  { name: 'modified_at', glue: 'timestamp', duckDb: 'TIMESTAMP' },
];
