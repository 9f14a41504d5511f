/**
 * Reads a zipped Calibre library folder: finds `metadata.db` at the root of the zip or one folder down
 * (`Calibre Library/metadata.db`), parses it with `readMetadataDb`, and lists the cover (`<book path>/cover.jpg`) and
 * format files (`<book path>/<data.name>.<format>`) that the zip really holds, each with a lazy `bytes()`.
 *
 * - Zip bombs: the central directory is read first and the zip is refused (`UnreadableLibraryError`) when it holds more
 *   than `maxEntries` entries (default 250,000) or its entries declare more than `maxUncompressedBytes` in all
 *   (default 2 GiB). Every entry is inflated into a buffer of its declared size, never more, and an entry whose data
 *   does not match its declared size or CRC-32 is refused as corrupt.
 * - Not a zip, a truncated zip (no end of central directory), no `metadata.db`, or several candidate `metadata.db`
 *   files one folder down → `UnreadableLibraryError`; so is anything `readMetadataDb` refuses.
 * - fflate inflates; the central directory is indexed here (fflate has no random access), so each `bytes()` call costs
 *   one entry's inflation, not a scan of the zip.
 * - What this format lacks: nothing beyond metadata.db (it is metadata.db); `files` holds only what the zip contains.
 * - Performance: indexing is linear in the number of entries (about 1 µs each); then as `readMetadataDb`.
 */
import { crc32 } from 'node:zlib';
import { inflateSync } from 'fflate';
import { UnreadableLibraryError, type ParsedLibrary } from './calibre-book';
import { readMetadataDbWithFiles, type FormatFile, type SqlJsOptions } from './read-metadata-db';

export interface LibraryFile {
  readonly bookUuid: string;
  readonly kind: 'cover' | 'format';
  /** Upper-case format name (`EPUB`), for `kind: 'format'`. */
  readonly format?: string;
  /** Path of the file inside the zip. */
  readonly path: string;
  /** Uncompressed size in bytes, as the zip declares it. */
  readonly size: number;
  /** Inflates the file (each call inflates again). Throws `UnreadableLibraryError` when the entry is corrupt. */
  readonly bytes: () => Uint8Array;
}

/** A Calibre library with the files (covers, formats) that came with it. */
export interface LibraryWithFiles {
  readonly library: ParsedLibrary;
  readonly files: readonly LibraryFile[];
  /**
   * A metadata.db uploaded with its library folder: the format files it names, relative to the folder (the ingest
   * reads them beside it in the bucket). Absent for other sources.
   */
  readonly folderFiles?: readonly FormatFile[];
}

export interface ZipLimits {
  /** Most bytes the entries may declare uncompressed, in all (default 2 GiB). */
  readonly maxUncompressedBytes?: number;
  /** Most entries (files and folders) the zip may hold (default 250,000). */
  readonly maxEntries?: number;
}

export type LibraryZipOptions = ZipLimits & SqlJsOptions;

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_ZIP_ENTRIES = 250_000;

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly encrypted: boolean;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

function corrupt(message: string): UnreadableLibraryError {
  return new UnreadableLibraryError(`not a valid zip: ${message}`, 'metadata.db');
}

