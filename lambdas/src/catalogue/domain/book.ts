import { z } from 'zod';

/** A book as the reader-facing API shows it in lists. The web app imports these types (type-only). */
export const bookSummarySchema = z.object({
  /** Catalogue id (a Postgres bigint, sent as a string). */
  id: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  /** Year of first publication; null when unknown. Negative for BCE. */
  year: z.number().int().nullable(),
  /** ISO 639 language codes. */
  languages: z.array(z.string()),
  subjects: z.array(z.string()),
  /** Plain-text description, or null. */
  description: z.string().nullable(),
  /**
   * Calibre's cover (a public URL, no loan needed); null when the library has none: draw one instead. Given by the
   * catalogue's own answers (books, a book, a series); absent from summaries other features embed.
   */
  coverUrl: z.string().nullable().optional(),
});
export type BookSummary = z.infer<typeof bookSummarySchema>;

export const bookPageSchema = z.object({
  items: z.array(bookSummarySchema),
  /** How many books match the query in all. */
  total: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
  /** Pass as `cursor` to get the next page; stable while books are added or withdrawn. Null on the last page. */
  nextCursor: z.string().nullable(),
});
export type BookPage = z.infer<typeof bookPageSchema>;

const id = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a catalogue id');
const year = z.coerce.number().int().min(-3000).max(3000);

export const listBooksQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  /** Offset paging (for page numbers); `cursor` is the stable alternative. */
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  cursor: z.string().max(500).optional(),
  /** Full-text search over title, authors, subjects and description; accents optional. */
  q: z.string().trim().min(1).max(200).optional(),
  language: z
    .string()
    .regex(/^[a-z]{3}$/, 'language must be a three-letter ISO 639-2 code such as "eng", "fra" or "vie"')
    .optional(),
  authorId: id.optional(),
  seriesId: id.optional(),
  /** A tag path; its sub-tags match too (`Fiction` matches `Fiction.Science Fiction`). */
  tag: z.string().trim().min(1).max(200).optional(),
  yearFrom: year.optional(),
  yearTo: year.optional(),
  /**
   * Order: `title` (A to Z), `popular` (most read lately first: readers' events, decayed over days, the same
   * popularity the recommender's fallback uses) or `added` (newest in the catalogue first). @default relevance with
   * `q`, else `title`
   */
  sort: z.enum(['title', 'popular', 'added']).optional(),
});
export type ListBooksQuery = z.infer<typeof listBooksQuerySchema>;

export const bookDetailSchema = bookSummarySchema.extend({
  titleSort: z.string(),
  authorsDetail: z.array(z.object({ id: z.string(), name: z.string() })),
  series: z.object({ id: z.string(), name: z.string(), index: z.number() }).nullable(),
  publisher: z.string().nullable(),
  /** YYYY-MM-DD when known. */
  pubdate: z.string().nullable(),
  /** 0–10 (half stars ×2). */
  rating: z.number().nullable(),
  /** Sanitised HTML, safe to insert into a page. */
  descriptionHtml: z.string().nullable(),
  identifiers: z.array(z.object({ type: z.string(), value: z.string() })),
  formats: z.array(z.string()),
  hasCover: z.boolean(),
  /** Calibre's cover (a public URL, no loan needed); null when the library has none: draw one instead. */
  coverUrl: z.string().nullable(),
  audience: z.enum(['children', 'young-adult', 'adult']).nullable(),
  pageCount: z.number().nullable(),
  /** The source library no longer lists it; kept because loans and history may refer to it. */
  withdrawn: z.boolean(),
  /** Other editions of the same work. */
  editions: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      year: z.number().nullable(),
      publisher: z.string().nullable(),
      languages: z.array(z.string()),
    }),
  ),
});
export type BookDetail = z.infer<typeof bookDetailSchema>;

export const authorSchema = z.object({
  id: z.string(),
  name: z.string(),
  sort: z.string(),
  /** Every spelling the sources used. */
  aliases: z.array(z.string()),
  bookCount: z.number().int(),
});
export type Author = z.infer<typeof authorSchema>;

export const listAuthorsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** Authors whose sort name comes after this one (from the previous page's `nextCursor`). */
  cursor: z.string().max(500).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});
export type ListAuthorsQuery = z.infer<typeof listAuthorsQuerySchema>;

export const authorPageSchema = z.object({ items: z.array(authorSchema), nextCursor: z.string().nullable() });
export type AuthorPage = z.infer<typeof authorPageSchema>;

export const seriesSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** In series order. */
  books: z.array(bookSummarySchema.extend({ seriesIndex: z.number() })),
});
export type Series = z.infer<typeof seriesSchema>;
