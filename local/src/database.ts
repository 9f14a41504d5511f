/** Migrates the local database and loads the demo catalogue, through the same code the cloud runs. */
import pg from 'pg';
import { PostgresCatalogueWriter } from '@shelfwise/lambdas/catalogue/adapters/postgres-catalogue-writer';
import type { IngestCounts } from '@shelfwise/lambdas/catalogue/ports';
import { loadLibrary } from '@shelfwise/lambdas/catalogue/use-cases/load-library';
import { migrateToLatest } from '@shelfwise/lambdas/platform/db/migrate';
import { PostgresBookEmbeddings } from '@shelfwise/lambdas/chat/adapters/postgres-book-embeddings';
import { embedBooks } from '@shelfwise/lambdas/chat/use-cases/embed-books';
import { HashingEmbedder } from '@shelfwise/lambdas/shared/embedding/hashing-embedder';
import { demoLibraryName, readDemoCatalogue, toCatalogueInput } from './demo/demo-catalogue';

export interface DatabaseReport {
  readonly migrationsApplied: readonly string[];
  readonly schemaVersion: string | undefined;
  readonly demoCatalogue?: { readonly books: number } & IngestCounts;
}

export async function prepareDatabase(
  url: string,
  options: { demoCatalogue: boolean; demoCatalogueDir?: string | undefined },
): Promise<DatabaseReport> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const migrations = await migrateToLatest(pool);
    const report: DatabaseReport = { migrationsApplied: migrations.applied, schemaVersion: migrations.latest };
    if (!options.demoCatalogue) return report;
    const books = await readDemoCatalogue(options.demoCatalogueDir);
    const counts = await loadLibrary(new PostgresCatalogueWriter(pool), demoLibraryName, books.map(toCatalogueInput));
    // Chatbot: embed new or changed books with the offline embedder (incremental; nothing to do when unchanged).
    await embedBooks({ store: new PostgresBookEmbeddings(pool), embedder: new HashingEmbedder() });
    return { ...report, demoCatalogue: { books: books.length, ...counts } };
  } finally {
    await pool.end();
  }
}
