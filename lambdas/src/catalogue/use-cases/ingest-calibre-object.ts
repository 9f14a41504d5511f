import {
  UnreadableLibraryError,
  type CalibreBook,
  type ParsedLibrary,
  type RejectedRow,
} from '../calibre/calibre-book';
import { cleanCalibreFields, sourceHashOf, withDescription, type CleanedFields } from '../calibre/clean-calibre-book';
import type { LibraryWithFiles } from '../calibre/read-library-zip';
import {
  coverFormat,
  type LibraryBookFile,
  type LibraryFilesOutcome,
} from '../../reading/use-cases/store-library-files';
import { prepareDrafts, type BookDraft } from '../domain/prepare-library';
import type { CatalogueWriter, IngestReport, IngestRun, IngestRunLog, ObjectStore } from '../ports';

/** Where librarians upload: `calibre/<library>/<file>`. */
export const ingestPrefix = 'calibre/';
export const quarantinePrefix = 'quarantine/';

/** Most report lines kept per kind; the counts are always complete. */
const maxReportLines = 1000;

export interface IngestCalibreDependencies {
  readonly objects: ObjectStore;
  readonly writer: CatalogueWriter;
  readonly runs: IngestRunLog;
  readonly parse: (key: string, bytes: Uint8Array) => Promise<LibraryWithFiles>;
  /** Largest file accepted (bytes). */
  readonly maxObjectBytes: number;
  /** Runs after a successful write (the chatbot embeds new and changed books); a failure is reported, not fatal. */
  readonly afterIngest?: (library: string) => Promise<void>;
  /**
   * Stores the library's book files in the books bucket (lambdas/src/reading/use-cases/store-library-files.ts), after
   * the write; without it book files are left where they are.
   */
  readonly storeBookFiles?: (library: string, files: readonly LibraryBookFile[]) => Promise<LibraryFilesOutcome>;
}

const sourceFile = /^(metadata\.db|[^/]+\.(csv|xml|json|zip))$/i;

const libraryName = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * Tells which library an uploaded key belongs to, and whether it is a library source at all (a Calibre library
 * folder uploaded file by file also brings OPF files and covers, which are not ingested on their own).
 */
export function librarySource(key: string): { library: string; file: string; problem?: string } | 'not-a-source' {
  if (!key.startsWith(ingestPrefix)) return 'not-a-source';
  const [library = '', ...rest] = key.slice(ingestPrefix.length).split('/');
  const file = rest.join('/');
  if (!sourceFile.test(file)) return 'not-a-source';
  if (!libraryName.test(library)) {
    return {
      library: '_invalid',
      file,
      problem: `"${key}" is not under calibre/<library>/ with a valid library name (lower-case letters, digits, ".", "_" or "-", at most 64)`,
    };
  }
  return { library, file };
}

/**
 * Ingest one file that landed in the ingest bucket.
 * 1. Find the library from the key; files that are not a library source are ignored.
 * 2. Record the run; refuse files over the size limit.
 * 3. Parse the file (metadata.db, CSV, XML, JSON or a zip of the library folder). A file that cannot be read at all is
 *    moved to quarantine with a JSON report beside it, and the run says so.
 * 4. Clean every book but its description; rows that cannot be stored are reported, the rest go on. A file with no
 *    usable row is quarantined.
 * 5. Merge authors and group editions across the library, then write it in one transaction (withdrawing books gone
 *    from it). A description is cleaned only when the writer needs the book's record: when the book is new, or its
 *    source, its merged authors or its work changed (or the cleaning rules did). Warnings about a description are
 *    therefore reported by the run that cleaned it.
 * 6. Store the covers and book files (EPUB, PDF, TXT…) of a library zip, or the book files beside an uploaded
 *    metadata.db (`calibre/<library>/<book path>/…`), in the books bucket (covers under its public `covers/` prefix):
 *    keyed by content hash, copied only when changed; files over the size limit or unreadable are warnings.
 * 7. Finish the run with its counts and report. Any other failure marks the run failed and is rethrown, so the event
 *    is retried and finally lands in the dead-letter queue.
 */
