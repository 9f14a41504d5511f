/**
 * Builds small Calibre-shaped libraries for the parser tests: a `metadata.db` made with sql.js from a minimal copy of
 * Calibre 6's schema (only the tables and columns the reader uses, without Calibre's triggers), and the same books as
 * Calibre's CSV, XML and `calibredb list` JSON would write them.
 */
import { expect } from 'vitest';
import type { UnreadableLibraryError } from '../../src/catalogue/calibre/calibre-book';
import { loadSqlJs } from '../../src/catalogue/calibre/read-metadata-db';

export interface TestBook {
  readonly id: number;
  readonly uuid: string | null;
  readonly title: string | null;
  readonly sort?: string;
  /** `[name, sort]` in Calibre's order. */
  readonly authors: readonly (readonly [string, string])[];
  readonly series?: readonly [string, number];
  readonly tags?: readonly string[];
  readonly publisher?: string;
  readonly languages?: readonly string[];
  readonly identifiers?: Readonly<Record<string, string>>;
  /** As metadata.db stores it (`2008-01-01 12:00:00+00:00`). */
  readonly pubdate?: string;
  /** 0–10. */
  readonly rating?: number;
  readonly comments?: string;
  /** `[FORMAT, file name without extension]`. */
  readonly formats?: readonly (readonly [string, string])[];
  readonly hasCover?: boolean;
  readonly lastModified?: string;
  readonly path?: string;
}

/** Calibre 6's tables, reduced to what the reader reads. */
export const CALIBRE_SCHEMA = `
  CREATE TABLE books (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, sort TEXT, timestamp TIMESTAMP,
    pubdate TIMESTAMP, series_index REAL NOT NULL DEFAULT 1.0, author_sort TEXT, isbn TEXT DEFAULT '',
    path TEXT NOT NULL DEFAULT '', uuid TEXT, has_cover BOOL DEFAULT 0,
    last_modified TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00+00:00');
  CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort TEXT, link TEXT NOT NULL DEFAULT '');
  CREATE TABLE books_authors_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, author INTEGER NOT NULL);
  CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE books_tags_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, tag INTEGER NOT NULL);
  CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort TEXT);
  CREATE TABLE books_series_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, series INTEGER NOT NULL);
  CREATE TABLE publishers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort TEXT);
  CREATE TABLE books_publishers_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, publisher INTEGER NOT NULL);
  CREATE TABLE ratings (id INTEGER PRIMARY KEY, rating INTEGER);
  CREATE TABLE books_ratings_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, rating INTEGER NOT NULL);
  CREATE TABLE languages (id INTEGER PRIMARY KEY, lang_code TEXT NOT NULL);
  CREATE TABLE books_languages_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, lang_code INTEGER NOT NULL,
    item_order INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE identifiers (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, type TEXT NOT NULL DEFAULT 'isbn',
    val TEXT NOT NULL);
  CREATE TABLE comments (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, text TEXT NOT NULL);
  CREATE TABLE data (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, format TEXT NOT NULL,
    uncompressed_size INTEGER NOT NULL, name TEXT NOT NULL);
  CREATE TABLE custom_columns (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, name TEXT NOT NULL,
    datatype TEXT NOT NULL, mark_for_delete BOOL DEFAULT 0 NOT NULL, editable BOOL DEFAULT 1 NOT NULL,
    display TEXT DEFAULT '{}' NOT NULL, is_multiple BOOL DEFAULT 0 NOT NULL, normalized BOOL NOT NULL);
  CREATE TABLE library_id (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL);
  INSERT INTO library_id (uuid) VALUES ('2160d433-d9f0-4419-929d-84f0d3af22d6');
`;

type Value = string | number | null;

