import { sql, type Kysely } from 'kysely';

/**
 * The catalogue's first tables: libraries, books, authors, series and tags, with pgvector enabled for the embeddings
 * that later migrations add. Books are keyed by their source library and the source's own id (Calibre's uuid).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE EXTENSION IF NOT EXISTS vector`,
    sql`CREATE TABLE library (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]*$'),
      source_fingerprint text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    sql`CREATE TABLE author (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (name <> ''),
      sort text NOT NULL,
      name_key text NOT NULL UNIQUE
    )`,
    sql`CREATE TABLE series (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL CHECK (name <> ''),
      name_key text NOT NULL UNIQUE
    )`,
    sql`CREATE TABLE tag (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      path text NOT NULL UNIQUE CHECK (path <> '')
    )`,
    sql`CREATE TABLE book (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      library_id bigint NOT NULL REFERENCES library (id) ON DELETE CASCADE,
      source_id text NOT NULL,
      title text NOT NULL CHECK (title <> ''),
      title_sort text NOT NULL,
      pub_year integer,
      languages text[] NOT NULL DEFAULT '{}',
      audience text CHECK (audience IN ('children', 'young-adult', 'adult')),
      page_count integer CHECK (page_count > 0),
      series_id bigint REFERENCES series (id),
      series_index numeric,
      description_html text,
      description_text text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (library_id, source_id)
    )`,
    sql`CREATE TABLE book_author (
      book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE,
      author_id bigint NOT NULL REFERENCES author (id),
      position smallint NOT NULL,
      PRIMARY KEY (book_id, author_id)
    )`,
    sql`CREATE INDEX book_author_author_idx ON book_author (author_id)`,
    sql`CREATE TABLE book_tag (
      book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE,
      tag_id bigint NOT NULL REFERENCES tag (id),
      PRIMARY KEY (book_id, tag_id)
    )`,
    sql`CREATE INDEX book_tag_tag_idx ON book_tag (tag_id)`,
    sql`CREATE INDEX book_title_sort_idx ON book (title_sort, id)`,
  ];
  for (const statement of statements) {
    await statement.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['book_tag', 'book_author', 'book', 'tag', 'series', 'author', 'library']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
