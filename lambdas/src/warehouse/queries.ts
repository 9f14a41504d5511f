/**
 * The warehouse's SQL: the ETL steps that build the facts and the named queries analysts run, each ONE text in
 * `sql/` that both Athena (Trino) and DuckDB run. The texts use only what both engines accept; the few differences
 * (how the raw files and facts are bound to table names, `from_iso8601_timestamp`, how a fact is written) live in
 * the engine bindings (`duckdb-dialect.ts`; the Athena side comes with the Glue tables).
 *
 * Parameters are `{{name}}` placeholders, filled here with validated literals (the same for both engines).
 */
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../shared/errors';

export type ParameterKind = 'days' | 'text';

export interface ParameterSpec {
  readonly kind: ParameterKind;
  readonly default?: number | string;
  readonly description: string;
}

export type ParameterValues = Readonly<Record<string, string | number | undefined>>;

/** Settings of the ETL itself. */
export const etlParameters = {
  attribution_days: {
    kind: 'days',
    default: 7,
    description: 'Days after an impression during which a click, open, borrow, finish or rating is credited to it',
  },
} as const satisfies Record<string, ParameterSpec>;

/** The facts, in the order the ETL builds them (`outcomes` reads `interactions`). */
export const etlSteps = [
  { fact: 'interactions', file: 'interactions.sql' },
  { fact: 'recommendations_served', file: 'recommendations_served.sql' },
  { fact: 'outcomes', file: 'outcomes.sql' },
] as const;

export type FactName = (typeof etlSteps)[number]['fact'];

export const namedQueries = {
  'ctr-by-model': {
    description: 'Click-through and conversion (borrow) of recommendations by model version, day and position',
    parameters: {},
  },
  coverage: {
    description: 'Catalogue coverage and Gini concentration of recommended books, by model version',
    parameters: {},
  },
  'coverage-by-subject': {
    description: 'Share of each subject of the catalogue (dim_book, not withdrawn) recommended, by model version',
    parameters: {},
  },
  'fallback-share': {
    description: 'Share of served lists made by a fallback instead of the policy, by day',
    parameters: {},
  },
  retention: {
    description: 'Readers active again N or more days after the day they were first seen, by cohort day',
    parameters: {
      retention_days: { kind: 'days', default: 7, description: 'Days after the first day that count as a return' },
    },
  },
  'ab-compare': {
    description: 'CTR of two model versions: difference B - A with a 95 % confidence interval (normal approximation)',
    parameters: {
      model_a: { kind: 'text', description: 'Model version A (the control)' },
      model_b: { kind: 'text', description: 'Model version B (the candidate)' },
    },
  },
} as const satisfies Record<string, { description: string; parameters: Record<string, ParameterSpec> }>;

export type NamedQueryName = keyof typeof namedQueries;

export function isNamedQuery(name: string): name is NamedQueryName {
  return Object.hasOwn(namedQueries, name);
}

/** The SQL text of an ETL step or a named query, as saved (placeholders unfilled). */
export async function readSql(name: FactName | NamedQueryName): Promise<string> {
  return readFile(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
}

function literal(name: string, spec: ParameterSpec, value: string | number): string {
  if (spec.kind === 'days') {
    const days = Number(value);
    if (!Number.isInteger(days) || days < 0 || days > 3650) {
      throw new ValidationError(`Parameter ${name} must be a whole number of days from 0 to 3650, got "${value}"`);
    }
    return String(days);
  }
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Fills each `{{name}}` with its value (or default) as a literal; a missing or undeclared parameter is an error. */
export function renderSql(
  text: string,
  parameters: Readonly<Record<string, ParameterSpec>>,
  values: ParameterValues = {},
): string {
  const unknown = Object.keys(values).filter((name) => !Object.hasOwn(parameters, name));
  if (unknown.length > 0) throw new ValidationError(`Unknown parameter(s): ${unknown.join(', ')}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const spec = parameters[name];
    if (!spec) throw new ValidationError(`The SQL uses parameter ${name}, which is not declared`);
    const value = values[name] ?? spec.default;
    if (value === undefined) throw new ValidationError(`Parameter ${name} is required: ${spec.description}`);
    return literal(name, spec, value);
  });
}
