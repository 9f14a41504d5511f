import { z } from 'zod';

import type { BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';

/**
 * The book summary every API answer embeds (catalogue pages, recommendations, similar books). Its type comes from the
 * lambdas workspace, imported type-only; `satisfies` makes `tsc` fail as soon as the two stop matching.
 */
export const bookSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  year: z.number().int().nullable(),
  languages: z.array(z.string()),
  subjects: z.array(z.string()),
  description: z.string().nullable(),
  /** Calibre's cover, public; null or absent → the generated cover. */
  coverUrl: z.string().url().nullable().optional(),
}) satisfies z.ZodType<BookSummary>;
