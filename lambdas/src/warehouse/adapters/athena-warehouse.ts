/**
 * The named queries run by Athena, in the pipelines' workgroup (which enforces the encrypted results location and
 * the bytes-scanned cutoff) against the warehouse's Glue database. The SQL is the saved named query's
 * (`athenaNamedQueries()`: defaults filled in, the other parameters as `?`); the caller's values go in as execution
 * parameters, quoted as SQL string literals. The client is injected (AWS, LocalStack or a test's fake alike).
 *
 * StartQueryExecution → GetQueryExecution until the query is done, for at most `maxWaitMs` (the query is stopped
 * past it) → GetQueryResults, page by page, up to `maxRows`; each value typed by its column (numbers, booleans,
 * text; null when absent).
 */
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type Row as AthenaRow,
} from '@aws-sdk/client-athena';
import { ShelfwiseError } from '../../shared/errors';
import type { AthenaNamedQuery } from '../athena-dialect';
import type { Warehouse, WarehouseRow } from '../ports';
import type { NamedQueryName } from '../queries';

/** Athena failed or cancelled the query; `cause` carries its reason (logged, never shown to callers). */
export class WarehouseQueryError extends ShelfwiseError {}

/** The query did not finish within the wait; it was stopped. */
export class WarehouseTimeoutError extends ShelfwiseError {}

export interface AthenaWarehouseOptions {
  readonly client: Pick<AthenaClient, 'send'>;
  readonly workGroup: string;
  readonly database: string;
  /** The saved named queries (athena-dialect.ts `athenaNamedQueries()`). */
  readonly queries: readonly AthenaNamedQuery[];
  /** @default 20000 (an API behind API Gateway has 29 s) */
  readonly maxWaitMs?: number;
  /** First wait between two polls, doubled up to 1 s. @default 200 */
  readonly pollMs?: number;
  /** @default 10000 */
  readonly maxRows?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

const numericTypes = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'real', 'float', 'decimal']);

/** A value of Athena's result set (always text) as the column's type says. */
export function typedValue(text: string | undefined, column: ColumnInfo | undefined): string | number | boolean | null {
  if (text === undefined) return null;
  const type = column?.Type?.toLowerCase() ?? 'varchar';
  if (numericTypes.has(type)) return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

/** A string as a SQL literal, as Athena's execution parameters take them. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export class AthenaWarehouse implements Warehouse {
  private readonly queries: ReadonlyMap<NamedQueryName, AthenaNamedQuery>;

  constructor(private readonly options: AthenaWarehouseOptions) {
    this.queries = new Map(options.queries.map((query) => [query.name, query]));
  }

  async runNamedQuery(name: NamedQueryName, values: Readonly<Record<string, string>>): Promise<WarehouseRow[]> {
    const query = this.queries.get(name);
    if (!query) throw new WarehouseQueryError(`The named query ${name} is not among the saved queries`);
    const missing = query.executionParameters.filter((parameter) => values[parameter] === undefined);
    if (missing.length > 0) throw new WarehouseQueryError(`${name} needs ${missing.join(', ')}`);
    const parameters = query.executionParameters.map((parameter) => sqlString(values[parameter]!));
    const started = await this.options.client.send(
      new StartQueryExecutionCommand({
        QueryString: query.sql,
        WorkGroup: this.options.workGroup,
        QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: this.options.database },
        ...(parameters.length > 0 ? { ExecutionParameters: parameters } : {}),
      }),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new WarehouseQueryError(`Athena returned no query execution id for ${name}`);
    await this.waitFor(name, id);
    return this.results(id);
  }

  private async waitFor(name: NamedQueryName, id: string): Promise<void> {
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
    const deadline = now() + (this.options.maxWaitMs ?? 20_000);
    let pause = this.options.pollMs ?? 200;
    for (;;) {
      const { QueryExecution } = await this.options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = QueryExecution?.Status?.StateChangeReason ?? QueryExecution?.Status?.AthenaError?.ErrorMessage;
        throw new WarehouseQueryError(`Athena query ${name} (${id}) ${state.toLowerCase()}`, { cause: reason });
      }
      if (now() + pause > deadline) {
        await this.options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
        throw new WarehouseTimeoutError(`Athena query ${name} (${id}) did not finish in time; it was stopped`);
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 1000);
    }
  }

  private async results(id: string): Promise<WarehouseRow[]> {
    const maxRows = this.options.maxRows ?? 10_000;
    const rows: WarehouseRow[] = [];
    let columns: ColumnInfo[] = [];
    let nextToken: string | undefined;
    let first = true;
    do {
      const page = await this.options.client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: nextToken }),
      );
      if (first) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      // The first row of the first page repeats the column names (a SELECT's header).
      const data: AthenaRow[] = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0);
      for (const row of data) {
        if (rows.length >= maxRows) return rows;
        rows.push(
          Object.fromEntries(
            columns.map((column, i) => [column.Name ?? `_col${i}`, typedValue(row.Data?.[i]?.VarCharValue, column)]),
          ),
        );
      }
      first = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }
}
