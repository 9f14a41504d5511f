import { z } from 'zod';

/**
 * One book of a source library, cleaned and ready to store: what the Calibre parsers produce after cleaning and what
 * the demo catalogue is made of. Authors are still spellings as the source gives them; `prepareLibrary` merges them
 * and groups editions into works across the whole library.
 */
export const catalogueInputSchema = z.object({
  /** The source's own stable id (Calibre's uuid, or the demo catalogue's key). */
  sourceId: z.string().min(1),
  title: z.string().trim().min(1, 'title must not be empty'),
  titleSort: z.string().nullable(),
  authors: z
    .array(z.object({ name: z.string().trim().min(1), sort: z.string().nullable() }))
    .min(1, 'a book needs at least one author'),
  /** Year of first publication (negative for BCE); null when unknown. */
  year: z.number().int().min(-3000).max(3000).nullable(),
  /** Publication date (YYYY-MM-DD) when the source has a real one. */
  pubdate: z.iso.date().nullable(),
  languages: z.array(z.string().regex(/^[a-z]{3}$/, 'languages are three-letter ISO 639 codes')),
  /** Tags; hierarchical tags keep their path (`Fiction.Science Fiction`). */
  subjects: z.array(z.string().trim().min(1)),
  audience: z.enum(['children', 'young-adult', 'adult']).nullable(),
  pageCount: z.number().int().positive().nullable(),
  series: z.object({ name: z.string().trim().min(1), index: z.number().nonnegative() }).nullable(),
  publisher: z.string().trim().min(1).nullable(),
  identifiers: z.array(z.object({ type: z.string().min(1), value: z.string().min(1) })),
  /** 0–10 (half stars ×2). */
  rating: z.number().int().min(0).max(10).nullable(),
  descriptionText: z.string().nullable(),
  /** Sanitised HTML, safe to display. */
  descriptionHtml: z.string().nullable(),
  customColumns: z.record(z.string(), z.unknown()),
  formats: z.array(z.string()),
  hasCover: z.boolean(),
  /** When the source last changed the book (ISO 8601). */
  lastModified: z.string().nullable(),
});
export type CatalogueInput = z.infer<typeof catalogueInputSchema>;

/** An author after merging: one key per person, the display spelling, the sort, and the spelling this book used. */
export interface RecordAuthor {
  readonly key: string;
  readonly name: string;
  readonly sort: string;
}

/** A book ready for the repository: authors merged, work assigned. */
export interface CatalogueRecord extends Omit<CatalogueInput, 'authors'> {
  readonly authors: readonly RecordAuthor[];
  readonly workKey: string;
}

/** Every spelling of each author seen in the library, to keep as aliases. */
export type AuthorAliases = ReadonlyMap<string, readonly string[]>;
