/**
 * Calibre's own conventions, shared by the four parsers so that one library read from any format gives the same
 * `CalibreBook`: dates (the "undefined" year 101, local offsets → UTC), ratings (stars vs 0–10), author lists joined
 * with ` & ` (a literal `&` doubled), identifiers as `type:value,…`, strings in NFC, and the per-row checks (title,
 * uuid, duplicate uuid) that send a row to `rejected` while the rest of the library still parses.
 */
import type { CalibreBook, CalibreSourceFormat, ParsedLibrary, RejectedRow } from './calibre-book';

/** Unicode NFC, so that the same text read from any format (or typed on macOS) compares equal. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

/** Trimmed NFC text, or null when absent or blank. */
export function textOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = nfc(value.trim());
  return text === '' ? null : text;
}

const isoLike =
  /^(-?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A Calibre date (`2008-01-01 12:00:00+00:00` in metadata.db, `2008-01-01T12:00:00+00:00` in the exports, possibly
 * with the exporting machine's offset) as a UTC ISO 8601 string (`2008-01-01T12:00:00.000Z`), or null for Calibre's
 * "undefined" date (year 101 or earlier), `None`, blank or unparseable text. Precision is milliseconds.
 */
export function calibreDate(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const match = isoLike.exec(raw.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (Number(year) <= 101) return null;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  date.setUTCHours(Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), millis);
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0);
    date.setTime(date.getTime() - sign * offsetMinutes * 60_000);
  }
  return date.toISOString();
}

/** Calibre's 0–10 rating (half stars ×2); 0, negative, non-numeric or absent → null (Calibre shows 0 as unrated). */
export function calibreRating(raw: unknown): number | null {
  const value = typeof raw === 'string' ? (raw.trim() === '' ? NaN : Number(raw)) : typeof raw === 'number' ? raw : NaN;
  if (!Number.isFinite(value) || value <= 0) return null;
  return Math.min(10, Math.round(value));
}

/** A rating in stars as the catalog CSV and XML write it (`4.5`) → 0–10 (`9`). */
export function starsToRating(raw: unknown): number | null {
  const stars = typeof raw === 'string' ? (raw.trim() === '' ? NaN : Number(raw)) : typeof raw === 'number' ? raw : NaN;
  return Number.isFinite(stars) ? calibreRating(stars * 2) : null;
}

/** A series index (`1.0`, `2.5`); Calibre's default is 1. */
export function seriesIndex(raw: unknown): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(value) ? value : 1;
}

const AMPERSAND = '\uffff';

/**
 * Calibre's `string_to_authors` for its own output: names joined with `&`, a literal `&` inside a name doubled (`&&`).
 */
export function splitAuthors(raw: string): string[] {
  return raw
    .replaceAll('&&', AMPERSAND)
    .split('&')
    .map((name) => nfc(name.trim().replaceAll(AMPERSAND, '&')))
    .filter((name) => name !== '');
}

/**
 * Pairs author names with the book's `author_sort` (Calibre writes the per-author sorts joined with ` & `). When the
 * counts differ, repeated sorts are dropped first (Calibre merges a repeated author but keeps its sort twice, e.g.
 * `Sachar, Louis & Sachar, Louis`); if they still differ (the sort was edited by hand) no author gets a sort.
 */
export function pairAuthorSorts(names: readonly string[], authorSort: string | null): CalibreBook['authors'] {
  let sorts = authorSort === null ? [] : splitAuthors(authorSort);
  if (sorts.length !== names.length) sorts = distinct(sorts);
  const paired = sorts.length === names.length;
  return names.map((name, index) => ({ name, sort: paired ? (sorts[index] ?? null) : null }));
}

/** `isbn:0439023483,goodreads:2767052` → `{ isbn: '0439023483', goodreads: '2767052' }` (Calibre forbids `,` in values). */
export function parseIdentifiers(raw: string): Record<string, string> {
  const identifiers: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) continue;
    addIdentifier(identifiers, pair.slice(0, colon), pair.slice(colon + 1));
  }
  return identifiers;
}

/** Adds one identifier as Calibre keys it: type lower-case and trimmed; blank types or values are skipped. */
export function addIdentifier(identifiers: Record<string, string>, type: string, value: string): void {
  const key = nfc(type.trim().toLowerCase());
  const text = nfc(value.trim());
  if (key !== '' && text !== '') identifiers[key] = text;
}

/** `a, b, c` → `['a', 'b', 'c']` (tags in the exports; Calibre forbids `,` in a tag). */
export function splitList(raw: string, separator: string | RegExp = ','): string[] {
  return raw
    .split(separator)
    .map((item) => nfc(item.trim()))
    .filter((item) => item !== '');
}

/** Upper-case format name from a file path or extension (`…/Title - Author.epub` → `EPUB`). */
export function formatOf(pathOrExtension: string): string | null {
  const name = pathOrExtension.trim().split(/[\\/]/).at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  const extension = (dot >= 0 ? name.slice(dot + 1) : name).trim().toUpperCase();
  return extension === '' ? null : extension;
}

/** Distinct values in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * Collects a parser's books and rejected rows. A book without a title or uuid, or whose uuid was already seen, is
 * rejected with the reason; the rest of the library still parses.
 */
export class LibraryCollector {
  private readonly books: CalibreBook[] = [];
  private readonly rejected: RejectedRow[] = [];
  private readonly seen = new Map<string, string>();

  constructor(private readonly format: CalibreSourceFormat) {}

  /** Adds the book, or rejects it with the reason; says whether it was added. */
  add(at: string, book: CalibreBook): boolean {
    const first = this.seen.get(book.uuid);
    const reason =
      book.uuid.trim() === ''
        ? 'missing uuid'
        : book.title.trim() === ''
          ? 'missing title'
          : first !== undefined
            ? `duplicate uuid ${book.uuid} (first seen at ${first})`
            : null;
    if (reason !== null) {
      this.reject(at, reason);
      return false;
    }
    this.seen.set(book.uuid, at);
    this.books.push(book);
    return true;
  }

  reject(at: string, reason: string): void {
    this.rejected.push({ at, reason });
  }

  result(): ParsedLibrary {
    return { format: this.format, books: this.books, rejected: this.rejected };
  }
}

/** Decodes bytes as strict UTF-8 (a leading BOM dropped) or returns null when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
