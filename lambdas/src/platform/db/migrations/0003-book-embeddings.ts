import { sql, type Kysely } from 'kysely';

/**
 * Book embeddings for the chatbot's semantic search: one row per (book, embedder model), with the hash of the text
 * that was embedded so only new or changed books are embedded again.
 *
 * The `embedding` column is an untyped `vector` so any embedder fits (the offline hashing embedder: 384; Titan v2:
 * 256/512/1024). A pgvector HNSW index needs a fixed dimension, so each supported dimension gets a partial expression
 * index over `embedding::vector(N)` restricted to `dimension = N`; a query uses it by filtering on the same dimension
 * and ordering by `embedding::vector(N) <=> $1::vector(N)`. A new dimension is one more partial index in a new
 * migration. Different models of the same dimension share an index; queries also filter on `model_id`.
 */
export const indexedDimensions = [384, 1024] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE book_embedding (
    book_id bigint NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    model_id text NOT NULL CHECK (model_id <> ''),
    dimension integer NOT NULL CHECK (dimension > 0),
    embedding vector NOT NULL,
    content_hash text NOT NULL,
    embedded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (book_id, model_id),
    CHECK (vector_dims(embedding) = dimension)
  )`.execute(db);
  await sql`CREATE INDEX book_embedding_model_idx ON book_embedding (model_id)`.execute(db);
  for (const dimension of indexedDimensions) {
    await sql`CREATE INDEX ${sql.raw(`book_embedding_hnsw_${dimension}_idx`)} ON book_embedding
      USING hnsw ((embedding::vector(${sql.raw(String(dimension))})) vector_cosine_ops)
      WHERE dimension = ${sql.raw(String(dimension))}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS book_embedding`.execute(db);
}
