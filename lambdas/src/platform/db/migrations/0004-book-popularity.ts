import { sql, type Kysely } from 'kysely';

/**
 * Time-decayed popularity of books from reader events, the recommender's fallback for new readers.
 *
 * `weight` is Σ wᵢ · exp((tᵢ − t₀) / τ) over the book's events (t₀ = 2026-01-01, τ = 7 days): the decayed score at
 * any time t is weight · exp(−(t − t₀) / τ), the same factor for every book, so ordering by `weight` orders by the
 * decayed score without rewriting rows as time passes. Doubles hold it for about 13 years after t₀.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE book_popularity (
    book_id bigint PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
    weight double precision NOT NULL CHECK (weight >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX book_popularity_weight_idx ON book_popularity (weight DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS book_popularity`.execute(db);
}
