import { z } from 'zod';

/**
 * One book as a source library describes it, after parsing and before it lands in Postgres. The Calibre importer
 * and the demo catalogue both produce these; `upsert-library` stores them.
 */
export const catalogueRecordSchema = z.object({
  /** The source's own stable id (Calibre's uuid, or the demo catalogue's key). */
  sourceId: z.string().min(1),
  title: z.string().trim().min(1, 'title must not be empty'),
  authors: z.array(z.string().trim().min(1)).min(1, 'a book needs at least one author'),
  year: z.number().int().min(-3000).max(3000).nullable(),
  languages: z.array(z.string().regex(/^[a-z]{3}$/, 'languages are three-letter ISO 639-2 codes')),
  subjects: z.array(z.string().trim().min(1)),
  audience: z.enum(['children', 'young-adult', 'adult']).nullable(),
  pageCount: z.number().int().positive().nullable(),
  series: z.object({ name: z.string().trim().min(1), index: z.number().nonnegative() }).nullable(),
  descriptionText: z.string().nullable(),
  descriptionHtml: z.string().nullable(),
});
export type CatalogueRecord = z.infer<typeof catalogueRecordSchema>;
