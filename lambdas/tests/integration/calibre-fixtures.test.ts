/**
 * The Calibre parsers against real Calibre 6.13 libraries and exports (`../shared/fixtures/calibre`, beside the
 * repository; see its README). Skipped, with a name that says so, where that folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UnreadableLibraryError, type CalibreBook, type ParsedLibrary } from '../../src/catalogue/calibre/calibre-book';
import { parseCalibreFile } from '../../src/catalogue/calibre/detect-format';
import { readCalibredbJson } from '../../src/catalogue/calibre/read-calibredb-json';
import { readCatalogCsv } from '../../src/catalogue/calibre/read-catalog-csv';
import { readCatalogXml } from '../../src/catalogue/calibre/read-catalog-xml';
import { readMetadataDb } from '../../src/catalogue/calibre/read-metadata-db';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = path.resolve(repoRoot, '../shared/fixtures/calibre');
const missing = !existsSync(fixtures);

function fixture(name: string): Uint8Array {
  return readFileSync(path.join(fixtures, name));
}

interface Sample {
  readonly db: ParsedLibrary;
  readonly exports: readonly ParsedLibrary[];
}

let sample: Promise<Sample> | undefined;

/** The sample library read from all four formats (once for the whole file). */
function readSample(): Promise<Sample> {
  sample ??= (async () => ({
    db: await readMetadataDb(fixture('sample-library/metadata.db')),
    exports: [
      readCatalogCsv(fixture('catalog.csv')),
      readCatalogXml(fixture('catalog.xml')),
      readCalibredbJson(fixture('calibredb-list.json')),
    ],
  }))();
  return sample;
}

function byUuid(library: ParsedLibrary): Map<string, CalibreBook> {
  return new Map(library.books.map((book) => [book.uuid, book]));
}

function byId(library: ParsedLibrary, id: number): CalibreBook {
  const book = library.books.find((candidate) => candidate.calibreId === id);
  if (!book) throw new Error(`no book with calibre id ${id} in ${library.format}`);
  return book;
}

/** The fields every format carries, as the formats should agree on them. */
function shared(book: CalibreBook) {
  return {
    calibreId: book.calibreId,
    title: book.title,
    authors: book.authors,
    series: book.series,
    tags: book.tags,
    publisher: book.publisher,
    languages: book.languages,
    identifiers: book.identifiers,
    pubdate: book.pubdate,
    rating: book.rating,
    formats: book.formats,
    hasCover: book.hasCover,
    customColumns: book.customColumns,
  };
}

