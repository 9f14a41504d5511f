/**
 * Reads the inputs of a training job from channel folders: interactions (every `*.csv`, in name order, goodbooks
 * layout) and books (`books.csv` in goodbooks layout, and/or `*.jsonl` lines of {id, title, authors, subjects,
 * description}).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CatalogueBook } from './books';
import { readGoodbooksBooks } from './goodbooks';
import { readInteractionsCsv, type Interaction } from './interactions';

const bookLineSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string(),
  authors: z.array(z.string()).default([]),
  subjects: z.array(z.string()).default([]),
  description: z.string().nullish(),
});

export async function readInteractionsDir(dir: string): Promise<Interaction[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.csv')).sort();
  if (files.length === 0) throw new Error(`No .csv interactions in ${dir}`);
  const all: Interaction[] = [];
  for (const file of files) all.push(...(await readInteractionsCsv(path.join(dir, file))));
  return all;
}

export async function readBooksDir(dir: string): Promise<CatalogueBook[]> {
  const books: CatalogueBook[] = [];
  const goodbooks = path.join(dir, 'books.csv');
  if (existsSync(goodbooks)) books.push(...(await readGoodbooksBooks(goodbooks)));
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort()) {
    const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n').filter((line) => line.trim());
    lines.forEach((line, i) => {
      const parsed = bookLineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file} line ${i + 1}: ${parsed.error.issues[0]?.message}`);
      books.push(parsed.data);
    });
  }
  return books;
}