export async function ingestCalibreObject(
  deps: IngestCalibreDependencies,
  key: string,
): Promise<IngestRun | undefined> {
  const source = librarySource(key);
  if (source === 'not-a-source') return undefined;
  const runId = await deps.runs.start(source.library, key);
  const quarantine = async (error: string, format?: string): Promise<IngestRun> => {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = `${quarantinePrefix}${source.library}/${stamp}-run${runId}-${source.file.replace(/\//g, '_')}`;
    const reportKey = `${target}.report.json`;
    const report: IngestReport = { error, quarantine: { key: target, reportKey }, ...(format ? { format } : {}) };
    await deps.objects.move(key, target);
    await deps.objects.put(
      reportKey,
      JSON.stringify(
        { what: key, where: target, why: error, library: source.library, run: runId, at: new Date().toISOString() },
        null,
        2,
      ),
      'application/json',
    );
    return deps.runs.finish(runId, { status: 'quarantined', report });
  };

  try {
    if (source.problem) return await quarantine(source.problem);
    let bytes: Uint8Array | undefined = await deps.objects.get(key);
    if (bytes.byteLength > deps.maxObjectBytes) {
      return await quarantine(`file of ${bytes.byteLength} bytes is over the ${deps.maxObjectBytes}-byte limit`);
    }
    let parsed: LibraryWithFiles | undefined;
    try {
      parsed = await deps.parse(key, bytes);
      bytes = undefined;
    } catch (error) {
      if (error instanceof UnreadableLibraryError) return await quarantine(error.message, error.format);
      throw error;
    }
    const { files } = parsed;
    const bookFiles = deps.storeBookFiles ? bookFilesOf(parsed, source.library, deps.objects) : [];
    const format = parsed.library.format;
    const { drafts, rejected, warnings } = draftsOf(parsed.library);
    parsed = undefined; // The raw books are not needed any more: let them go before the write.
    const report: IngestReport = { format, rejected: rejected.slice(0, maxReportLines) };
    if (drafts.length === 0) {
      return await quarantine(
        rejected.length > 0
          ? `no usable book: all ${rejected.length} rows were rejected`
          : 'the library holds no books',
        format,
      );
    }
    const counts = await deps.writer.ingestLibrary(source.library, prepareDrafts(drafts));
    const warningLines = warnings().slice(0, maxReportLines);
    const afterIngest = await deps.afterIngest?.(source.library).then(
      () => [],
      (error: unknown) => [{ at: 'after ingest', message: `failed: ${(error as Error).message}` }],
    );
    const stored = deps.storeBookFiles ? await deps.storeBookFiles(source.library, bookFiles) : undefined;
    return await deps.runs.finish(runId, {
      status: 'succeeded',
      counts,
      rejected: rejected.length,
      report: {
        ...report,
        warnings: [...warningLines, ...(afterIngest ?? []), ...(stored?.problems ?? []).slice(0, maxReportLines)],
        ...(files.length > 0 ? { files: { covers: stored?.covers ?? 0 } } : {}),
        ...(stored && bookFiles.length > 0 ? { bookFiles: stored.counts } : {}),
      },
    });
  } catch (error) {
    await deps.runs
      .finish(runId, { status: 'failed', report: { error: (error as Error).message } })
      .catch(() => undefined);
    throw error;
  }
}

type Warning = { at: string; message: string };

/** The book files that came with the library: its zip's covers and format files, or those beside its metadata.db. */
function bookFilesOf(parsed: LibraryWithFiles, library: string, objects: ObjectStore): LibraryBookFile[] {
  const inZip = parsed.files.flatMap((file) =>
    file.kind === 'cover' || file.format
      ? [
          {
            bookUuid: file.bookUuid,
            format: file.kind === 'cover' ? coverFormat : (file.format ?? ''),
            path: file.path,
            size: file.size,
            bytes: file.bytes,
          },
        ]
      : [],
  );
  const inFolder = (parsed.folderFiles ?? []).map((file) => {
    const key = `${ingestPrefix}${library}/${file.path}`;
    const bytes = () =>
      objects.get(key).catch((error: unknown) => {
        throw new Error(`not found beside metadata.db (${(error as Error).message})`, { cause: error });
      });
    return { bookUuid: file.bookUuid, format: file.format, path: key, size: null, bytes };
  });
  return [...inZip, ...inFolder];
}

/**
 * Cleans every book but its description, and drafts it for `prepareDrafts`: its full input cleans the book again,
 * description included, when asked (once), and adds the description's warnings to the book's own. Warnings are kept
 * by book, and listed in the library's order whenever they come.
 */
function draftsOf(library: ParsedLibrary): { drafts: BookDraft[]; rejected: RejectedRow[]; warnings: () => Warning[] } {
  const rejected: RejectedRow[] = [...library.rejected];
  const byBook = new Map<number, Warning[]>();
  const warn = (index: number, at: string, messages: readonly string[], first = false) => {
    if (messages.length === 0) return;
    const lines = messages.map((message) => ({ at, message }));
    const known = byBook.get(index) ?? [];
    byBook.set(index, first ? [...lines, ...known] : [...known, ...lines]);
  };
  const drafts: BookDraft[] = [];
  library.books.forEach((book, index) => {
    const at = `calibre id ${book.calibreId}`;
    const cleaned = cleanCalibreFields(book);
    if (!cleaned.ok) {
      rejected.push({ at, reason: cleaned.reason });
      return;
    }
    warn(index, at, cleaned.warnings);
    drafts.push(draftOf(book, cleaned, (messages) => warn(index, at, messages, true)));
  });
  const warnings = () => [...byBook.entries()].sort(([a], [b]) => a - b).flatMap(([, lines]) => lines);
  return { drafts, rejected, warnings };
}

/**
 * Apart from draftsOf, so that a draft keeps nothing but its raw book until its input is made: the fields are cleaned
 * again then (a small cost, paid only for books to write) rather than kept for every book of the library.
 */
function draftOf(
  book: CalibreBook,
  cleaned: Extract<CleanedFields, { ok: true }>,
  warn: (messages: readonly string[]) => void,
): BookDraft {
  let raw: CalibreBook | undefined = book;
  const { sourceId } = cleaned.input;
  return {
    sourceId,
    title: cleaned.input.title,
    authors: cleaned.input.authors,
    sourceHash: sourceHashOf(book),
    input() {
      const fields = raw && cleanCalibreFields(raw);
      if (!fields?.ok) throw new Error(`the input of book ${sourceId} was already made`);
      raw = undefined;
      const { input, warnings } = withDescription(fields.input, fields.comments);
      warn(warnings);
      return input;
    },
  };
}
