import { UnreadableLibraryError, type RejectedRow } from '../calibre/calibre-book';
import { cleanCalibreBook } from '../calibre/clean-calibre-book';
import type { LibraryWithFiles } from '../calibre/read-library-zip';
import type { CatalogueInput } from '../domain/catalogue-record';
import { prepareLibrary } from '../domain/prepare-library';
import type { CatalogueWriter, IngestReport, IngestRun, IngestRunLog, ObjectStore } from '../ports';

/** Where librarians upload: `calibre/<library>/<file>`. */
export const ingestPrefix = 'calibre/';
export const quarantinePrefix = 'quarantine/';
export const coversPrefix = 'covers/';

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
 * 4. Clean every book; rows that cannot be stored are reported, the rest go on. A file with no usable row is
 *    quarantined.
 * 5. Write the library in one transaction (merging authors, grouping editions, withdrawing books gone from it).
 * 6. Copy covers from a library zip to the covers prefix.
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
    const bytes = await deps.objects.get(key);
    if (bytes.byteLength > deps.maxObjectBytes) {
      return await quarantine(`file of ${bytes.byteLength} bytes is over the ${deps.maxObjectBytes}-byte limit`);
    }
    let parsed: LibraryWithFiles;
    try {
      parsed = await deps.parse(key, bytes);
    } catch (error) {
      if (error instanceof UnreadableLibraryError) return await quarantine(error.message, error.format);
      throw error;
    }
    const { library, files } = parsed;
    const rejected: RejectedRow[] = [...library.rejected];
    const warnings: { at: string; message: string }[] = [];
    const inputs: CatalogueInput[] = [];
    for (const book of library.books) {
      const cleaned = cleanCalibreBook(book);
      const at = `calibre id ${book.calibreId}`;
      if (!cleaned.ok) {
        rejected.push({ at, reason: cleaned.reason });
        continue;
      }
      inputs.push(cleaned.input);
      for (const message of cleaned.warnings) warnings.push({ at, message });
    }
    const report: IngestReport = {
      format: library.format,
      rejected: rejected.slice(0, maxReportLines),
      warnings: warnings.slice(0, maxReportLines),
    };
    if (inputs.length === 0) {
      return await quarantine(
        rejected.length > 0
          ? `no usable book: all ${rejected.length} rows were rejected`
          : 'the library holds no books',
        library.format,
      );
    }
    const counts = await deps.writer.ingestLibrary(source.library, prepareLibrary(inputs));
    const afterIngest = await deps.afterIngest?.(source.library).then(
      () => [],
      (error: unknown) => [{ at: 'after ingest', message: `failed: ${(error as Error).message}` }],
    );
    let covers = 0;
    for (const file of files) {
      if (file.kind !== 'cover') continue;
      await deps.objects.put(`${coversPrefix}${source.library}/${file.bookUuid}.jpg`, file.bytes(), 'image/jpeg');
      covers += 1;
    }
    return await deps.runs.finish(runId, {
      status: 'succeeded',
      counts,
      rejected: rejected.length,
      report: {
        ...report,
        ...(afterIngest?.length ? { warnings: [...warnings.slice(0, maxReportLines), ...afterIngest] } : {}),
        ...(files.length > 0 ? { files: { covers } } : {}),
      },
    });
  } catch (error) {
    await deps.runs
      .finish(runId, { status: 'failed', report: { error: (error as Error).message } })
      .catch(() => undefined);
    throw error;
  }
}
