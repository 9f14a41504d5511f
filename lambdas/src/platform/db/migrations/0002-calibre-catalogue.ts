import { sql, type Kysely } from 'kysely';

/**
 * Everything a Calibre library says about a book: publishers, identifiers, pubdate, rating, custom columns, formats,
 * cover; author aliases; works grouping editions; withdrawal instead of deletion; a content hash so unchanged books
 * are never rewritten; full-text search over accent-folded text (so Vietnamese matches with or without diacritics)
 * with both a simple and an English-stemmed vector; and the record of every ingest run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`ALTER TABLE library DROP COLUMN source_fingerprint`,
    sql`CREATE TABLE publisher (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (name <> ''),
      name_key text NOT NULL UNIQUE
    )`,
    sql`CREATE TABLE work (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      work_key text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE TABLE author_alias (
      author_id bigint NOT NULL REFERENCES author (id) ON DELETE CASCADE,
      alias text NOT NULL CHECK (alias <> ''),
      PRIMARY KEY (author_id, alias)
    )`,
    sql`ALTER TABLE book
      ADD COLUMN pubdate date,
      ADD COLUMN publisher_id bigint REFERENCES publisher (id),
      ADD COLUMN rating smallint CHECK (rating BETWEEN 0 AND 10),
      ADD COLUMN custom_columns jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN formats text[] NOT NULL DEFAULT '{}',
      ADD COLUMN has_cover boolean NOT NULL DEFAULT false,
      ADD COLUMN source_modified_at timestamptz,
      ADD COLUMN withdrawn_at timestamptz,
      ADD COLUMN work_id bigint REFERENCES work (id),
      ADD COLUMN content_hash text,
      ADD COLUMN search_title text NOT NULL DEFAULT '',
      ADD COLUMN search_authors text NOT NULL DEFAULT '',
      ADD COLUMN search_body text NOT NULL DEFAULT ''`,
    sql`ALTER TABLE book ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple'::regconfig, search_title), 'A') ||
      setweight(to_tsvector('english'::regconfig, search_title), 'A') ||
      setweight(to_tsvector('simple'::regconfig, search_authors), 'B') ||
      setweight(to_tsvector('simple'::regconfig, search_body), 'D') ||
      setweight(to_tsvector('english'::regconfig, search_body), 'D')
    ) STORED`,
    sql`CREATE INDEX book_search_idx ON book USING gin (search_vector)`,
    sql`CREATE INDEX book_work_idx ON book (work_id)`,
    sql`CREATE INDEX book_pub_year_idx ON book (pub_year)`,
    sql`CREATE INDEX book_languages_idx ON book USING gin (languages)`,
    sql`CREATE TABLE book_identifier (
      book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type <> ''),
      value text NOT NULL CHECK (value <> ''),
      PRIMARY KEY (book_id, type, value)
    )`,
    sql`CREATE INDEX book_identifier_lookup_idx ON book_identifier (type, value)`,
    sql`CREATE INDEX tag_path_prefix_idx ON tag (path text_pattern_ops)`,
    sql`CREATE INDEX book_series_idx ON book (series_id, series_index)`,
    sql`CREATE TABLE ingest_run (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      library text NOT NULL,
      source_key text NOT NULL,
      source_format text,
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'quarantined')),
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      duration_ms integer,
      added integer NOT NULL DEFAULT 0,
      updated integer NOT NULL DEFAULT 0,
      unchanged integer NOT NULL DEFAULT 0,
      withdrawn integer NOT NULL DEFAULT 0,
      rejected integer NOT NULL DEFAULT 0,
      report jsonb NOT NULL DEFAULT '{}'
    )`,
    sql`CREATE INDEX ingest_run_recent_idx ON ingest_run (started_at DESC, id DESC)`,
  ];
  for (const statement of statements) {
    await statement.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ingest_run', 'book_identifier', 'author_alias']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`ALTER TABLE book DROP COLUMN search_vector, DROP COLUMN search_title, DROP COLUMN search_authors,
    DROP COLUMN search_body, DROP COLUMN content_hash, DROP COLUMN work_id, DROP COLUMN withdrawn_at,
    DROP COLUMN source_modified_at, DROP COLUMN has_cover, DROP COLUMN formats, DROP COLUMN custom_columns,
    DROP COLUMN rating, DROP COLUMN publisher_id, DROP COLUMN pubdate`.execute(db);
  await sql`DROP TABLE IF EXISTS work`.execute(db);
  await sql`DROP TABLE IF EXISTS publisher`.execute(db);
  await sql`ALTER TABLE library ADD COLUMN source_fingerprint text`.execute(db);
}
