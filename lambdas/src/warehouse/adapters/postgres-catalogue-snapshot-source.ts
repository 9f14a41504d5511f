/**
 * The catalogue's books as `dim_book` rows, read from Postgres in one statement (authors in the book's order,
 * subjects as sorted tag paths, withdrawn books flagged), ordered by id.
 */
import type pg from 'pg';
import type { DimBookRow } from '../domain/dim-book';
import type { CatalogueSnapshotSource } from '../ports';

interface BookRow {
  book_id: string;
  work_id: string | null;
  library: string;
  title: string;
  authors: string[];
  subjects: string[];
  languages: string[];
  pub_year: number | null;
  withdrawn: boolean;
  added_at: Date;
  modified_at: Date;
}

const SELECT_BOOKS = `
  SELECT
    b.id::text AS book_id,
    b.work_id::text AS work_id,
    l.name AS library,
    b.title,
    ARRAY(
      SELECT a.name FROM book_author AS ba JOIN author AS a ON a.id = ba.author_id
      WHERE ba.book_id = b.id ORDER BY ba.position, a.name
    ) AS authors,
    ARRAY(
      SELECT t.path FROM book_tag AS bt JOIN tag AS t ON t.id = bt.tag_id
      WHERE bt.book_id = b.id ORDER BY t.path
    ) AS subjects,
    b.languages,
    b.pub_year,
    b.withdrawn_at IS NOT NULL AS withdrawn,
    b.created_at AS added_at,
    b.updated_at AS modified_at
  FROM book AS b
  JOIN library AS l ON l.id = b.library_id
  ORDER BY b.id`;

export class PostgresCatalogueSnapshotSource implements CatalogueSnapshotSource {
  constructor(private readonly pool: pg.Pool) {}

  async readBooks(): Promise<DimBookRow[]> {
    const result = await this.pool.query<BookRow>(SELECT_BOOKS);
    return result.rows.map((row) => ({
      ...row,
      added_at: row.added_at.toISOString(),
      modified_at: row.modified_at.toISOString(),
    }));
  }
}
