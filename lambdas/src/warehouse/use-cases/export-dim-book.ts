/**
 * Export the catalogue as the warehouse's `dim_book` snapshot (after each successful ingest).
 *
 * 1. Read every book from the catalogue, withdrawn ones flagged: ids, work, library, title, authors in order,
 *    subjects (tag paths), languages, year, when added and last modified.
 * 2. Encode them as one Parquet file.
 * 3. Write it at `snapshots/dim_book/snapshot=<time>/part-0.parquet`; snapshots are never rewritten.
 * 4. Write the same file at `snapshots/dim_book/current/part-0.parquet`, which the Glue table `dim_book` and the
 *    DuckDB warehouse read (one object, replaced whole: a query sees the old catalogue or the new one).
 * 5. Last, point `snapshots/dim_book/latest.json` at the snapshot, so a reader of the pointer never finds it missing.
 */
import {
  dimBookCurrentKey,
  dimBookLatestKey,
  dimBookSnapshotKey,
  compactTime,
  type DimBookPointer,
} from '../lake-layout';
import type { CatalogueSnapshotSource, DimBookParquetEncoder, LakeObjectWriter } from '../ports';

export interface ExportDimBookDependencies {
  readonly catalogue: CatalogueSnapshotSource;
  readonly parquet: DimBookParquetEncoder;
  readonly lake: LakeObjectWriter;
  readonly now?: () => Date;
}

const parquetType = 'application/vnd.apache.parquet';

export async function exportDimBook(deps: ExportDimBookDependencies): Promise<DimBookPointer> {
  const exportedAt = (deps.now ?? (() => new Date()))();
  const rows = await deps.catalogue.readBooks();
  const file = await deps.parquet.encode(rows);
  const key = dimBookSnapshotKey(exportedAt);
  await deps.lake.put(key, file, parquetType);
  await deps.lake.put(dimBookCurrentKey, file, parquetType);
  const pointer: DimBookPointer = {
    snapshot: compactTime(exportedAt),
    key,
    exportedAt: exportedAt.toISOString(),
    books: rows.length,
    bytes: file.byteLength,
  };
  await deps.lake.put(dimBookLatestKey, `${JSON.stringify(pointer)}\n`, 'application/json');
  return pointer;
}
