/**
 * Reads the demo catalogue the project owns (`local/demo/catalogue/*.json`: public-domain books with subjects from a
 * closed vocabulary) as catalogue books. Only the fields training needs are checked; the local runtime owns the full
 * schema.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { CatalogueBook } from './books';

export const demoCatalogueDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../local/demo/catalogue',
);

const demoBookSchema = z.object({
  key: z.string().min(1),
  title: z.string().min(1),
  authors: z.array(z.string()),
  subjects: z.array(z.string()).min(1),
  description: z.string().optional(),
  series: z.object({ name: z.string(), index: z.number() }).optional(),
});

export interface DemoBook extends CatalogueBook {
  readonly series?: { readonly name: string; readonly index: number };
}

/** Every book of every `*.json` file of `dir`, files in name order. */
export async function readDemoCatalogue(dir = demoCatalogueDir): Promise<DemoBook[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  const books: DemoBook[] = [];
  for (const file of files) {
    const parsed = z.array(demoBookSchema).safeParse(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`Demo catalogue file ${file} is invalid: ${parsed.error.issues[0]?.message}`);
    for (const book of parsed.data) {
      books.push({
        id: book.key,
        title: book.title,
        authors: book.authors,
        subjects: book.subjects,
        description: book.description ?? null,
        ...(book.series ? { series: book.series } : {}),
      });
    }
  }
  return books;
}
