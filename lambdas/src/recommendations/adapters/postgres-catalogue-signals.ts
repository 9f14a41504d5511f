/**
 * What the recommender reads from (and adds to) the catalogue in Postgres: decayed popularity, content neighbours
 * through the book embeddings (pgvector, the same vectors the chatbot searches), series and author siblings, and
 * availability. Withdrawn books are never returned.
 */
import type pg from 'pg';
import type { BookSummary } from '../../catalogue/domain/book';
import type { Recommendation } from '../domain/recommendation';
import type { CatalogueSignals, ScoredBook } from '../ports';

/** t₀ and τ of `book_popularity.weight` (migration 0004). */
export const popularityEpoch = Date.UTC(2026, 0, 1);
export const popularityTimeConstantMs = 7 * 24 * 3600 * 1000;

export function popularityWeight(weight: number, at: Date): number {
  return weight * Math.exp((at.getTime() - popularityEpoch) / popularityTimeConstantMs);
}

export interface EmbeddingModel {
  readonly modelId: string;
  readonly dimension: number;
}

export class PostgresCatalogueSignals implements CatalogueSignals {
  constructor(
    private readonly pool: pg.Pool,
    /** The embedder whose vectors `book_embedding` holds for content similarity. */
    private readonly embedding: EmbeddingModel,
  ) {
    if (!Number.isInteger(embedding.dimension) || embedding.dimension <= 0) {
      throw new Error(`Embedding dimension must be a positive integer, got ${embedding.dimension}`);
    }
  }

  async popular(limit: number): Promise<ScoredBook[]> {
    // One edition per work: the most popular one, then the best rated.
    const rows = await this.pool.query<{ id: string; weight: number }>(
      `SELECT id, weight FROM (
         SELECT DISTINCT ON (coalesce(b.work_id, -b.id)) b.id::text AS id, coalesce(p.weight, 0) AS weight,
                b.rating, b.id AS book_id
         FROM book b LEFT JOIN book_popularity p ON p.book_id = b.id
         WHERE b.withdrawn_at IS NULL
         ORDER BY coalesce(b.work_id, -b.id), p.weight DESC NULLS LAST, b.rating DESC NULLS LAST, b.id
       ) per_work
       ORDER BY weight DESC, rating DESC NULLS LAST, book_id
       LIMIT $1`,
      [limit],
    );
    return rows.rows.map((row) => ({ bookId: row.id, score: Number(row.weight) }));
  }

  async similarInContent(
    bookIds: readonly string[],
    limit: number,
    skip: ReadonlySet<string>,
  ): Promise<(ScoredBook & { readonly becauseBookId: string })[]> {
    if (bookIds.length === 0 || limit <= 0) return [];
    const d = this.embedding.dimension;
    // Each source book's nearest neighbours (HNSW index of this dimension), then interleaved: the most recent
    // source's best, the next source's best, … so one book does not take the whole list.
    const perSource = limit + Math.min(skip.size, 200);
    const rows = await this.pool.query<{ source: string; id: string; distance: number }>(
      `SELECT s.book_id::text AS source, n.id, n.distance
       FROM book_embedding s
       CROSS JOIN LATERAL (
         SELECT e.book_id::text AS id, e.embedding::vector(${d}) <=> s.embedding::vector(${d}) AS distance
         FROM book_embedding e JOIN book b ON b.id = e.book_id AND b.withdrawn_at IS NULL
         WHERE e.dimension = ${d} AND e.model_id = $2 AND e.book_id <> s.book_id
         ORDER BY e.embedding::vector(${d}) <=> s.embedding::vector(${d})
         LIMIT $3
       ) n
       WHERE s.book_id = ANY ($1::bigint[]) AND s.model_id = $2 AND s.dimension = ${d}`,
      [bookIds, this.embedding.modelId, perSource],
    );
    const bySource = new Map<string, { id: string; distance: number }[]>();
    for (const row of rows.rows) {
      const list = bySource.get(row.source) ?? [];
      list.push({ id: row.id, distance: Number(row.distance) });
      bySource.set(row.source, list);
    }
    for (const list of bySource.values()) list.sort((a, b) => a.distance - b.distance);
    const sources = bookIds.filter((id) => bySource.has(id));
    const result: (ScoredBook & { becauseBookId: string })[] = [];
    const taken = new Set<string>([...skip, ...bookIds]);
    const cursors = new Map(sources.map((source) => [source, 0]));
    // Round robin: each source in turn gives its nearest book not taken yet.
    while (result.length < limit) {
      let any = false;
      for (const source of sources) {
        const neighbours = bySource.get(source) ?? [];
        let cursor = cursors.get(source) ?? 0;
        while (cursor < neighbours.length && taken.has(neighbours[cursor]!.id)) cursor++;
        cursors.set(source, cursor + 1);
        const candidate = neighbours[cursor];
        if (!candidate) continue;
        any = true;
        taken.add(candidate.id);
        result.push({ bookId: candidate.id, score: 1 - candidate.distance, becauseBookId: source });
        if (result.length >= limit) break;
      }
      if (!any) break;
    }
    return result;
  }

