/**
 * Reads a Calibre library's `metadata.db` (SQLite) into `CalibreBook` records with sql.js (SQLite compiled to WASM).
 *
 * - The bytes are opened in memory (sql.js copies them into its own in-memory file system) with `PRAGMA query_only`:
 *   nothing is ever written. Writing would fail anyway: Calibre's triggers call SQL functions that only Calibre
 *   registers (`title_sort`, `uuid4`), and its views too, so this reader queries tables only, never `meta` & co.
 * - Before opening, the 100-byte SQLite header is checked: not SQLite, a header shorter than 100 bytes, or a file
 *   shorter than the size the header declares → `UnreadableLibraryError` ("not a SQLite database", "truncated SQLite
 *   database: …"). A SQLite database without Calibre's tables (`books`, `authors`, `books_authors_link`, and
 *   `library_id` or `preferences`) → "SQLite database but not a Calibre library: no table books". SQLite errors while
 *   reading → "truncated/corrupt: …".
 * - Every field of `CalibreBook` is carried: title and title sort, authors with their own sort (`authors.sort`), series
 *   and index, tags, publisher, languages (`languages.lang_code` in `item_order`), identifiers (ISBNs live there:
 *   `books.isbn` is empty), pubdate, rating (`ratings.rating`, 0–10), comments (HTML as stored), custom columns
 *   (`custom_columns` → `custom_column_N` / `books_custom_column_N_link`, typed by datatype; a custom series column
 *   `#x` also gives `x_index`, as Calibre names it), formats (`data`), `has_cover`, `last_modified`, `path`.
 *   Multi-valued fields keep Calibre's order (link-table id).
 * - A book with a blank title or no uuid (or a uuid already seen) goes to `rejected`; the rest still parse.
 * - Performance: a fixed handful of set-based queries (about 15, plus one per custom column), joined in memory. On
 *   the 2-core dev machine the 10,000-book goodbooks library (12 MB) parses in about 0.6 s on the first call of a
 *   quiet process (1.6–2 s when the machine was loaded 3–6×: the first queries also compile SQLite's WASM), 0.5–0.7 s
 *   on later calls; the 304-book sample in 40–90 ms. Starting the WASM costs 40–90 ms once per process.
 *
 * Bundling (CDK / esbuild): sql.js loads `sql-wasm.wasm` at run time. By default this module looks for it beside the
 * bundle (`new URL('sql-wasm.wasm', import.meta.url)`, i.e. the asset root of an ESM Lambda bundle), then in
 * `node_modules/sql.js/dist/`. The Lambda's bundling must therefore copy `node_modules/sql.js/dist/sql-wasm.wasm` into
 * the asset root, e.g. `commandHooks.afterBundling: (inputDir, outputDir) =>
 * [`cp ${inputDir}/node_modules/sql.js/dist/sql-wasm.wasm ${outputDir}/`]` (about 650 kB), or keep sql.js installed
 * (`nodeModules: ['sql.js']`). Without it the first read fails with ENOENT on `sql-wasm.wasm`. Callers with another
 * layout pass `locateFile`. sql.js' loader also reads CommonJS' `__dirname`, which an ESM bundle lacks: `loadSqlJs`
 * defines it on `globalThis` when absent (checked with an esbuild ESM bundle made like the CDK's).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import { UnreadableLibraryError, type CalibreBook, type CustomColumnValue, type ParsedLibrary } from './calibre-book';
import { LibraryCollector, addIdentifier, calibreDate, calibreRating, nfc, textOrNull } from './calibre-fields';

export interface SqlJsOptions {
  /** Path (or URL) of sql.js' `sql-wasm.wasm`, given the file name sql.js asks for. Only the first call's counts. */
  readonly locateFile?: (file: string) => string;
}

