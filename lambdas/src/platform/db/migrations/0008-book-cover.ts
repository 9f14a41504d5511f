import { sql, type Kysely } from 'kysely';

/**
 * Calibre's cover of a book, copied at ingest to the books bucket (`covers/<sha-256>.jpg`, public, not loan-bound):
 * `book.cover_key` is its object key, null when the library has no cover for the book (the web app then draws one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE book ADD COLUMN cover_key text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE book DROP COLUMN IF EXISTS cover_key`.execute(db);
}
