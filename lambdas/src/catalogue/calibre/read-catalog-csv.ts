/**
 * Reads the CSV that `calibredb catalog catalog.csv` writes (or Calibre's "Create catalog" → CSV) into `CalibreBook`
 * records with csv-parse.
 *
 * - The bytes must be UTF-8 (decoded with `TextDecoder(…, { fatal: true })`; a Latin-1 file → `UnreadableLibraryError`
 *   "not UTF-8 text"); Calibre's leading byte-order mark is dropped. Fields are quoted and may span lines.
 * - Columns by header name: `uuid`, `title` and `authors` are required (else `UnreadableLibraryError` naming the missing
 *   columns); `id`, `title_sort`, `author_sort`, `series`, `series_index`, `tags`, `publisher`, `languages`,
 *   `identifiers`, `isbn`, `pubdate`, `rating`, `comments`, `cover`, `formats` and `#custom` columns are read when
 *   present. Authors are split on `&` (Calibre doubles a literal `&`), tags and languages on `,`, identifiers are
 *   `type:value,type:value`; the rating is in stars (`4.5`) and becomes 0–10 (`9`); `cover` (a path) gives `hasCover`,
 *   `formats` (lower-case extensions) gives the format names.
 * - What this format lacks, compared with metadata.db: per-author sorts (only the book's `author_sort`, split on ` & `
 *   to pair with the authors; no sorts when the counts differ), `lastModified` (null unless a `last_modified` column is
 *   present), `path` (null), and custom column datatypes: `#x` columns come as `{ datatype: 'text' }` with Calibre's
 *   display text (a rating column in stars, lists joined with `, `). `comments` are not comparable with the other
 *   formats: Calibre turns HTML comments into Markdown (`**The Great Gatsby**`) and newlines into spaces. Without an
 *   `id` column, `calibreId` is the record's position (1-based).
 * - A record with a blank title or uuid, a duplicate uuid, or broken quoting goes to `rejected` (`at`: `line N`, the
 *   record's first line); the rest still parse.
 * - Performance: one synchronous pass, dominated by csv-parse: the 304-book sample (425 kB) in 0.1–0.3 s, a
 *   10,000-row catalog (14 MB) in about 2–2.7 s on the 2-core dev machine under load. metadata.db is 4× faster.
 */
import { parse } from 'csv-parse/sync';
import { UnreadableLibraryError, type CalibreBook, type CustomColumnValue, type ParsedLibrary } from './calibre-book';
import {
  LibraryCollector,
  addIdentifier,
  calibreDate,
  decodeUtf8,
  distinct,
  formatOf,
  nfc,
  pairAuthorSorts,
  parseIdentifiers,
  seriesIndex,
  splitAuthors,
  splitList,
  starsToRating,
  textOrNull,
} from './calibre-fields';

const REQUIRED_COLUMNS = ['uuid', 'title', 'authors'] as const;

interface CsvRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/** Reads a Calibre catalog CSV (see the file's doc comment). */
export function readCatalogCsv(bytes: Uint8Array): ParsedLibrary {
  const text = decodeUtf8(bytes);
  if (text === null) throw new UnreadableLibraryError('not UTF-8 text (a Calibre catalog CSV is UTF-8)', 'csv');
  const collector = new LibraryCollector('csv');
  let records: CsvRecord[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error)
          collector.reject(`line ${(error as { lines?: number }).lines ?? '?'}`, `broken CSV: ${error.message}`);
      },
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new UnreadableLibraryError(
      `not a CSV file: ${error instanceof Error ? error.message : String(error)}`,
      'csv',
      { cause: error },
    );
  }
  const [header, ...rows] = records;
  if (!header) throw new UnreadableLibraryError('not a Calibre catalog CSV: no header row', 'csv');
  const columns = new Map(header.record.map((name, index) => [name.trim(), index]));
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    throw new UnreadableLibraryError(
      `not a Calibre catalog CSV: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      'csv',
    );
  }
  const customColumns = [...columns.keys()].filter((name) => name.startsWith('#') && name.length > 1);

  let previousLine = header.info.lines;
  rows.forEach(({ record, info }, index) => {
    const at = `line ${previousLine + 1}`;
    previousLine = info.lines;
    const field = (name: string): string => {
      const column = columns.get(name);
      return column === undefined ? '' : (record[column] ?? '');
    };
    if (record.length !== header.record.length) {
      collector.reject(at, `${record.length} fields where the header has ${header.record.length}`);
      return;
    }
    collector.add(at, toBook(field, customColumns, index + 1));
  });
  return collector.result();
}

function toBook(field: (name: string) => string, customColumnNames: readonly string[], position: number): CalibreBook {
  const id = Number(field('id'));
  const series = textOrNull(field('series'));
  const identifiers = parseIdentifiers(field('identifiers'));
  if (identifiers.isbn === undefined) addIdentifier(identifiers, 'isbn', field('isbn'));
  const comments = field('comments');
  const customColumns: Record<string, CustomColumnValue> = {};
  for (const name of customColumnNames) {
    const value = textOrNull(field(name));
    if (value !== null) customColumns[name.slice(1)] = { datatype: 'text', value };
  }
  return {
    uuid: field('uuid').trim(),
    calibreId: field('id').trim() !== '' && Number.isInteger(id) ? id : position,
    title: textOrNull(field('title')) ?? '',
    titleSort: textOrNull(field('title_sort')),
    authors: pairAuthorSorts(splitAuthors(field('authors')), textOrNull(field('author_sort'))),
    series: series === null ? null : { name: series, index: seriesIndex(field('series_index')) },
    tags: distinct(splitList(field('tags'))),
    publisher: textOrNull(field('publisher')),
    languages: splitList(field('languages')),
    identifiers,
    pubdate: calibreDate(field('pubdate')),
    rating: starsToRating(field('rating')),
    comments: comments.trim() === '' ? null : nfc(comments),
    customColumns,
    formats: distinct(splitList(field('formats')).flatMap((format) => formatOf(format) ?? [])),
    hasCover: field('cover').trim() !== '',
    lastModified: calibreDate(field('last_modified')),
    path: null,
  };
}
