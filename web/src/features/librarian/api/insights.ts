import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';

import type { InsightRow } from '@shelfwise/lambdas/warehouse/domain/insights';

import type { ApiClient } from '../../../lib/api-client';

/* Librarians' insights API (lambdas/src/warehouse/handlers/insights-api.ts): the warehouse's named queries. */

const ctrRowSchema = z.object({
  model_version: z.string(),
  impression_day: z.string(),
  position: z.number(),
  impressions: z.number(),
  clicks: z.number(),
  ctr: z.number(),
  conversions: z.number(),
  conversion_rate: z.number(),
}) satisfies z.ZodType<InsightRow<'ctr-by-model'>>;

const coverageRowSchema = z.object({
  model_version: z.string(),
  catalogue_books: z.number(),
  recommended_books: z.number(),
  coverage: z.number(),
  recommendations: z.number(),
  gini: z.number().nullable(),
}) satisfies z.ZodType<InsightRow<'coverage'>>;

const insightSchema = <Row extends z.ZodType>(row: Row) =>
  z.object({ query: z.string(), description: z.string(), rows: z.array(row) });

export type CtrRow = z.infer<typeof ctrRowSchema>;
export type CoverageRow = z.infer<typeof coverageRowSchema>;

/** `GET /librarian/insights/ctr-by-model`: click-through and conversion by model version, day and position. */
export function ctrByModelQueryOptions(api: ApiClient) {
  return queryOptions({
    queryKey: ['librarian', 'insights', 'ctr-by-model'],
    queryFn: ({ signal }) => api.get('/librarian/insights/ctr-by-model', insightSchema(ctrRowSchema), { signal }),
    staleTime: 60_000,
  });
}

/** `GET /librarian/insights/coverage`: the share of the catalogue each model version recommends, and its Gini. */
export function coverageQueryOptions(api: ApiClient) {
  return queryOptions({
    queryKey: ['librarian', 'insights', 'coverage'],
    queryFn: ({ signal }) => api.get('/librarian/insights/coverage', insightSchema(coverageRowSchema), { signal }),
    staleTime: 60_000,
  });
}
