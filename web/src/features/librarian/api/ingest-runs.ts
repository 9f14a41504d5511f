import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';

import type { IngestReport, IngestRun } from '@shelfwise/lambdas/catalogue/ports';

import type { ApiClient } from '../../../lib/api-client';

/* Librarians' catalogue API (lambdas/src/catalogue/handlers/librarian-api.ts): ingest runs and their reports. */

const ingestReportSchema = z.object({
  rejected: z.array(z.object({ at: z.string(), reason: z.string() })).optional(),
  warnings: z.array(z.object({ at: z.string(), message: z.string() })).optional(),
  error: z.string().optional(),
  quarantine: z.object({ key: z.string(), reportKey: z.string() }).optional(),
  format: z.string().optional(),
  files: z.object({ covers: z.number() }).optional(),
}) satisfies z.ZodType<IngestReport>;

export const ingestRunSchema = z.object({
  id: z.string(),
  library: z.string(),
  sourceKey: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'quarantined']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  counts: z.object({
    added: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    withdrawn: z.number(),
    rejected: z.number(),
  }),
  report: ingestReportSchema,
}) satisfies z.ZodType<IngestRun>;

export const ingestRunPageSchema = z.object({
  items: z.array(ingestRunSchema),
  nextBefore: z.string().nullable(),
});

export type IngestRunView = z.infer<typeof ingestRunSchema>;

/** `GET /librarian/ingest-runs?limit=&before=`: newest first; `before` is the previous page's `nextBefore`. */
export function ingestRunsQueryOptions(api: ApiClient, before: string | null, limit = 20) {
  return queryOptions({
    queryKey: ['librarian', 'ingest-runs', before, limit],
    queryFn: ({ signal }) =>
      api.get('/librarian/ingest-runs', ingestRunPageSchema, { query: { limit, before }, signal }),
    staleTime: 10_000,
  });
}

/** `GET /librarian/ingest-runs/{runId}`: one run with its whole report. */
export function ingestRunQueryOptions(api: ApiClient, runId: string) {
  return queryOptions({
    queryKey: ['librarian', 'ingest-run', runId],
    queryFn: ({ signal }) =>
      api.get(`/librarian/ingest-runs/${encodeURIComponent(runId)}`, ingestRunSchema, { signal }),
    staleTime: 10_000,
  });
}
