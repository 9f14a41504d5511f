/**
 * Picks the parser for an uploaded Calibre file: by its first bytes (SQLite's `SQLite format 3\0`, a zip's `PK\3\4`,
 * `<` for XML such as `<?xml` or `<calibredb`, `[` or `{` for JSON, after an optional BOM and whitespace), and only
 * then by the file name (`.db`/`.sqlite`, `.zip`, `.xml`, `.json`, `.csv`); a CSV has no magic bytes, so a file that
 * matches nothing else is read as CSV when its first line names `uuid` and `title`.
 *
 * A zero-byte file → `UnreadableLibraryError` "empty file"; a file that starts like SQLite but is cut short →
 * "truncated SQLite database: …" (from `readMetadataDb`); anything unrecognised → "unrecognised file: …".
 * Every result has the shape of `readLibraryZip`'s: `files` is empty unless the upload was a zipped library; a
 * metadata.db also lists the format files it names (`folderFiles`), for a library folder uploaded file by file.
 */
import { UnreadableLibraryError } from './calibre-book';
import { readCalibredbJson } from './read-calibredb-json';
import { readCatalogCsv } from './read-catalog-csv';
import { readCatalogXml } from './read-catalog-xml';
import { readLibraryZip, type LibraryWithFiles, type LibraryZipOptions } from './read-library-zip';
import { looksLikeSqlite, readMetadataDbWithFiles } from './read-metadata-db';

export type CalibreFileKind = 'metadata.db' | 'zip' | 'csv' | 'xml' | 'json';

const BY_EXTENSION: Readonly<Record<string, CalibreFileKind>> = {
  db: 'metadata.db',
  sqlite: 'metadata.db',
  sqlite3: 'metadata.db',
  zip: 'zip',
  csv: 'csv',
  xml: 'xml',
  json: 'json',
};

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** The first character that is not a BOM or whitespace, looking at most 4 kB in. */
function firstSignificantCharacter(bytes: Uint8Array): string | null {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096));
  const match = /^[\ufeff\s]*(\S)/u.exec(head);
  return match?.[1] ?? null;
}

/** Which kind of Calibre file the bytes are (see the file's doc comment). */
export function detectCalibreFile(key: string, bytes: Uint8Array): CalibreFileKind {
  if (bytes.length === 0) throw new UnreadableLibraryError('empty file', 'unknown');
  if (looksLikeSqlite(bytes)) return 'metadata.db';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  const first = firstSignificantCharacter(bytes);
  if (first === '<') return 'xml';
  if (first === '[' || first === '{') return 'json';
  const name = key.split(/[?#]/)[0] ?? key;
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const byName = name.includes('.') ? BY_EXTENSION[extension] : undefined;
  if (byName) return byName;
  const firstLine = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096)).split(/\r?\n/)[0] ?? '';
  if (/\buuid\b/.test(firstLine) && /\btitle\b/.test(firstLine)) return 'csv';
  throw new UnreadableLibraryError(
    'unrecognised file: not SQLite (metadata.db), a zip, XML, JSON, or a CSV with uuid and title columns',
    'unknown',
  );
}

/** Parses an uploaded Calibre file of any supported kind; `key` is its name (an S3 key), used only as a hint. */
export async function parseCalibreFile(
  key: string,
  bytes: Uint8Array,
  options: LibraryZipOptions = {},
): Promise<LibraryWithFiles> {
  switch (detectCalibreFile(key, bytes)) {
    case 'metadata.db': {
      const { library, formatFiles } = await readMetadataDbWithFiles(bytes, options);
      return { library, files: [], folderFiles: formatFiles };
    }
    case 'zip':
      return readLibraryZip(bytes, options);
    case 'xml':
      return { library: readCatalogXml(bytes), files: [] };
    case 'json':
      return { library: readCalibredbJson(bytes), files: [] };
    case 'csv':
      return { library: readCatalogCsv(bytes), files: [] };
  }
}