/** The zip's central directory: names, sizes and where each entry's data starts. */
function readCentralDirectory(zip: Uint8Array, limits: Required<ZipLimits>): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end of central directory (truncated, or not a zip)');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64 = Number(view.getBigUint64(eocd - 12, true));
    if (zip64 + 56 > zip.length || view.getUint32(zip64, true) !== ZIP64_EOCD_SIGNATURE) {
      throw corrupt('broken zip64 end of central directory');
    }
    count = Number(view.getBigUint64(zip64 + 32, true));
    offset = Number(view.getBigUint64(zip64 + 48, true));
  }
  if (count > limits.maxEntries) {
    throw new UnreadableLibraryError(
      `zip refused: ${count} entries, more than the limit of ${limits.maxEntries}`,
      'metadata.db',
    );
  }
  const utf8 = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  const entries: ZipEntry[] = [];
  let declared = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > zip.length || view.getUint32(offset, true) !== CENTRAL_HEADER_SIGNATURE) {
      throw corrupt(`central directory entry ${i + 1} of ${count} is missing or damaged`);
    }
    const flags = view.getUint16(offset + 8, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const nameEnd = offset + 46 + nameLength;
    if (nameEnd + extraLength > zip.length) throw corrupt(`central directory entry ${i + 1} runs past the end`);
    const name = ((flags & 0x800) !== 0 ? utf8 : latin1).decode(zip.subarray(offset + 46, nameEnd));
    let compressedSize = view.getUint32(offset + 20, true);
    let size = view.getUint32(offset + 24, true);
    let localHeaderOffset = view.getUint32(offset + 42, true);
    for (let extra = nameEnd; extra + 4 <= nameEnd + extraLength;) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = () => {
          const value = field + 8 <= extra + 4 + length ? Number(view.getBigUint64(field, true)) : NaN;
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      extra += 4 + length;
    }
    if (![size, compressedSize, localHeaderOffset].every(Number.isFinite)) {
      throw corrupt(`entry ${name} has a broken zip64 extra field`);
    }
    declared += size;
    if (declared > limits.maxUncompressedBytes) {
      throw new UnreadableLibraryError(
        `zip refused: its entries declare more than ${limits.maxUncompressedBytes} bytes uncompressed ` +
          '(zip bomb guard; raise maxUncompressedBytes for a larger library)',
        'metadata.db',
      );
    }
    entries.push({
      name,
      method: view.getUint16(offset + 10, true),
      encrypted: (flags & 0x1) !== 0,
      crc: view.getUint32(offset + 16, true),
      compressedSize,
      size,
      localHeaderOffset,
    });
    offset = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry into a buffer of its declared size (never more). */
function entryBytes(zip: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const header = entry.localHeaderOffset;
  if (header + 30 > zip.length || view.getUint32(header, true) !== LOCAL_HEADER_SIGNATURE) {
    throw corrupt(`the local header of ${entry.name} is missing or damaged`);
  }
  const start = header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw corrupt(`${entry.name} runs past the end of the zip (truncated?)`);
  if (entry.encrypted) throw corrupt(`${entry.name} is encrypted`);
  let bytes: Uint8Array;
  if (entry.method === 0) bytes = zip.slice(start, end);
  else if (entry.method === 8) {
    try {
      bytes = inflateSync(zip.subarray(start, end), { out: new Uint8Array(entry.size) });
    } catch (error) {
      throw new UnreadableLibraryError(
        `not a valid zip: ${entry.name} does not inflate (${error instanceof Error ? error.message : String(error)})`,
        'metadata.db',
        { cause: error },
      );
    }
  } else throw corrupt(`${entry.name} uses compression method ${entry.method} (only stored and deflate are read)`);
  if (bytes.length !== entry.size) {
    throw corrupt(`${entry.name} holds ${bytes.length} bytes where the zip declares ${entry.size}`);
  }
  // A stream longer than its declared size is cut at that size; the checksum tells.
  if (crc32(bytes) !== entry.crc)
    throw corrupt(`${entry.name} fails its CRC-32 check (damaged, or not its declared size)`);
  return bytes;
}

/** `metadata.db` at the root, else exactly one `<folder>/metadata.db`. */
function findMetadataDb(entries: readonly ZipEntry[]): ZipEntry {
  const root = entries.find((entry) => entry.name === 'metadata.db');
  if (root) return root;
  const oneDown = entries.filter(
    (entry) => /^[^/]+\/metadata\.db$/.test(entry.name) && !entry.name.startsWith('__MACOSX/'),
  );
  const [only, ...others] = oneDown;
  if (!only) {
    throw new UnreadableLibraryError(
      'zip holds no metadata.db (looked at the root and one folder down)',
      'metadata.db',
    );
  }
  if (others.length > 0) {
    throw new UnreadableLibraryError(
      `zip holds several libraries: ${oneDown.map((entry) => entry.name).join(', ')}`,
      'metadata.db',
    );
  }
  return only;
}

/** Reads a zipped Calibre library and lists its covers and format files (see the file's doc comment). */
export async function readLibraryZip(bytes: Uint8Array, options: LibraryZipOptions = {}): Promise<LibraryWithFiles> {
  const limits = {
    maxUncompressedBytes: options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ZIP_ENTRIES,
  };
  const entries = readCentralDirectory(bytes, limits);
  const database = findMetadataDb(entries);
  const prefix = database.name.slice(0, -'metadata.db'.length);
  const { library, formatFiles } = await readMetadataDbWithFiles(entryBytes(bytes, database), options);

  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const fileOf = (entry: ZipEntry) => () => entryBytes(bytes, entry);
  const files: LibraryFile[] = [];
  for (const book of library.books) {
    if (book.path === null) continue;
    const cover = byName.get(`${prefix}${book.path}/cover.jpg`);
    if (cover) {
      files.push({ bookUuid: book.uuid, kind: 'cover', path: cover.name, size: cover.size, bytes: fileOf(cover) });
    }
  }
  for (const file of formatFiles) {
    const entry = byName.get(`${prefix}${file.path}`);
    if (!entry) continue;
    files.push({
      bookUuid: file.bookUuid,
      kind: 'format',
      format: file.format,
      path: entry.name,
      size: entry.size,
      bytes: fileOf(entry),
    });
  }
  return { library, files };
}
