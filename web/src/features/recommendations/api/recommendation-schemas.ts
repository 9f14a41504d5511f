import { z } from 'zod';

import type { ServedBook, ServedList } from '@shelfwise/lambdas/recommendations/use-cases/read-recommendations';

import { bookSummarySchema } from '../../../lib/book-summary-schema';

/*
 * The recommendations API's answers, checked at the edge. The types come from the lambdas workspace (type-only) and
 * `satisfies` makes `tsc` fail as soon as these schemas stop matching them.
 */

const because = z.object({ id: z.string(), title: z.string() }).optional();

export const reasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('policy'), becauseBookId: z.string().optional(), because }),
  z.object({ kind: z.literal('similar'), becauseBookId: z.string(), because }),
  z.object({ kind: z.literal('same-series'), becauseBookId: z.string(), because }),
  z.object({ kind: z.literal('same-author'), becauseBookId: z.string(), because }),
  z.object({ kind: z.literal('popular'), because }),
]);

export const servedBookSchema = z.object({
  book: bookSummarySchema,
  position: z.number().int().nonnegative(),
  score: z.number(),
  reason: reasonSchema,
}) satisfies z.ZodType<ServedBook>;

/** `GET /readers/{readerId}/recommendations`. */
export const servedListSchema = z.object({
  readerId: z.string(),
  recommendationId: z.string(),
  modelVersion: z.string(),
  strategy: z.enum(['policy', 'similar', 'popular']),
  generatedAt: z.string(),
  items: z.array(servedBookSchema),
  /** Made on the spot for a reader with no stored list yet: the recommender's list may be on its way. */
  provisional: z.literal(true).optional(),
}) satisfies z.ZodType<ServedList>;

/** `GET /books/{bookId}/similar`. */
export const similarBooksSchema = z.object({
  bookId: z.string(),
  items: z.array(servedBookSchema),
});

export type RecommendationList = z.infer<typeof servedListSchema>;
export type RecommendedBook = z.infer<typeof servedBookSchema>;
export type RecommendationReason = z.infer<typeof reasonSchema>;
export type SimilarBooks = z.infer<typeof similarBooksSchema>;
