import { sql, type Kysely } from 'kysely';

/**
 * Lending: loans, holds, the number of copies a library lends of a book, and the book files a loan gives access to.
 *
 * - `book_copies`: copies lent at once; a book without a row is unlimited digital lending. Borrowing locks the
 *   book's row (`SELECT … FOR UPDATE`), so two borrowers never both see the last free copy.
 * - `loan`: open while `returned_at` is NULL; `loan_open_idx` (partial unique) makes a second open loan of one book
 *   by one reader impossible, whatever the application does. `end_reason` says whether it was returned or expired.
 * - `hold`: a reader waiting for a copy (`waiting`), offered one (`ready`, reserved until `ready_until`), or done
 *   (`fulfilled` by a borrow, `expired`, `cancelled`); one live hold per reader and book (`hold_live_idx`).
 * - `book_file`: a book's files in the books bucket, keyed by content hash (filled by the ingest).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE book_copies (
      book_id bigint PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
      copies integer NOT NULL CHECK (copies >= 0),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE TABLE loan (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      book_id bigint NOT NULL REFERENCES book (id),
      reader_id text NOT NULL CHECK (reader_id <> ''),
      borrowed_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      returned_at timestamptz,
      end_reason text CHECK (end_reason IN ('returned', 'expired')),
      CHECK (due_at > borrowed_at),
      CHECK ((returned_at IS NULL) = (end_reason IS NULL))
    )`,
    sql`CREATE UNIQUE INDEX loan_open_idx ON loan (book_id, reader_id) WHERE returned_at IS NULL`,
    sql`CREATE INDEX loan_reader_idx ON loan (reader_id, borrowed_at DESC)`,
    sql`CREATE INDEX loan_due_idx ON loan (due_at) WHERE returned_at IS NULL`,
    sql`CREATE TABLE hold (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      book_id bigint NOT NULL REFERENCES book (id),
      reader_id text NOT NULL CHECK (reader_id <> ''),
      placed_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('waiting', 'ready', 'fulfilled', 'expired', 'cancelled')),
      ready_at timestamptz,
      ready_until timestamptz,
      closed_at timestamptz,
      CHECK ((status = 'ready') <= (ready_until IS NOT NULL))
    )`,
    sql`CREATE UNIQUE INDEX hold_live_idx ON hold (book_id, reader_id) WHERE status IN ('waiting', 'ready')`,
    sql`CREATE INDEX hold_queue_idx ON hold (book_id, placed_at, id) WHERE status IN ('waiting', 'ready')`,
    sql`CREATE INDEX hold_reader_idx ON hold (reader_id, placed_at DESC)`,
    sql`CREATE TABLE book_file (
      book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE,
      format text NOT NULL CHECK (format ~ '^[A-Z0-9]+$'),
      content_hash text NOT NULL CHECK (content_hash <> ''),
      size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
      object_key text NOT NULL CHECK (object_key <> ''),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (book_id, format)
    )`,
  ];
  for (const statement of statements) {
    await statement.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['book_file', 'hold', 'loan', 'book_copies']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