/** Builds a metadata.db holding `books`; `extraSql` runs last (custom columns, damage). Returns the file's bytes. */
export async function buildMetadataDb(books: readonly TestBook[], extraSql = ''): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.exec(CALIBRE_SCHEMA);
    const ids = new Map<string, number>();
    /** The id of `name` in `table` (a names table such as tags), inserting it on first use. */
    const idOf = (table: string, column: string, name: Value): number => {
      const key = `${table}\u0000${String(name)}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size + 1;
        ids.set(key, id);
        db.run(`INSERT INTO ${table} (id, ${column}) VALUES (?, ?)`, [id, name]);
      }
      return id;
    };
    for (const book of books) {
      db.run(
        `INSERT INTO books (id, title, sort, pubdate, series_index, author_sort, path, uuid, has_cover, last_modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          book.id,
          book.title,
          book.sort ?? book.title,
          book.pubdate ?? '0101-01-01 00:00:00+00:00',
          book.series?.[1] ?? 1,
          book.authors.map(([, sort]) => sort).join(' & '),
          book.path ?? `${book.authors[0]?.[0] ?? 'Unknown'}/${book.title ?? 'Unknown'} (${book.id})`,
          book.uuid,
          book.hasCover ? 1 : 0,
          book.lastModified ?? '2026-11-22 01:38:05.852627+00:00',
        ],
      );
      for (const [name, sort] of book.authors) {
        const author = idOf('authors', 'name', name);
        db.run('UPDATE authors SET sort = ? WHERE id = ?', [sort, author]);
        db.run('INSERT INTO books_authors_link (book, author) VALUES (?, ?)', [book.id, author]);
      }
      for (const tag of book.tags ?? []) {
        db.run('INSERT INTO books_tags_link (book, tag) VALUES (?, ?)', [book.id, idOf('tags', 'name', tag)]);
      }
      if (book.series) {
        const series = idOf('series', 'name', book.series[0]);
        db.run('INSERT INTO books_series_link (book, series) VALUES (?, ?)', [book.id, series]);
      }
      if (book.publisher) {
        const publisher = idOf('publishers', 'name', book.publisher);
        db.run('INSERT INTO books_publishers_link (book, publisher) VALUES (?, ?)', [book.id, publisher]);
      }
      if (book.rating !== undefined) {
        const rating = idOf('ratings', 'rating', book.rating);
        db.run('INSERT INTO books_ratings_link (book, rating) VALUES (?, ?)', [book.id, rating]);
      }
      (book.languages ?? []).forEach((code, order) => {
        const language = idOf('languages', 'lang_code', code);
        db.run('INSERT INTO books_languages_link (book, lang_code, item_order) VALUES (?, ?, ?)', [
          book.id,
          language,
          order,
        ]);
      });
      for (const [type, value] of Object.entries(book.identifiers ?? {})) {
        db.run('INSERT INTO identifiers (book, type, val) VALUES (?, ?, ?)', [book.id, type, value]);
      }
      if (book.comments !== undefined) {
        db.run('INSERT INTO comments (book, text) VALUES (?, ?)', [book.id, book.comments]);
      }
      for (const [format, name] of book.formats ?? []) {
        db.run('INSERT INTO data (book, format, uncompressed_size, name) VALUES (?, ?, ?, ?)', [
          book.id,
          format,
          1000,
          name,
        ]);
      }
    }
    db.exec(extraSql);
    return db.export();
  } finally {
    db.close();
  }
}

/** A CSV field as Calibre quotes it. */
export function csvField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** Calibre's catalog CSV header (calibre 6.13, all fields). */
export const CALIBRE_CSV_HEADER =
  'author_sort,authors,comments,cover,formats,id,identifiers,isbn,languages,library_name,pubdate,publisher,rating,' +
  'series,series_index,size,tags,timestamp,title,title_sort,uuid';

/** A Calibre catalog CSV (with its BOM) from rows keyed by header name; missing fields are empty. */
export function buildCatalogCsv(
  rows: readonly Readonly<Record<string, string>>[],
  header = CALIBRE_CSV_HEADER,
): string {
  const columns = header.split(',');
  const lines = rows.map((row) => columns.map((column) => csvField(row[column] ?? '')).join(','));
  return `\ufeff${header}\n${lines.join('\n')}\n`;
}

/** Bytes of UTF-8 text. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** What `act` throws (undefined when it returns). */
export function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Matches an `UnreadableLibraryError` about `format` whose message matches `message`. */
export function unreadableError(message: RegExp, format: UnreadableLibraryError['format']) {
  return expect.objectContaining({ name: 'UnreadableLibraryError', message: expect.stringMatching(message), format });
}
