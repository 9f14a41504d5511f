/**
 * A book as a Calibre library describes it, read from any of Calibre's formats (metadata.db, `calibredb catalog`
 * CSV or XML, `calibredb list --for-machine` JSON) before any cleaning. Every parser produces exactly this, so the
 * same library read from any format gives the same records.
 */
import { ShelfwiseError } from '../../shared/errors';

export type CustomColumnValue =
  | {
      readonly datatype: 'text' | 'comments' | 'series' | 'enumeration' | 'composite';
      readonly value: string | string[];
    }
  | { readonly datatype: 'int' | 'float' | 'rating'; readonly value: number }
  | { readonly datatype: 'bool'; readonly value: boolean }
  | { readonly datatype: 'datetime'; readonly value: string };

export interface CalibreBook {
  /** Calibre's uuid: the book's identity within its library. */
  readonly uuid: string;
  /** Calibre's numeric id within the library (row id); used in reports. */
  readonly calibreId: number;
  readonly title: string;
  /** Calibre's own title sort, when the source carries it. */
  readonly titleSort: string | null;
  /** In Calibre's order; `sort` is Calibre's author sort when the source carries it per author. */
  readonly authors: readonly { readonly name: string; readonly sort: string | null }[];
  readonly series: { readonly name: string; readonly index: number } | null;
  /** Tags as Calibre stores them; hierarchical tags keep their dots (`Fiction.Science Fiction`). */
  readonly tags: readonly string[];
  readonly publisher: string | null;
  /** ISO 639-2/3 codes as Calibre stores them (`eng`, `vie`). */
  readonly languages: readonly string[];
  /** Identifier type → value, as given (`isbn`, `goodreads`, `amazon`, …). */
  readonly identifiers: Readonly<Record<string, string>>;
  /** ISO 8601 timestamp; null when Calibre's "undefined" date (year 101 or earlier) or absent. */
  readonly pubdate: string | null;
  /** 0–10 (Calibre's half stars ×2); null when unrated. */
  readonly rating: number | null;
  /** The comments field as stored: HTML in metadata.db and JSON, Markdown-ish text in the CSV export. Untrusted. */
  readonly comments: string | null;
  /** Custom columns by lookup name without the `#`. */
  readonly customColumns: Readonly<Record<string, CustomColumnValue>>;
  /** Upper-case format names present (`EPUB`, `PDF`). */
  readonly formats: readonly string[];
  readonly hasCover: boolean;
  /** ISO 8601. */
  readonly lastModified: string | null;
  /** Folder of the book relative to the library root (metadata.db only), for covers and formats. */
  readonly path: string | null;
}

/** A row the parser could not turn into a book (the rest of the library still ingests). */
export interface RejectedRow {
  /** Where in the source: a Calibre id, a CSV line, an XML record index. */
  readonly at: string;
  readonly reason: string;
}

export type CalibreSourceFormat = 'metadata.db' | 'csv' | 'xml' | 'json';

export interface ParsedLibrary {
  readonly format: CalibreSourceFormat;
  readonly books: readonly CalibreBook[];
  readonly rejected: readonly RejectedRow[];
}

/** The whole file cannot be read as a Calibre library (truncated, not SQLite, not a Calibre schema, not UTF-8 …). */
export class UnreadableLibraryError extends ShelfwiseError {
  constructor(
    message: string,
    readonly format: CalibreSourceFormat | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
