import { sql, type Kysely } from 'kysely';

/**
 * A second hash per book, of what the book was made from: the source record as parsed (before any cleaning), the
 * version of the cleaning rules, and what the rest of the library decides for it (its merged authors and its work).
 * When it is unchanged, the book's record is unchanged too, so a re-ingest skips cleaning the book (its description
 * above all) and building its row. `content_hash` still decides whether a row is written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE book ADD COLUMN source_hash text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE book DROP COLUMN source_hash`.execute(db);
}
