/** Migrates the local database and loads the demo catalogue, through the same code the cloud runs. */
import pg from 'pg';
import { PostgresCatalogueRepository } from '@shelfwise/lambdas/catalogue/adapters/postgres-catalogue-repository';
import { replaceLibrary } from '@shelfwise/lambdas/catalogue/use-cases/replace-library';
import { migrateToLatest } from '@shelfwise/lambdas/platform/db/migrate';
import { demoLibraryName, readDemoCatalogue, toCatalogueRecord } from './demo/demo-catalogue';

export interface DatabaseReport {
  readonly migrationsApplied: readonly string[];
  readonly schemaVersion: string | undefined;
  readonly demoCatalogue?: {
    readonly books: number;
    readonly inserted: number;
    readonly updated: number;
    readonly skipped: boolean;
  };
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
    const result = await replaceLibrary(
      new PostgresCatalogueRepository(pool),
      demoLibraryName,
      books.map(toCatalogueRecord),
    );
    return {
      ...report,
      demoCatalogue: {
        books: books.length,
        inserted: result.inserted,
        updated: result.updated,
        skipped: result.skipped,
      },
    };
  } finally {
    await pool.end();
  }
}
