/**
 * The catalogue as readers see it, in Postgres. Plain SQL over `pg`: the same statements run on PGlite,
 * PostgreSQL 15+ and Aurora. Withdrawn books are not listed, but a withdrawn book can still be fetched by id.
 */
import type pg from 'pg';
import type { BookPage, BookSummary, ListBooksQuery } from '../domain/book';
import type { CatalogueRepository } from '../ports';

interface BookRow {
  id: string;
  title: string;
  pub_year: number | null;
  languages: string[];
  description_text: string | null;
  authors: string[];
  subjects: string[];
}

const bookSummarySelect = `
  SELECT b.id::text AS id, b.title, b.pub_year, b.languages, b.description_text,
    coalesce((SELECT array_agg(a.name ORDER BY ba.position) FROM book_author ba JOIN author a ON a.id = ba.author_id
              WHERE ba.book_id = b.id), '{}') AS authors,
    coalesce((SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
              WHERE bt.book_id = b.id), '{}') AS subjects
  FROM book b`;

function toSummary(row: BookRow): BookSummary {
  return {
    id: row.id,
    title: row.title,
    authors: row.authors,
    year: row.pub_year,
    languages: row.languages,
    subjects: row.subjects,
    description: row.description_text,
  };
}

export class PostgresCatalogueRepository implements CatalogueRepository {
  constructor(private readonly pool: pg.Pool) {}

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async listBooks(query: ListBooksQuery): Promise<BookPage> {
    const language = query.language ?? null;
    const [page, count] = await Promise.all([
      this.pool.query<BookRow>(
        `${bookSummarySelect}
         WHERE b.withdrawn_at IS NULL AND ($3::text IS NULL OR $3::text = ANY (b.languages))
         ORDER BY b.title_sort, b.id
         LIMIT $1 OFFSET $2`,
        [query.limit, query.offset, language],
      ),
      this.pool.query<{ total: string }>(
        `SELECT count(*)::text AS total FROM book b
         WHERE b.withdrawn_at IS NULL AND ($1::text IS NULL OR $1::text = ANY (b.languages))`,
        [language],
      ),
    ]);
    return {
      items: page.rows.map(toSummary),
      total: Number(count.rows[0]?.total ?? 0),
      limit: query.limit,
      offset: query.offset,
    };
  }

  async getBook(id: string): Promise<BookSummary | undefined> {
    const result = await this.pool.query<BookRow>(`${bookSummarySelect} WHERE b.id = $1::bigint`, [id]);
    const row = result.rows[0];
    return row ? toSummary(row) : undefined;
  }
}