  async sameAuthorOrSeries(bookId: string, limit: number, skip: ReadonlySet<string>): Promise<Recommendation[]> {
    const rows = await this.pool.query<{ id: string; kind: 'same-series' | 'same-author' }>(
      `WITH source AS (SELECT id, series_id, series_index FROM book WHERE id = $1::bigint)
       SELECT id, kind FROM (
         SELECT b.id::text AS id, 'same-series' AS kind, 0 AS tier,
                -- the next volumes first, then the earlier ones
                CASE WHEN b.series_index > s.series_index THEN b.series_index ELSE 1e9 - b.series_index END AS rank
         FROM book b JOIN source s ON b.series_id = s.series_id
         WHERE b.id <> s.id AND b.withdrawn_at IS NULL
         UNION ALL
         SELECT b.id::text, 'same-author', 1, -coalesce(b.rating, 0)
         FROM book_author sa JOIN book_author ba ON ba.author_id = sa.author_id JOIN book b ON b.id = ba.book_id
         WHERE sa.book_id = $1::bigint AND b.id <> $1::bigint AND b.withdrawn_at IS NULL
       ) candidates
       ORDER BY tier, rank, id
       LIMIT $2`,
      [bookId, limit + skip.size],
    );
    const seen = new Set<string>();
    const result: Recommendation[] = [];
    for (const row of rows.rows) {
      if (seen.has(row.id) || skip.has(row.id)) continue;
      seen.add(row.id);
      result.push({ bookId: row.id, score: 0, reason: { kind: row.kind, becauseBookId: bookId } });
      if (result.length >= limit) break;
    }
    return result;
  }

  async addPopularity(weights: ReadonlyMap<string, number>, at: Date): Promise<void> {
    const entries = [...weights].filter(([, weight]) => weight > 0);
    if (entries.length === 0) return;
    // Books that are not (or no longer) in the catalogue are skipped by the join.
    await this.pool.query(
      `INSERT INTO book_popularity (book_id, weight, updated_at)
       SELECT b.id, w.weight, now()
       FROM unnest($1::bigint[], $2::float8[]) AS w(book_id, weight) JOIN book b ON b.id = w.book_id
       ON CONFLICT (book_id) DO UPDATE
         SET weight = book_popularity.weight + excluded.weight, updated_at = excluded.updated_at`,
      [entries.map(([id]) => id), entries.map(([, weight]) => popularityWeight(weight, at))],
    );
  }

  async availableBooks(bookIds: readonly string[]): Promise<Set<string>> {
    const ids = bookIds.filter((id) => /^[1-9][0-9]{0,17}$/.test(id));
    if (ids.length === 0) return new Set();
    const rows = await this.pool.query<{ id: string }>(
      `SELECT id::text AS id FROM book WHERE id = ANY ($1::bigint[]) AND withdrawn_at IS NULL`,
      [ids],
    );
    return new Set(rows.rows.map((row) => row.id));
  }

  /**
   * Embeddings of available books outside `knownIds` (books added after a model was trained), for the policy to
   * project into its own space. Vectors come back in pgvector's text form and are parsed here.
   */
  async embeddingsExcept(
    model: EmbeddingModel,
    knownIds: ReadonlySet<string>,
  ): Promise<{ bookId: string; vector: Float32Array }[]> {
    const rows = await this.pool.query<{ id: string; embedding: string }>(
      `SELECT e.book_id::text AS id, e.embedding::text AS embedding
       FROM book_embedding e JOIN book b ON b.id = e.book_id AND b.withdrawn_at IS NULL
       WHERE e.model_id = $1 AND e.dimension = $2 AND NOT (e.book_id = ANY ($3::bigint[]))
       ORDER BY e.book_id`,
      [model.modelId, model.dimension, [...knownIds].filter((id) => /^[1-9][0-9]{0,17}$/.test(id))],
    );
    return rows.rows.map((row) => ({
      bookId: row.id,
      vector: Float32Array.from(JSON.parse(row.embedding) as number[]),
    }));
  }

  /** Summaries of these books (available or not), by id, for the API's answers. */
  async summaries(bookIds: readonly string[]): Promise<Map<string, BookSummary>> {
    const ids = [...new Set(bookIds)].filter((id) => /^[1-9][0-9]{0,17}$/.test(id));
    if (ids.length === 0) return new Map();
    const rows = await this.pool.query<{
      id: string;
      title: string;
      pub_year: number | null;
      languages: string[];
      description_text: string | null;
      authors: string[];
      subjects: string[];
    }>(
      `SELECT b.id::text AS id, b.title, b.pub_year, b.languages, b.description_text,
         coalesce((SELECT array_agg(a.name ORDER BY ba.position) FROM book_author ba JOIN author a ON a.id = ba.author_id
                   WHERE ba.book_id = b.id), '{}') AS authors,
         coalesce((SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
                   WHERE bt.book_id = b.id), '{}') AS subjects
       FROM book b WHERE b.id = ANY ($1::bigint[])`,
      [ids],
    );
    return new Map(
      rows.rows.map((row) => [
        row.id,
        {
          id: row.id,
          title: row.title,
          authors: row.authors,
          year: row.pub_year,
          languages: row.languages,
          subjects: row.subjects,
          description: row.description_text,
        },
      ]),
    );
  }
}
