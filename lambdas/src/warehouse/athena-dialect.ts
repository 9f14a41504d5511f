/**
 * Where Athena (Trino) differs from DuckDB for the warehouse's SQL, in one place (the DuckDB side is
 * `duckdb-dialect.ts`). The shared texts in `sql/` already are Trino SQL; here
 *
 * - a fact is an Iceberg table, rebuilt whole on each run like DuckDB's: `DELETE FROM <fact>`, then
 *   `INSERT INTO <fact> <select>` (DuckDB: remove the folder, then `COPY … PARTITION_BY (dt)`). A Hive table could
 *   only be appended to, so an hourly ETL would count every event again;
 * - the facts' Glue columns are declared (DuckDB reads them from the Parquet files), in the order of the SELECTs
 *   of `sql/<fact>.sql`, the partition column `dt` last.
 *
 * The pipelines stack renders the ETL's texts with `athenaEtlStatements()` at synth time; the local run of the same
 * state machine reads each statement back with `parseAthenaEtlStatement()` and runs it with DuckDB instead.
 */
import { readFileSync } from 'node:fs';
import {
  etlParameters,
  etlSteps,
  namedQueries,
  renderSql,
  type FactName,
  type NamedQueryName,
  type ParameterSpec,
  type ParameterValues,
} from './queries';

/** Glue column types of the facts (Hive DDL names). */
export type AthenaColumnType = 'string' | 'int' | 'timestamp';

export interface AthenaColumn {
  readonly name: string;
  readonly type: AthenaColumnType;
}

/** The facts' columns in the order their SELECT writes them, without the partition column `dt` (a string). */
export const factColumns: Readonly<Record<FactName, readonly AthenaColumn[]>> = {
  interactions: [
    { name: 'event_id', type: 'string' },
    { name: 'reader_id', type: 'string' },
    { name: 'event_type', type: 'string' },
    { name: 'book_id', type: 'string' },
    { name: 'rating', type: 'int' },
    { name: 'recommendation_id', type: 'string' },
    { name: 'position', type: 'int' },
    { name: 'model_version', type: 'string' },
    { name: 'occurred_at', type: 'timestamp' },
  ],
  recommendations_served: [
    { name: 'recommendation_id', type: 'string' },
    { name: 'reader_id', type: 'string' },
    { name: 'model_version', type: 'string' },
    { name: 'strategy', type: 'string' },
    { name: 'position', type: 'int' },
    { name: 'book_id', type: 'string' },
    { name: 'generated_at', type: 'timestamp' },
  ],
  outcomes: [
    { name: 'impression_id', type: 'string' },
    { name: 'reader_id', type: 'string' },
    { name: 'recommendation_id', type: 'string' },
    { name: 'model_version', type: 'string' },
    { name: 'position', type: 'int' },
    { name: 'book_id', type: 'string' },
    { name: 'impression_at', type: 'timestamp' },
    { name: 'clicked', type: 'int' },
    { name: 'opened', type: 'int' },
    { name: 'borrowed', type: 'int' },
    { name: 'finished', type: 'int' },
    { name: 'rated', type: 'int' },
  ],
};

/** The partition column of every fact. */
export const factPartitionColumn = 'dt';

/** Writes the fact's rows into its Glue table (partition `dt` from the SELECT's last column). */
export function insertFact(fact: FactName, select: string): string {
  return `INSERT INTO ${fact}\n${select.trim()}`;
}

/** Empties the fact's (Iceberg) table before it is rebuilt. */
export function clearFact(fact: FactName): string {
  return `DELETE FROM ${fact}`;
}

export interface AthenaEtlStatement {
  readonly fact: FactName;
  /** `DELETE FROM <fact>`. */
  readonly clear: string;
  /** `INSERT INTO <fact> <select>`. */
  readonly build: string;
}

/** What an ETL statement does, read back from its text (local runs). */
export type ParsedEtlStatement =
  | { readonly action: 'clear'; readonly fact: FactName }
  | { readonly action: 'build'; readonly fact: FactName; readonly select: string };

/**
 * The ETL as Athena runs it: one INSERT per fact, in the order of `etlSteps`. Synchronous, for the CDK app (which
 * renders the texts into the state machine at synth time).
 */
export function athenaEtlStatements(values: ParameterValues = {}): AthenaEtlStatement[] {
  return etlSteps.map((step) => {
    const select = renderSql(
      readFileSync(new URL(`./sql/${step.file}`, import.meta.url), 'utf8'),
      etlParameters,
      values,
    );
    return { fact: step.fact, clear: clearFact(step.fact), build: insertFact(step.fact, select) };
  });
}

/** An ETL statement of `athenaEtlStatements()` read back (its SELECT is the shared text), or null for any other. */
export function parseAthenaEtlStatement(sql: string): ParsedEtlStatement | null {
  const build = /^INSERT INTO (\w+)\n([\s\S]+)$/.exec(sql);
  const clear = /^DELETE FROM (\w+)$/.exec(sql);
  const fact = etlSteps.find((step) => step.fact === (build ?? clear)?.[1])?.fact;
  if (!fact) return null;
  return build ? { action: 'build', fact, select: build[2]! } : { action: 'clear', fact };
}

export interface AthenaNamedQuery {
  readonly name: NamedQueryName;
  readonly description: string;
  readonly sql: string;
  /** The parameters without a default, in the order of the text's `?` (Athena's execution parameters). */
  readonly executionParameters: readonly string[];
}

/** The folder of the `.sql` texts beside this module (a bundled function gets them beside its bundle instead). */
export const sqlFolder = new URL('./sql/', import.meta.url);

/**
 * The analysts' named queries as saved in Athena: the same texts as `npm run warehouse` runs, parameters with a
 * default filled with it, those without one (`ab-compare`'s model versions) left as `?` execution parameters.
 * `folder` holds the `<name>.sql` files (default: `sql/` beside this module); `names` limits which are read.
 */
export function athenaNamedQueries(
  folder: URL = sqlFolder,
  names: readonly NamedQueryName[] = Object.keys(namedQueries) as NamedQueryName[],
): AthenaNamedQuery[] {
  return names.map((name) => {
    const query = namedQueries[name];
    const parameters: Readonly<Record<string, ParameterSpec>> = query.parameters;
    const text = readFileSync(new URL(`${name}.sql`, folder), 'utf8');
    const executionParameters: string[] = [];
    const open = text
      .split('\n')
      .map((line) =>
        line.replace(/\{\{(\w+)\}\}/g, (placeholder, parameter: string) => {
          if (parameters[parameter]?.default !== undefined) return placeholder;
          if (line.trimStart().startsWith('--')) return `<${parameter}>`;
          executionParameters.push(parameter);
          return '?';
        }),
      )
      .join('\n');
    const sql = renderSql(open, parameters);
    const order = executionParameters.length > 0 ? ` Execution parameters: ${executionParameters.join(', ')}.` : '';
    return { name, description: `${query.description}.${order}`, sql, executionParameters };
  });
}