/** A format file of a book as `data` names it (`<path>/<name>.<format in lower case>`). */
export interface FormatFile {
  readonly bookUuid: string;
  readonly format: string;
  /** Path relative to the library root. */
  readonly path: string;
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const SQLITE_HEADER_BYTES = 100;

let sqlJs: Promise<SqlJsStatic> | undefined;

function defaultLocateFile(file: string): string {
  const besideBundle = fileURLToPath(new URL(file, import.meta.url));
  if (existsSync(besideBundle)) return besideBundle;
  try {
    return createRequire(import.meta.url).resolve(`sql.js/dist/${file}`);
  } catch {
    return besideBundle;
  }
}

/** Starts sql.js' WASM once per process (a failed start is retried on the next call). */
export function loadSqlJs(options: SqlJsOptions = {}): Promise<SqlJsStatic> {
  // sql.js' Node loader reads the CommonJS `__dirname`, which an ESM bundle (our Lambdas) does not define; outside a
  // bundle sql.js has its own and this global is never read.
  const scope = globalThis as { __dirname?: string };
  scope.__dirname ??= path.dirname(fileURLToPath(import.meta.url));
  sqlJs ??= initSqlJs({ locateFile: options.locateFile ?? defaultLocateFile }).catch((error: unknown) => {
    sqlJs = undefined;
    throw error;
  });
  return sqlJs;
}

/** Whether the bytes start like a SQLite database (the whole magic, or a prefix of it when the file is shorter). */
export function looksLikeSqlite(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, SQLITE_MAGIC.length);
  if (length === 0) return false;
  for (let i = 0; i < length; i++) if (bytes[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
  return true;
}

/** What is wrong with the SQLite header (not SQLite, truncated), or null when it looks whole. */
export function sqliteHeaderProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'empty file';
  if (!looksLikeSqlite(bytes)) return 'not a SQLite database';
  if (bytes.length < SQLITE_HEADER_BYTES) {
    return `truncated SQLite database: ${bytes.length} bytes, shorter than SQLite's ${SQLITE_HEADER_BYTES}-byte header`;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) {
    return `truncated/corrupt: SQLite header gives an impossible page size (${rawPageSize})`;
  }
  const changeCounter = view.getUint32(24);
  const pageCount = view.getUint32(28);
  const versionValidFor = view.getUint32(92);
  if (pageCount > 0 && changeCounter === versionValidFor && bytes.length < pageCount * pageSize) {
    return (
      `truncated SQLite database: ${bytes.length} bytes, but its header declares ${pageCount * pageSize} ` +
      `(${pageCount} pages of ${pageSize} bytes)`
    );
  }
  if (bytes.length % pageSize !== 0) {
    return `truncated SQLite database: ${bytes.length} bytes is not a whole number of ${pageSize}-byte pages`;
  }
  return null;
}

/** Reads a Calibre `metadata.db` into books (see the file's doc comment). */
export async function readMetadataDb(bytes: Uint8Array, options: SqlJsOptions = {}): Promise<ParsedLibrary> {
  return (await readMetadataDbWithFiles(bytes, options)).library;
}

/** As `readMetadataDb`, plus the format files that `data` names (for a zipped library with its files). */
export async function readMetadataDbWithFiles(
  bytes: Uint8Array,
  options: SqlJsOptions = {},
): Promise<{ library: ParsedLibrary; formatFiles: readonly FormatFile[] }> {
  const problem = sqliteHeaderProblem(bytes);
  if (problem) throw new UnreadableLibraryError(problem, 'metadata.db');
  const SQL = await loadSqlJs(options);
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    throw new UnreadableLibraryError(`truncated/corrupt: ${messageOf(error)}`, 'metadata.db', { cause: error });
  }
  try {
    run(db, 'PRAGMA query_only = ON', 'setting the database read-only');
    return readLibrary(db);
  } finally {
    db.close();
  }
}

