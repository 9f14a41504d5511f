import { ValidationError } from '../../shared/errors';
import { catalogueInputSchema, type CatalogueInput } from '../domain/catalogue-record';
import { prepareLibrary } from '../domain/prepare-library';
import type { CatalogueWriter, IngestCounts } from '../ports';

/**
 * Load a library whose books are already clean (the demo catalogue, tests).
 * 1. Validate every book; one bad book rejects the whole load with a message naming it (nothing half-written).
 * 2. Reject duplicate source ids.
 * 3. Merge author spellings and group editions into works.
 * 4. Write the library in one transaction (unchanged books are not rewritten).
 */
export async function loadLibrary(
  writer: CatalogueWriter,
  library: string,
  input: readonly unknown[],
): Promise<IngestCounts> {
  const books: CatalogueInput[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  input.forEach((item, index) => {
    const parsed = catalogueInputSchema.safeParse(item);
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
    books.push(parsed.data);
  });
  if (problems.length > 0) {
    throw new ValidationError(`Library "${library}" has ${problems.length} invalid record(s)`, problems);
  }
  return writer.ingestLibrary(library, prepareLibrary(books));
}
