import { z } from 'zod';

import type { BookDetail, BookPage, BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';

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

/** `GET /books/{id}`: everything the book page shows. */
export const bookDetailSchema = bookSummarySchema.extend({
  titleSort: z.string(),
  authorsDetail: z.array(z.object({ id: z.string(), name: z.string() })),
  series: z.object({ id: z.string(), name: z.string(), index: z.number() }).nullable(),
  publisher: z.string().nullable(),
  pubdate: z.string().nullable(),
  rating: z.number().nullable(),
  /** Sanitised by the API with an allow-list (lambdas/src/catalogue/domain/description.ts): safe to insert. */
  descriptionHtml: z.string().nullable(),
  identifiers: z.array(z.object({ type: z.string(), value: z.string() })),
  formats: z.array(z.string()),
  hasCover: z.boolean(),
  /** Calibre's cover (public, served by the books distribution); null → the generated cover. */
  coverUrl: z.string().url().nullable(),
  audience: z.enum(['children', 'young-adult', 'adult']).nullable(),
  pageCount: z.number().nullable(),
  withdrawn: z.boolean(),
  editions: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      year: z.number().nullable(),
      publisher: z.string().nullable(),
      languages: z.array(z.string()),
    }),
  ),
}) satisfies z.ZodType<BookDetail>;

// `satisfies` catches a field the schemas forget or type wrongly; this also catches one the API does not send.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type _SchemasMatchApi = [
  Assert<Exactly<z.infer<typeof bookSummarySchema>, BookSummary>>,
  Assert<Exactly<z.infer<typeof bookPageSchema>, BookPage>>,
  Assert<Exactly<z.infer<typeof bookDetailSchema>, BookDetail>>,
];
