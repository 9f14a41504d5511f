import { z } from 'zod';

import type { BookPage, BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';

import { bookSummarySchema } from '../../../lib/book-summary-schema';

/*
 * The API's shapes are defined once, by the lambdas workspace; the web app imports them type-only so no server code
 * can reach the bundle. These schemas check responses at the edge, and `satisfies` makes `tsc` fail as soon as
 * they stop matching the API's types.
 */

export const bookPageSchema = z.object({
  items: z.array(bookSummarySchema),
  total: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
  nextCursor: z.string().nullable(),
}) satisfies z.ZodType<BookPage>;

// `satisfies` catches a field the schemas forget or type wrongly; this also catches one the API does not send.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type _SchemasMatchApi = [
  Assert<Exactly<z.infer<typeof bookSummarySchema>, BookSummary>>,
  Assert<Exactly<z.infer<typeof bookPageSchema>, BookPage>>,
];
