/**
 * The insights librarians see (`GET /librarian/insights/{query}`): a whitelist of the analysts' named queries, the
 * parameters each accepts from a caller, and the shape of its rows. The schemas are the contract of the API (the web
 * app imports the types); rows from either engine (Athena, DuckDB) are checked against them.
 */
import { z } from 'zod';
import type { NamedQueryName } from '../queries';

/** The named queries the insights API serves; any other name is refused (404). */
export const insightNames = [
  'ctr-by-model',
  'coverage',
  'fallback-share',
  'retention',
  'ab-compare',
] as const satisfies readonly NamedQueryName[];

export type InsightName = (typeof insightNames)[number];

export function isInsightName(name: string): name is InsightName {
  return (insightNames as readonly string[]).includes(name);
}

/** A model version as the recommender writes it (`v3`, `fallback`, `2026-03-01T03-30-00Z`…). */
const modelVersion = z
  .string()
  .trim()
  .regex(/^[\w.:+@-]{1,100}$/, 'must be a model version (letters, digits and . : + @ _ -, at most 100)');

/**
 * What a caller may pass to each query (the query string). Only parameters without a default are accepted: Athena
 * gets them as execution parameters of the saved query, whose defaults are filled in already.
 */
export const insightParameterSchemas = {
  'ctr-by-model': z.strictObject({}),
  coverage: z.strictObject({}),
  'fallback-share': z.strictObject({}),
  retention: z.strictObject({}),
  'ab-compare': z
    .strictObject({ model_a: modelVersion, model_b: modelVersion })
    .refine((value) => value.model_a !== value.model_b, { message: 'model_a and model_b must differ' }),
} as const satisfies Record<InsightName, z.ZodType<Record<string, string>>>;

export type InsightParameters<N extends InsightName> = z.output<(typeof insightParameterSchemas)[N]>;

const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** One row of each query, as `sql/<query>.sql` selects it. */
export const insightRowSchemas = {
  'ctr-by-model': z.object({
    model_version: z.string(),
    impression_day: day,
    position: count,
    impressions: count,
    clicks: count,
    ctr: share,
    conversions: count,
    conversion_rate: share,
  }),
  coverage: z.object({
    model_version: z.string(),
    catalogue_books: count,
    recommended_books: count,
    coverage: share,
    recommendations: count,
    gini: z.number().nullable(),
  }),
  'fallback-share': z.object({
    list_day: day,
    lists: count,
    fallback_lists: count,
    similar_lists: count,
    popular_lists: count,
    fallback_share: share,
  }),
  retention: z.object({ cohort_day: day, readers: count, retained: count, retention: share }),
  'ab-compare': z.object({
    model_a: z.string(),
    impressions_a: count,
    clicks_a: count,
    ctr_a: share,
    model_b: z.string(),
    impressions_b: count,
    clicks_b: count,
    ctr_b: share,
    ctr_difference: z.number(),
    ci_low: z.number(),
    ci_high: z.number(),
  }),
} as const satisfies Record<InsightName, z.ZodType>;

export type InsightRow<N extends InsightName> = z.output<(typeof insightRowSchemas)[N]>;

/** The API's answer for one query. */
export interface Insight<N extends InsightName = InsightName> {
  readonly query: N;
  readonly description: string;
  /** The parameters the query ran with (`ab-compare`'s model versions). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly rows: InsightRow<N>[];
}
