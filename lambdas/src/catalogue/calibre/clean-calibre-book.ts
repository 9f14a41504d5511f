/**
 * Cleans one parsed Calibre book into a catalogue input: text repaired (mojibake, NFC, whitespace), the description
 * sanitised, identifiers validated, Calibre's conventions mapped (rating, dates, languages, custom columns). A book that
 * cannot be stored (no title left after cleaning, no uuid) is rejected with the reason.
 *
 * Cleaning comes in two steps, so that the costly one can be skipped for books that did not change:
 * `cleanCalibreFields` does everything but the description and decides whether the book is stored (a description never
 * rejects a book); `withDescription` then sanitises the description (most of the cost). `cleanCalibreBook` does both.
 * `sourceHashOf` fingerprints the raw book with `cleaningVersion`: the same hash gives the same cleaned book.
 */
import { hash } from 'node:crypto';
import { catalogueInputSchema, type CatalogueInput } from '../domain/catalogue-record';
import { cleanDescription } from '../domain/description';
import { cleanIdentifiers } from '../domain/identifiers';
import { cleanText } from '../domain/text-repair';
import type { CalibreBook } from './calibre-book';

/**
 * The version of the cleaning rules: bump it whenever a change to this file, the domain's text, description or
 * identifier cleaning, or to a library they use can change a cleaned book, so that every book is cleaned again (the
 * cleaning fingerprint test fails until it is bumped).
 */
export const cleaningVersion = 1;

export type CleanedBook =
  | { readonly ok: true; readonly input: CatalogueInput; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** A book cleaned but for its description (null in `input` until `withDescription`). */
export type CleanedFields =
  | {
      readonly ok: true;
      readonly input: CatalogueInput;
      /** The raw description, for `withDescription`. */
      readonly comments: string | null;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/** Fingerprint of the raw book and the cleaning rules (what a report names it by, `calibreId` and `path`, left out). */
export function sourceHashOf(book: CalibreBook): string {
  const { calibreId: _calibreId, path: _path, ...source } = book;
  return hash('sha256', `${cleaningVersion}\0${JSON.stringify(source)}`, 'base64url');
}

const audiences = new Map<string, CatalogueInput['audience']>([
  ['children', 'children'],
  ["children's", 'children'],
  ['juvenile', 'children'],
  ['kids', 'children'],
  ['young adult', 'young-adult'],
  ['young-adult', 'young-adult'],
  ['ya', 'young-adult'],
  ['teen', 'young-adult'],
  ['adult', 'adult'],
]);

/** Audience from a custom column `audience`, else from tags such as `young-adult` or `children`. */
function audienceOf(book: CalibreBook): CatalogueInput['audience'] {
  const column = book.customColumns.audience;
  const candidates = [
    ...(column && typeof column.value === 'string' ? [column.value] : []),
    ...book.tags.map((tag) => tag.split('.').at(-1) ?? tag),
  ];
  for (const candidate of candidates) {
    const audience = audiences.get(candidate.trim().toLowerCase());
    if (audience) return audience;
  }
  return null;
}

/** Page count from a custom column such as Count Pages' `pages`. */
function pageCountOf(book: CalibreBook): number | null {
  for (const name of ['pages', 'pagecount', 'page_count']) {
    const column = book.customColumns[name];
    if (column && typeof column.value === 'number' && Number.isInteger(column.value) && column.value > 0)
      return column.value;
  }
  return null;
}

function dateOnly(iso: string | null): string | null {
  if (!iso) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match || Number(match[1]) <= 101) return null; // Calibre's "undefined" date is 0101-01-01.
  return `${match[1]}-${match[2]}-${match[3]}`;
}

export function cleanCalibreBook(book: CalibreBook): CleanedBook {
  const fields = cleanCalibreFields(book);
  if (!fields.ok) return fields;
  const { input, warnings } = withDescription(fields.input, fields.comments);
  return { ok: true, input, warnings: [...warnings, ...fields.warnings] };
}

/** The input with its description cleaned, and the description's warnings. */
export function withDescription(
  input: CatalogueInput,
  comments: string | null,
): { input: CatalogueInput; warnings: readonly string[] } {
  const description = cleanDescription(comments);
  return {
    input: { ...input, descriptionText: description.text, descriptionHtml: description.html },
    warnings: description.warnings,
  };
}

/** Everything but the description (see the file's doc comment). */
export function cleanCalibreFields(book: CalibreBook): CleanedFields {
  const title = cleanText(book.title);
  if (!book.uuid.trim()) return { ok: false, reason: 'missing uuid' };
  if (!title) return { ok: false, reason: 'missing title' };
  const identifiers = cleanIdentifiers(book.identifiers);
  const pubdate = dateOnly(book.pubdate);
  const authors = book.authors
    .map((author) => ({ name: cleanText(author.name), sort: author.sort ? cleanText(author.sort) : null }))
    .filter((author) => author.name !== '');
  const input = {
    sourceId: book.uuid.trim(),
    title,
    titleSort: book.titleSort ? cleanText(book.titleSort) : null,
    authors: authors.length > 0 ? authors : [{ name: 'Unknown', sort: 'Unknown' }],
    year: pubdate ? Number(pubdate.slice(0, 4)) : null,
    pubdate,
    languages: [
      ...new Set(book.languages.map((code) => code.trim().toLowerCase()).filter((code) => /^[a-z]{3}$/.test(code))),
    ],
    subjects: [...new Set(book.tags.map(cleanText).filter((tag) => tag !== ''))],
    audience: audienceOf(book),
    pageCount: pageCountOf(book),
    series:
      book.series && cleanText(book.series.name)
        ? { name: cleanText(book.series.name), index: book.series.index }
        : null,
    publisher: book.publisher && cleanText(book.publisher) ? cleanText(book.publisher) : null,
    identifiers: [...identifiers.identifiers],
    rating: book.rating === null ? null : Math.max(0, Math.min(10, Math.round(book.rating))) || null,
    descriptionText: null,
    descriptionHtml: null,
    customColumns: book.customColumns,
    formats: [...new Set(book.formats.map((format) => format.toUpperCase()))].sort(),
    hasCover: book.hasCover,
    lastModified: book.lastModified,
  };
  const parsed = catalogueInputSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      reason: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    };
  }
  return { ok: true, input: parsed.data, comments: book.comments, warnings: identifiers.warnings };
}
