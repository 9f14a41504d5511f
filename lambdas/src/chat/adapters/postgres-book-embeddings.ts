/**
 * Book embeddings in Postgres (`book_embedding`, pgvector). Vectors travel as pgvector's text form ('[0.1,0.2]').
 */
import type pg from 'pg';
import type { BookEmbeddingStore, EmbeddingCandidate } from '../ports';

/** pgvector's text form of a vector. */
export function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector, (value) => (Number.isFinite(value) ? value : 0)).join(',')}]`;
}

export class PostgresBookEmbeddings implements BookEmbeddingStore {
  constructor(private readonly pool: pg.Pool) {}

  async candidates(modelId: string, afterId: string | undefined, limit: number): Promise<EmbeddingCandidate[]> {
    const rows = await this.pool.query<{
      id: string;
      title: string;
      description_text: string | null;
      authors: string[];
      subjects: string[];
      stored_hash: string | null;
    }>(
      `SELECT b.id::text AS id, b.title, b.description_text,
         coalesce((SELECT array_agg(a.name ORDER BY ba.position) FROM book_author ba JOIN author a ON a.id = ba.author_id
                   WHERE ba.book_id = b.id), '{}') AS authors,
         coalesce((SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
                   WHERE bt.book_id = b.id), '{}') AS subjects,
         e.content_hash AS stored_hash
       FROM book b LEFT JOIN book_embedding e ON e.book_id = b.id AND e.model_id = $1
       WHERE b.withdrawn_at IS NULL AND b.id > $2::bigint
       ORDER BY b.id LIMIT $3`,
      [modelId, afterId ?? '0', limit],
    );
    return rows.rows.map((row) => ({
      bookId: row.id,
      fields: { title: row.title, authors: row.authors, subjects: row.subjects, description: row.description_text },
      storedHash: row.stored_hash,
    }));
  }

  async save(
    modelId: string,
    rows: readonly { bookId: string; contentHash: string; vector: Float32Array }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO book_embedding (book_id, model_id, dimension, embedding, content_hash)
       SELECT r.book_id, $1, r.dimension, r.embedding::vector, r.content_hash
       FROM unnest($2::bigint[], $3::int[], $4::text[], $5::text[]) AS r(book_id, dimension, embedding, content_hash)
       ON CONFLICT (book_id, model_id) DO UPDATE SET dimension = excluded.dimension, embedding = excluded.embedding,
         content_hash = excluded.content_hash, embedded_at = now()`,
      [
        modelId,
        rows.map((row) => row.bookId),
        rows.map((row) => row.vector.length),
        rows.map((row) => vectorLiteral(row.vector)),
        rows.map((row) => row.contentHash),
      ],
    );
  }
}
