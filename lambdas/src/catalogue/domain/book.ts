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
});
export type BookSummary = z.infer<typeof bookSummarySchema>;

export const bookPageSchema = z.object({
  items: z.array(bookSummarySchema),
  total: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
});
export type BookPage = z.infer<typeof bookPageSchema>;

export const listBooksQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  offset: z.coerce.number().int().min(0).default(0),
  language: z
    .string()
    .regex(/^[a-z]{3}$/, 'language must be a three-letter ISO 639-2 code such as "eng", "fra" or "vie"')
    .optional(),
});
export type ListBooksQuery = z.infer<typeof listBooksQuerySchema>;
