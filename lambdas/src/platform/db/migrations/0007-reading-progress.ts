import { sql, type Kysely } from 'kysely';

/**
 * Reading progress, kept with the reader's account so that it follows them from device to device.
 *
 * - One row per reader and book (a later loan of the same book opens where the reader stopped): the reader's place
 *   as the reader app gives it (`location`, an EPUB CFI or a PDF page), how far through the book (`progress`, 0–1),
 *   and when it was saved (the last save wins).
 * - `finished_loan_id` / `finished_at`: the loan during which the reader last finished the book, so finishing is one
 *   `finish` event per loan however often the last page is saved.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE reading_progress (
    reader_id text NOT NULL CHECK (reader_id <> ''),
    book_id bigint NOT NULL REFERENCES book (id),
    location text NOT NULL CHECK (length(location) BETWEEN 1 AND 2000),
    progress double precision NOT NULL CHECK (progress >= 0 AND progress <= 1),
    updated_at timestamptz NOT NULL,
    finished_loan_id bigint REFERENCES loan (id),
    finished_at timestamptz,
    PRIMARY KEY (reader_id, book_id)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS reading_progress`.execute(db);
}