type Row = SqlValue[];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs one query; a SQLite error means the file is damaged (the schema was checked before). */
function run(db: Database, sql: string, what: string): Row[] {
  try {
    return db.exec(sql)[0]?.values ?? [];
  } catch (error) {
    throw new UnreadableLibraryError(`truncated/corrupt: ${messageOf(error)} (while ${what})`, 'metadata.db', {
      cause: error,
    });
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function columnsOf(db: Database, table: string): Set<string> {
  const rows = run(db, `PRAGMA table_info(${quoteIdentifier(table)})`, `reading the columns of ${table}`);
  return new Set(rows.map((row) => String(row[1])));
}

const asNumber = (value: SqlValue | undefined): number | null =>
  typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : null;

/** `SELECT id, <column> FROM <table>` converted once per distinct value (not once per link), when the table exists. */
function lookup<T>(
  db: Database,
  tables: ReadonlySet<string>,
  table: string,
  column: string,
  convert: (value: SqlValue) => T | null,
): Map<number, T> {
  const map = new Map<number, T>();
  if (!tables.has(table)) return map;
  for (const [id, raw] of run(db, `SELECT id, ${column} FROM ${table}`, `reading ${table}`)) {
    const value = convert(raw ?? null);
    if (value !== null) map.set(Number(id), value);
  }
  return map;
}

/** The values linked to each book through `linkTable` (`book`, `<column>` → `values`), in link order. */
function linked<T>(
  db: Database,
  tables: ReadonlySet<string>,
  linkTable: string,
  column: string,
  values: ReadonlyMap<number, T>,
  orderBy = 'id',
): Map<number, T[]> {
  const byBook = new Map<number, T[]>();
  if (!tables.has(linkTable)) return byBook;
  const rows = run(db, `SELECT book, ${column} FROM ${linkTable} ORDER BY ${orderBy}`, `reading ${linkTable}`);
  for (const [book, valueId] of rows) {
    const value = values.get(Number(valueId));
    if (value === undefined) continue;
    const list = byBook.get(Number(book));
    if (list) list.push(value);
    else byBook.set(Number(book), [value]);
  }
  return byBook;
}

const REQUIRED_TABLES = ['books', 'authors', 'books_authors_link'] as const;
const REQUIRED_BOOK_COLUMNS = ['id', 'title', 'uuid'] as const;

function checkCalibreSchema(db: Database): { tables: Set<string>; bookColumns: Set<string> } {
  const tables = new Set(
    run(db, "SELECT name FROM sqlite_master WHERE type = 'table'", 'reading the schema').map((row) => String(row[0])),
  );
  const missing: string[] = REQUIRED_TABLES.filter((table) => !tables.has(table));
  if (!tables.has('library_id') && !tables.has('preferences')) missing.push('library_id (or preferences)');
  if (missing.length > 0) {
    throw new UnreadableLibraryError(
      `SQLite database but not a Calibre library: no table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      'metadata.db',
    );
  }
  const bookColumns = columnsOf(db, 'books');
  const missingColumns = REQUIRED_BOOK_COLUMNS.filter((column) => !bookColumns.has(column));
  if (missingColumns.length > 0) {
    throw new UnreadableLibraryError(
      `SQLite database but not a Calibre library: table books has no column ${missingColumns.join(', ')}`,
      'metadata.db',
    );
  }
  return { tables, bookColumns };
}

function readLibrary(db: Database): { library: ParsedLibrary; formatFiles: readonly FormatFile[] } {
  const { tables, bookColumns } = checkCalibreSchema(db);
  const optional = (column: string, fallback: string) => (bookColumns.has(column) ? column : fallback);
  const bookRows = run(
    db,
    `SELECT id, title, ${optional('sort', 'NULL')}, ${optional('pubdate', 'NULL')}, ${optional('series_index', '1')},
            uuid, ${optional('has_cover', '0')}, ${optional('last_modified', 'NULL')}, ${optional('path', 'NULL')}
       FROM books ORDER BY id`,
    'reading books',
  );

  const authorsById = new Map<number, CalibreBook['authors'][number]>();
  for (const [id, name, sort] of run(db, 'SELECT id, name, sort FROM authors', 'reading authors')) {
    const text = textOrNull(name);
    if (text !== null) authorsById.set(Number(id), { name: text, sort: textOrNull(sort) });
  }
  const authors = linked(db, tables, 'books_authors_link', 'author', authorsById);
  const tags = linked(db, tables, 'books_tags_link', 'tag', lookup(db, tables, 'tags', 'name', textOrNull));
  const series = linked(db, tables, 'books_series_link', 'series', lookup(db, tables, 'series', 'name', textOrNull));
  const publishers = linked(
    db,
    tables,
    'books_publishers_link',
    'publisher',
    lookup(db, tables, 'publishers', 'name', textOrNull),
  );
  const ratings = linked(
    db,
    tables,
    'books_ratings_link',
    'rating',
    lookup(db, tables, 'ratings', 'rating', calibreRating),
  );
  const languageOrder =
    tables.has('books_languages_link') && columnsOf(db, 'books_languages_link').has('item_order')
      ? 'item_order, id'
      : 'id';
  const languages = linked(
    db,
    tables,
    'books_languages_link',
    'lang_code',
    lookup(db, tables, 'languages', 'lang_code', textOrNull),
    languageOrder,
  );
  const identifiers = new Map<number, Record<string, string>>();
  if (tables.has('identifiers')) {
    for (const [book, type, value] of run(
      db,
      'SELECT book, type, val FROM identifiers ORDER BY id',
      'reading identifiers',
    )) {
      if (typeof type !== 'string' || typeof value !== 'string') continue;
      let record = identifiers.get(Number(book));
      if (!record) identifiers.set(Number(book), (record = {}));
      addIdentifier(record, type, value);
    }
  }
  const comments = new Map<number, string>();
  if (tables.has('comments')) {
    for (const [book, text] of run(db, 'SELECT book, text FROM comments', 'reading comments')) {
      if (typeof text === 'string' && text.trim() !== '') comments.set(Number(book), nfc(text));
    }
  }
  const formats = new Map<number, { format: string; name: string }[]>();
  if (tables.has('data')) {
    for (const [book, format, name] of run(db, 'SELECT book, format, name FROM data ORDER BY id', 'reading data')) {
      if (typeof format !== 'string' || format.trim() === '') continue;
      const entry = { format: format.trim().toUpperCase(), name: typeof name === 'string' ? name : '' };
      const list = formats.get(Number(book));
      if (list) list.push(entry);
      else formats.set(Number(book), [entry]);
    }
  }
  const customColumns = readCustomColumns(db, tables);

  const collector = new LibraryCollector('metadata.db');
  const formatFiles: FormatFile[] = [];
  for (const [id, title, sort, pubdate, index, uuid, hasCover, lastModified, path] of bookRows) {
    const calibreId = Number(id);
    const seriesName = series.get(calibreId)?.[0] ?? null;
    const bookPath = textOrNull(path);
    const bookFormats = formats.get(calibreId) ?? [];
    const book: CalibreBook = {
      uuid: typeof uuid === 'string' ? uuid.trim() : '',
      calibreId,
      title: textOrNull(title) ?? '',
      titleSort: textOrNull(sort),
      authors: authors.get(calibreId) ?? [],
      series: seriesName === null ? null : { name: seriesName, index: asNumber(index ?? null) ?? 1 },
      tags: tags.get(calibreId) ?? [],
      publisher: publishers.get(calibreId)?.[0] ?? null,
      languages: languages.get(calibreId) ?? [],
      identifiers: identifiers.get(calibreId) ?? {},
      pubdate: calibreDate(pubdate),
      rating: ratings.get(calibreId)?.[0] ?? null,
      comments: comments.get(calibreId) ?? null,
      customColumns: customColumns.get(calibreId) ?? {},
      formats: [...new Set(bookFormats.map((file) => file.format))],
      hasCover: Boolean(asNumber(hasCover ?? null)),
      lastModified: calibreDate(lastModified),
      path: bookPath,
    };
    const added = collector.add(`calibre id ${calibreId}`, book);
    if (added && bookPath !== null) {
      for (const file of bookFormats) {
        if (file.name === '') continue;
        formatFiles.push({
          bookUuid: book.uuid,
          format: file.format,
          path: `${bookPath}/${file.name}.${file.format.toLowerCase()}`,
        });
      }
    }
  }
  return { library: collector.result(), formatFiles };
}

type CustomColumnRecord = Record<string, CustomColumnValue>;

const TEXT_TYPES = new Set(['text', 'comments', 'series', 'enumeration', 'composite']);

/** One typed value of a custom column, or null when empty (Calibre's "no value"). */
function customValue(datatype: string, raw: SqlValue): CustomColumnValue | null {
  if (raw === null || raw instanceof Uint8Array) return null;
  switch (datatype) {
    case 'text':
    case 'comments':
    case 'series':
    case 'enumeration':
    case 'composite': {
      const value = datatype === 'comments' && typeof raw === 'string' ? nfc(raw) : textOrNull(String(raw));
      return value === null || value.trim() === '' ? null : { datatype, value };
    }
    case 'int':
    case 'float': {
      const value = asNumber(raw);
      return value === null || !Number.isFinite(value) ? null : { datatype, value };
    }
    case 'rating': {
      const value = calibreRating(raw);
      return value === null ? null : { datatype, value };
    }
    case 'bool': {
      const value = asNumber(raw);
      return value === null ? null : { datatype, value: value !== 0 };
    }
    case 'datetime': {
      const value = calibreDate(raw);
      return value === null ? null : { datatype, value };
    }
    default:
      return null;
  }
}

/** Custom columns per book: one query per column, typed by the column's datatype. */
function readCustomColumns(db: Database, tables: ReadonlySet<string>): Map<number, CustomColumnRecord> {
  const byBook = new Map<number, CustomColumnRecord>();
  if (!tables.has('custom_columns')) return byBook;
  const set = (book: number, key: string, value: CustomColumnValue) => {
    let record = byBook.get(book);
    if (!record) byBook.set(book, (record = {}));
    record[key] = value;
  };
  const definitions = run(
    db,
    'SELECT id, label, datatype, is_multiple, normalized FROM custom_columns WHERE mark_for_delete = 0 ORDER BY id',
    'reading custom_columns',
  );
  for (const [id, label, datatype, isMultiple, normalized] of definitions) {
    if (typeof label !== 'string' || typeof datatype !== 'string' || !Number.isInteger(id)) continue;
    const valueTable = `custom_column_${Number(id)}`;
    const linkTable = `books_custom_column_${Number(id)}_link`;
    if (!tables.has(valueTable)) continue;
    if (!normalized) {
      for (const [book, raw] of run(db, `SELECT book, value FROM ${valueTable}`, `reading ${valueTable}`)) {
        const value = customValue(datatype, raw ?? null);
        if (value) set(Number(book), label, value);
      }
      continue;
    }
    if (!tables.has(linkTable)) continue;
    const hasExtra = datatype === 'series' && columnsOf(db, linkTable).has('extra');
    const rows = run(
      db,
      `SELECT l.book, v.value${hasExtra ? ', l.extra' : ''} FROM ${linkTable} AS l
         JOIN ${valueTable} AS v ON v.id = l.value ORDER BY l.id`,
      `reading ${linkTable}`,
    );
    const multiple = new Map<number, string[]>();
    for (const [book, raw, extra] of rows) {
      const bookId = Number(book);
      const value = customValue(datatype, raw ?? null);
      if (!value) continue;
      if (isMultiple && TEXT_TYPES.has(datatype) && typeof value.value === 'string') {
        const list = multiple.get(bookId);
        if (list) list.push(value.value);
        else multiple.set(bookId, [value.value]);
        continue;
      }
      set(bookId, label, value);
      const index = hasExtra ? asNumber(extra ?? null) : null;
      if (index !== null) set(bookId, `${label}_index`, { datatype: 'float', value: index });
    }
    for (const [book, values] of multiple) {
      set(book, label, { datatype: datatype as 'text', value: values });
    }
  }
  return byBook;
}