describe('Calibre parsers on the real Calibre fixtures', () => {
  it.skipIf(missing)(
    'parse the sample library from all four formats into the same books (needs ../shared)',
    async () => {
      // Prepare
      const { db, exports } = await readSample();
      const expected = db.books.map(shared);

      // Act
      const fromExports = exports.map((library) => byUuid(library));

      // Assess
      expect(db.books).toHaveLength(304);
      expect(db.rejected).toEqual([]);
      for (const [index, library] of exports.entries()) {
        expect(library.rejected).toEqual([]);
        const books = fromExports[index] as Map<string, CalibreBook>;
        expect([...books.keys()].sort()).toEqual(db.books.map((book) => book.uuid).sort());
        expect(db.books.map((book) => shared(books.get(book.uuid) as CalibreBook))).toEqual(expected);
      }
      const [csv, xml, json] = fromExports as [
        Map<string, CalibreBook>,
        Map<string, CalibreBook>,
        Map<string, CalibreBook>,
      ];
      for (const book of db.books) {
        // Title sort: in the CSV and the XML, not in calibredb list.
        expect([csv.get(book.uuid)?.titleSort, xml.get(book.uuid)?.titleSort]).toEqual([
          book.titleSort,
          book.titleSort,
        ]);
        expect(json.get(book.uuid)?.titleSort).toBeNull();
        // Comments: the XML and the JSON keep them as stored.
        expect([xml.get(book.uuid)?.comments, json.get(book.uuid)?.comments]).toEqual([book.comments, book.comments]);
      }
      // The CSV's comments compare only where they hold no HTML (Calibre turns HTML into Markdown, newlines into spaces).
      const plain = db.books.filter((book) => !/<\w+[ >]/.test(book.comments ?? ''));
      expect(plain.length).toBeGreaterThan(300);
      expect(plain.map((book) => csv.get(book.uuid)?.comments)).toEqual(
        plain.map((book) => book.comments?.replace(/\r?\n/g, ' ') ?? null),
      );
    },
  );

  it.skipIf(missing)("keep the README's messy cases as Calibre stored them (needs ../shared)", async () => {
    // Prepare
    const { db, exports } = await readSample();
    const libraries = [db, ...exports];

    // Act
    const authorsOf = (library: ParsedLibrary, id: number) => byId(library, id).authors.map((author) => author.name);

    // Assess
    for (const library of libraries) {
      // One author, two spellings: both appear as given.
      for (const id of [2, 16, 18, 20, 21, 22, 24]) expect(authorsOf(library, id)).toContain('J.K. Rowling');
      expect(authorsOf(library, 182)).toEqual(['J. K. Rowling']);
      // Two editions of Pride and Prejudice.
      const [first, second] = [byId(library, 10), byId(library, 301)];
      expect([first.title, second.title]).toEqual(['Pride and Prejudice', 'Pride and Prejudice']);
      expect(first.uuid).not.toBe(second.uuid);
      expect(first.identifiers).toEqual({ isbn: '0679783261', goodreads: '1885' });
      expect(second.identifiers).toEqual({ isbn: '0141439513' });
      expect(second.publisher).toBe('Penguin Classics');
      expect(second.pubdate).toBe('2003-04-29T12:00:00.000Z');
      // Vietnamese titles and authors intact, in NFC.
      const vietnamese = [302, 303, 304].map((id) => byId(library, id));
      expect(vietnamese.map((book) => book.title)).toEqual(['Số đỏ', 'Truyện Kiều', 'Dế Mèn phiêu lưu ký']);
      expect(vietnamese.map((book) => book.authors[0]?.name)).toEqual(['Vũ Trọng Phụng', 'Nguyễn Du', 'Tô Hoài']);
      for (const book of vietnamese) {
        expect(book.title).toBe(book.title.normalize('NFC'));
        expect(book.languages).toEqual(['vie']);
      }
      // No ISBN for these ten books; all the others have one.
      const withoutIsbn = library.books.filter((book) => book.identifiers.isbn === undefined);
      expect(withoutIsbn.map((book) => book.calibreId)).toEqual([211, 221, 236, 240, 274, 278, 285, 302, 303, 304]);
      // Calibre's undefined pubdate (0101-01-01) is no date.
      expect([byId(library, 68).pubdate, byId(library, 165).pubdate]).toEqual([null, null]);
    }
    // HTML comments: kept in metadata.db, turned into Markdown in the CSV.
    expect(byId(db, 5).comments).toMatch(/^<div><p><i>.*<b>The Great Gatsby<\/b>.*&amp; publisher blurb/s);
    expect(byId(exports[0] as ParsedLibrary, 5).comments).toMatch(/\*\*The Great Gatsby\*\*/);
    expect(byId(db, 302).authors).toEqual([{ name: 'Vũ Trọng Phụng', sort: 'Phụng, Vũ Trọng' }]);
    expect(byId(db, 302).path).toBe('Vu Trong Phung/So do (302)');
  });

  it.skipIf(missing)(
    'parse the 10,000-book goodbooks library with the counts its README gives (needs ../shared)',
    async () => {
      // Prepare
      const bytes = fixture('goodbooks-10k-library/metadata.db');

      // Act
      const started = performance.now();
      const library = await readMetadataDb(bytes);
      const elapsed = performance.now() - started;

      // Assess
      const books = library.books;
      const count = (predicate: (book: CalibreBook) => boolean) => books.filter(predicate).length;
      expect(books).toHaveLength(10_000);
      expect(library.rejected).toEqual([]);
      expect(new Set(books.flatMap((book) => book.authors.map((author) => author.name))).size).toBe(5_834);
      expect(new Set(books.flatMap((book) => book.tags)).size).toBe(1_406);
      expect(count((book) => book.tags.length > 0)).toBe(6_963);
      expect(books.reduce((links, book) => links + book.tags.length, 0)).toBe(41_778);
      expect(new Set(books.flatMap((book) => (book.series ? [book.series.name] : []))).size).toBe(1_766);
      expect(count((book) => book.series !== null)).toBe(4_323);
      expect(count((book) => book.comments !== null)).toBe(2_872);
      expect(books.reduce((ids, book) => ids + Object.keys(book.identifiers).length, 0)).toBe(19_277);
      expect(count((book) => book.identifiers.goodreads !== undefined)).toBe(10_000);
      expect(count((book) => book.identifiers.isbn !== undefined)).toBe(9_277);
      expect(count((book) => book.languages.length > 0)).toBe(8_915);
      expect(count((book) => book.pubdate === null)).toBe(53);
      // A few set-based queries, not one per book: about 0.5 s here; the bound only catches a per-book regression.
      expect(elapsed).toBeLessThan(5_000);
    },
  );

  it.skipIf(missing)('refuse the real library cut short, and the real CSV in Latin-1 (needs ../shared)', async () => {
    // Prepare
    const metadataDb = fixture('sample-library/metadata.db');
    const cut = metadataDb.slice(0, Math.floor(metadataDb.length / 2) + 123);
    const latin1 = Uint8Array.from(Buffer.from(new TextDecoder().decode(fixture('catalog.csv')), 'latin1'));

    // Act
    const errors = await Promise.all([
      parseCalibreFile('metadata.db', cut).catch((error: unknown) => error),
      parseCalibreFile('catalog.csv', latin1).catch((error: unknown) => error),
    ]);

    // Assess
    expect(errors[0]).toBeInstanceOf(UnreadableLibraryError);
    expect((errors[0] as Error).message).toMatch(
      /^truncated SQLite database: \d+ bytes, but its header declares 1044480/,
    );
    expect(errors[1]).toBeInstanceOf(UnreadableLibraryError);
    expect((errors[1] as Error).message).toMatch(/^not UTF-8 text/);
  });
});
