/**
 * The catalogue queries the OPDS feeds need and the catalogue's repository lacks: newest and most popular ids, and
 * books with their author and series ids (for per-author and per-series links) and the formats a loan gives.
 */
import type pg from 'pg';
import type { OpdsBook } from '../domain/opds';
import type { OpdsCatalogue } from '../ports';

export class PostgresOpdsCatalogue implements OpdsCatalogue {
  constructor(private readonly pool: pg.Pool) {}

  async newest(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id::text FROM book WHERE withdrawn_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  async popular(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT b.id::text FROM book b LEFT JOIN book_popularity p ON p.book_id = b.id
       WHERE b.withdrawn_at IS NULL
       ORDER BY coalesce(p.weight, 0) DESC, b.rating DESC NULLS LAST, b.id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  async books(bookIds: readonly string[]): Promise<OpdsBook[]> {
    if (bookIds.length === 0) return [];
    const { rows } = await this.pool.query<{
      id: string;
      title: string;
      authors: { id: string; name: string }[];
      series: { id: string; name: string; index: number | null } | null;
      languages: string[];
      subjects: string[];
      description: string | null;
      year: number | null;
      publisher: string | null;
      updated: Date;
      files: string[] | null;
      formats: string[];
    }>(
      `SELECT b.id::text, b.title, b.languages, b.description_text AS description, b.pub_year AS year,
         p.name AS publisher, b.updated_at AS updated, b.formats,
         coalesce((SELECT json_agg(json_build_object('id', a.id::text, 'name', a.name) ORDER BY ba.position)
                   FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id), '[]') AS authors,
         CASE WHEN s.id IS NULL THEN NULL
              ELSE json_build_object('id', s.id::text, 'name', s.name, 'index', b.series_index::float8) END AS series,
         coalesce((SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
                   WHERE bt.book_id = b.id), '{}') AS subjects,
         (SELECT array_agg(f.format ORDER BY f.format) FROM book_file f WHERE f.book_id = b.id) AS files
       FROM book b LEFT JOIN series s ON s.id = b.series_id LEFT JOIN publisher p ON p.id = b.publisher_id
       WHERE b.id = ANY ($1::bigint[])`,
      [bookIds],
    );
    const byId = new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          title: row.title,
          authors: row.authors,
          series: row.series,
          languages: row.languages,
          subjects: row.subjects,
          description: row.description,
          year: row.year,
          publisher: row.publisher,
          updated: row.updated.toISOString(),
          formats: (row.files ?? row.formats).map((format) => format.toUpperCase()),
        } satisfies OpdsBook,
      ]),
    );
    return bookIds.flatMap((id) => byId.get(id) ?? []);
  }
}
