import { createHash } from 'node:crypto';
import { ValidationError } from '../../shared/errors';
import { catalogueRecordSchema, type CatalogueRecord } from '../domain/catalogue-record';
import type { CatalogueRepository, LibraryUpsertResult } from '../ports';

export type ReplaceLibraryResult = LibraryUpsertResult & { readonly skipped: boolean };

/**
 * Make a library in the catalogue hold exactly the books of its source.
 * 1. Validate every record; one bad record rejects the whole load with a message naming it (nothing half-written).
 * 2. Reject duplicate source ids.
 * 3. Skip the write when the source's fingerprint is the one already stored (same content, nothing to do).
 * 4. Otherwise replace the library's books in one transaction.
 */
export async function replaceLibrary(
  repository: CatalogueRepository,
  library: string,
  input: readonly unknown[],
): Promise<ReplaceLibraryResult> {
  const records: CatalogueRecord[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  input.forEach((item, index) => {
    const parsed = catalogueRecordSchema.safeParse(item);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`);
      problems.push(`record ${index}: ${where.join(', ')}`);
      return;
    }
    if (seen.has(parsed.data.sourceId)) {
      problems.push(`record ${index}: duplicate source id "${parsed.data.sourceId}"`);
      return;
    }
    seen.add(parsed.data.sourceId);
    records.push(parsed.data);
  });
  if (problems.length > 0) {
    throw new ValidationError(`Library "${library}" has ${problems.length} invalid record(s)`, problems);
  }

  const fingerprint = createHash('sha256').update(JSON.stringify(records)).digest('hex');
  if ((await repository.libraryFingerprint(library)) === fingerprint) {
    return { library, inserted: 0, updated: 0, unchanged: records.length, removed: 0, skipped: true };
  }
  const result = await repository.replaceLibrary(library, records, fingerprint);
  return { ...result, skipped: false };
}
