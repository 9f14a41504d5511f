/**
 * The demo catalogue that `npm start` loads when no Calibre library is given: public-domain classics with real
 * bibliographic facts and descriptions written for Shelfwise (catalogue/*.json beside this file).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { CatalogueInput } from '@shelfwise/lambdas/catalogue/domain/catalogue-record';

export const demoLibraryName = 'demo';

/** The demo catalogue's subjects: a closed list, so books that share a subject really share it. */
export const demoSubjects = [
  'Fiction',
  'Poetry',
  'Drama',
  'Short stories',
  'Essays',
  'Philosophy',
  'History',
  'Biography',
  'Memoir',
  'Science',
  'Nature',
  'Travel',
  'Religion',
  'Mythology',
  'Politics',
  'Economics',
  'Adventure',
  'Romance',
  'Science fiction',
  'Fantasy',
  'Mystery',
  'Detective',
  'Horror',
  'Gothic',
  'Satire',
  'Humor',
  'War',
  'Sea stories',
  'Westerns',
  'Coming of age',
  'Family',
  'Social criticism',
  'Psychology',
  "Children's literature",
  'Fairy tales',
  'Animals',
  'School stories',
  'Epic',
  'Tragedy',
  'Comedy',
  'Letters',
  'Classics of science',
  'Exploration',
  'Utopia and dystopia',
] as const;

const demoBookSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  authors: z.array(z.string().min(1)).min(1),
  year: z.number().int(),
  language: z.string().regex(/^[a-z]{3}$/),
  subjects: z.array(z.enum(demoSubjects)).min(1).max(5),
  audience: z.enum(['children', 'young-adult', 'adult']),
  pages: z.number().int().positive(),
  series: z.object({ name: z.string().min(1), index: z.number().nonnegative() }).optional(),
  description: z
    .string()
    .min(1)
    .refine((text) => text === text.normalize('NFC'), 'text must be Unicode NFC'),
});
export type DemoBook = z.infer<typeof demoBookSchema>;

export const demoCatalogueDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../demo/catalogue');

export async function readDemoCatalogue(dir = demoCatalogueDir): Promise<DemoBook[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  const books: DemoBook[] = [];
  for (const file of files) {
    const parsed = z.array(demoBookSchema).safeParse(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `Demo catalogue file ${file} is invalid: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
    }
    books.push(...parsed.data);
  }
  const keys = new Set<string>();
  for (const book of books) {
    if (keys.has(book.key)) throw new Error(`Demo catalogue key "${book.key}" appears more than once`);
    keys.add(book.key);
  }
  return books;
}

export function toCatalogueInput(book: DemoBook): CatalogueInput {
  return {
    sourceId: book.key,
    title: book.title,
    titleSort: null,
    authors: book.authors.map((name) => ({ name, sort: null })),
    year: book.year,
    pubdate: null,
    languages: [book.language],
    subjects: book.subjects,
    audience: book.audience,
    pageCount: book.pages,
    series: book.series ?? null,
    publisher: null,
    identifiers: [],
    rating: null,
    descriptionText: book.description,
    descriptionHtml: `<p>${book.description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
    customColumns: {},
    formats: [],
    hasCover: false,
    lastModified: null,
  };
}
