/**
 * Reads goodbooks-10k's book files (Zając 2017, CC BY-SA 4.0; see ../shared/data/goodbooks-10k/LICENSE.md) into
 * catalogue books: `books.csv` (titles, authors), and, when they lie beside it, `book_tags.csv` + `tags.csv`
 * (reader shelves, mapped onto a small genre vocabulary) and `descriptions.jsonl`. The data is never copied into the
 * project; benchmarks read it in place.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CatalogueBook } from './books';

/** Genre of each reader shelf name that names one (shelves such as "to-read" or "owned" name none). */
const genreOfShelf: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({
    fantasy: ['fantasy', 'urban-fantasy', 'epic-fantasy', 'high-fantasy', 'ya-fantasy', 'magic'],
    'science-fiction': ['science-fiction', 'sci-fi', 'scifi', 'dystopian', 'dystopia', 'sci-fi-fantasy'],
    romance: ['romance', 'contemporary-romance', 'paranormal-romance', 'chick-lit', 'chicklit', 'historical-romance'],
    mystery: ['mystery', 'mysteries', 'crime', 'detective', 'murder-mystery', 'crime-fiction', 'mystery-crime'],
    thriller: ['thriller', 'thrillers', 'suspense', 'mystery-thriller', 'thriller-suspense', 'suspense-thriller'],
    horror: ['horror'],
    'historical-fiction': ['historical-fiction', 'historical'],
    classics: ['classics', 'classic', 'classic-literature'],
    'young-adult': ['young-adult', 'ya', 'ya-fiction', 'teen', 'young-adult-fiction', 'ya-books', 'teen-fiction'],
    children: ['childrens', 'children', 'kids', 'middle-grade', 'children-s-books', 'juvenile', 'children-s'],
    biography: ['biography', 'memoir', 'memoirs', 'autobiography', 'biographies', 'biography-memoir'],
    history: ['history', 'world-war-ii', 'ww2'],
    philosophy: ['philosophy'],
    religion: ['religion', 'christian', 'christianity', 'spirituality', 'faith'],
    'self-help': ['self-help', 'business', 'psychology', 'personal-development', 'productivity'],
    poetry: ['poetry', 'poems'],
    'graphic-novels': ['graphic-novels', 'comics', 'manga', 'graphic-novel'],
    humor: ['humor', 'humour', 'funny', 'comedy'],
    science: ['science', 'popular-science'],
    'non-fiction': ['non-fiction', 'nonfiction'],
  }).flatMap(([genre, shelves]) => shelves.map((shelf) => [shelf, genre])),
);

/** Most genres kept per book (in order of how many readers shelved it there). */
const maxGenres = 4;

export async function readGoodbooksBooks(booksCsv: string): Promise<CatalogueBook[]> {
  const dir = path.dirname(booksCsv);
  const rows = parse(await readFile(booksCsv, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const genres = await readGenres(dir);
  const descriptions = await readDescriptions(path.join(dir, 'descriptions.jsonl'));
  return rows.map((row) => {
    const id = row.book_id ?? '';
    return {
      id,
      title: row.title || row.original_title || '',
      authors: (row.authors ?? '')
        .split(',')
        .map((author) => author.trim())
        .filter(Boolean),
      subjects: genres.get(row.goodreads_book_id ?? '') ?? [],
      description: descriptions.get(id) ?? null,
    };
  });
}

/** Genres per goodreads_book_id, from book_tags.csv (rows per book in descending count) and tags.csv. */
async function readGenres(dir: string): Promise<Map<string, string[]>> {
  const genres = new Map<string, string[]>();
  const tagsFile = path.join(dir, 'tags.csv');
  const bookTagsFile = path.join(dir, 'book_tags.csv');
  if (!existsSync(tagsFile) || !existsSync(bookTagsFile)) return genres;
  const tagRows = parse(await readFile(tagsFile, 'utf8'), { columns: true }) as { tag_id: string; tag_name: string }[];
  const genreOfTag = new Map<string, string>();
  for (const { tag_id: tagId, tag_name: name } of tagRows) {
    const genre = genreOfShelf[name];
    if (genre) genreOfTag.set(tagId, genre);
  }
  const text = await readFile(bookTagsFile, 'utf8');
  for (const line of text.split('\n').slice(1)) {
    const [bookId, tagId] = line.split(',');
    if (!bookId || !tagId) continue;
    const genre = genreOfTag.get(tagId);
    if (!genre) continue;
    const list = genres.get(bookId) ?? [];
    if (list.length < maxGenres && !list.includes(genre)) list.push(genre);
    genres.set(bookId, list);
  }
  return genres;
}

async function readDescriptions(file: string): Promise<Map<string, string>> {
  const descriptions = new Map<string, string>();
  if (!existsSync(file)) return descriptions;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { book_id?: number | string; description?: string };
    if (record.book_id !== undefined && record.description)
      descriptions.set(String(record.book_id), record.description);
  }
  return descriptions;
}
