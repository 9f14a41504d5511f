/**
 * Read one insight for the librarians' page.
 *
 * 1. The query must be one of the insights' whitelist (`insightNames`), else NotFoundError.
 * 2. Its parameters are checked against the query's schema (unknown ones refused), else ValidationError.
 * 3. The warehouse runs the saved named query with them (Athena in the cloud, DuckDB locally).
 * 4. Every row is checked against the query's row schema, so the API answers the same typed rows from both engines
 *    (a row that does not fit is a WarehouseResultError: the SQL and the schema disagree).
 */
import { NotFoundError, ShelfwiseError, ValidationError } from '../../shared/errors';
import {
  insightParameterSchemas,
  insightRowSchemas,
  isInsightName,
  type Insight,
  type InsightName,
  type InsightRow,
} from '../domain/insights';
import type { Warehouse } from '../ports';
import { namedQueries } from '../queries';

/** The warehouse answered rows that do not have the query's shape. */
export class WarehouseResultError extends ShelfwiseError {}

export interface ReadInsightDependencies {
  readonly warehouse: Warehouse;
}

export async function readInsight(
  deps: ReadInsightDependencies,
  query: string,
  parameters: Readonly<Record<string, unknown>>,
): Promise<Insight> {
  if (!isInsightName(query)) throw new NotFoundError(`No insight named "${query}"`);
  const name: InsightName = query;
  const parsed = insightParameterSchemas[name].safeParse(parameters);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw new ValidationError(`Invalid parameters of ${name}: ${issues.join('; ')}`, issues);
  }
  const values: Record<string, string> = parsed.data;
  const rows = await deps.warehouse.runNamedQuery(name, values);
  const schema = insightRowSchemas[name];
  const typed = rows.map((row, index) => {
    const checked = schema.safeParse(row);
    if (!checked.success) {
      throw new WarehouseResultError(`Row ${index} of ${name} does not fit its schema`, { cause: checked.error });
    }
    return checked.data as InsightRow<typeof name>;
  });
  return { query: name, description: namedQueries[name].description, parameters: values, rows: typed };
}
