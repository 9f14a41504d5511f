/**
 * Where DuckDB differs from Athena for the warehouse's SQL, in one place. The shared texts in `sql/` name tables
 * (`raw_events`, `raw_recommendations`, `raw_deletions`, `dim_book`, the facts) and use Trino's functions; this module
 *
 * - binds those names to files: views over the raw newline-delimited JSON (Athena: Glue tables with a JSON SerDe and
 *   partition projection) and over the facts' Parquet (Athena: Glue tables over `warehouse/<fact>/`);
 * - adds the Trino functions DuckDB lacks, as macros with Trino's name and meaning (`from_iso8601_timestamp`);
 * - writes a fact with `COPY … PARTITION_BY (dt)` (Athena: `INSERT INTO <fact> <select>`).
 */
import { dimBookColumns } from './domain/dim-book';
import { rawTables, type RawColumnType, type RawTableName } from './lake-layout';

const duckDbTypes: Record<RawColumnType, string> = { string: 'VARCHAR', int: 'INTEGER' };

/** A SQL string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Statements run once per connection, before any warehouse SQL. */
export const sessionSetup: readonly string[] = [
  "SET TimeZone = 'UTC'",
  // Trino: from_iso8601_timestamp(varchar) -> timestamp(3) with time zone.
  'CREATE OR REPLACE MACRO from_iso8601_timestamp(text) AS CAST(text AS TIMESTAMPTZ)',
];

/** A raw table (`raw_events`, …) over the files matching `pattern`, or an empty table when none exist. */
export function rawTableView(table: RawTableName, pattern: string | null): string {
  const { columns } = rawTables[table];
  const body =
    pattern === null
      ? `SELECT ${columns.map((c) => `CAST(NULL AS ${duckDbTypes[c.type]}) AS ${c.name}`).join(', ')} WHERE false`
      : `SELECT ${columns.map((c) => `"${c.field}" AS ${c.name}`).join(', ')} FROM read_json(${quote(pattern)}, ` +
        `format = 'newline_delimited', ignore_errors = true, ` +
        `columns = {${columns.map((c) => `${quote(c.field)}: ${quote(duckDbTypes[c.type])}`).join(', ')}})`;
  return `CREATE OR REPLACE VIEW ${table} AS ${body}`;
}

/**
 * `dim_book` over the current catalogue snapshot's Parquet file (`snapshots/dim_book/current/`, as the Glue table),
 * or an empty table with its columns when there is none yet.
 */
export function dimBookView(pattern: string | null): string {
  const body =
    pattern === null
      ? `SELECT ${dimBookColumns.map((c) => `CAST(NULL AS ${c.duckDb}) AS ${c.name}`).join(', ')} WHERE false`
      : `SELECT * REPLACE (CAST(book_id AS VARCHAR) AS book_id) FROM read_parquet(${quote(pattern)})`;
  return `CREATE OR REPLACE VIEW dim_book AS ${body}`;
}

/** Writes the fact's rows as Parquet under `folder/dt=…/` (the folder's parent must exist). */
export function writeFact(select: string, folder: string): string {
  return `COPY (${select}) TO ${quote(folder)} (FORMAT parquet, PARTITION_BY (dt))`;
}

/** The fact as a table: its Parquet files, or its (empty) query when it wrote none. */
export function factView(fact: string, pattern: string | null, select: string): string {
  const body =
    pattern === null
      ? `SELECT * FROM (${select}) AS empty_fact WHERE false`
      : `SELECT * FROM read_parquet(${quote(pattern)}, hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})`;
  return `CREATE OR REPLACE VIEW ${fact} AS ${body}`;
}
