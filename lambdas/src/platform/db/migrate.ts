/**
 * Applies the migrations with Kysely's migrator (a lock table keeps concurrent runs apart; each run is one
 * transaction on PostgreSQL, so a failed migration leaves nothing half-applied).
 */
import { Kysely, Migrator, PostgresDialect, type MigrationResult } from 'kysely';
import type pg from 'pg';
import { ShelfwiseError } from '../../shared/errors';
import { migrations } from './migrations/index';

export class MigrationError extends ShelfwiseError {}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly latest: string | undefined;
}

export async function migrateToLatest(pool: pg.Pool): Promise<MigrationReport> {
  // Kysely does not own the pool: it is never destroyed here, the caller ends it.
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result: MigrationResult) => result.status === 'Error');
    throw new MigrationError(
      `Database migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  }
  const applied = results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  const names = Object.keys(migrations).sort();
  return { applied, latest: names.at(-1) };
}
