/** The books' stored files (`book_file`, migration 0006) and covers (`book.cover_key`, 0008), written by the ingest. */
import type pg from 'pg';
import type { BookCovers, BookFile, BookFiles } from '../ports';
import type { LibraryBooks } from '../use-cases/store-library-files';

/** Formats in order of preference for reading in the browser and on e-readers. */
const preference = `CASE format WHEN 'EPUB' THEN 0 WHEN 'PDF' THEN 1 WHEN 'TXT' THEN 2 ELSE 3 END`;

export class PostgresBookFiles implements BookFiles, BookCovers, LibraryBooks {
  constructor(private readonly pool: pg.Pool) {}

  async filesOf(bookId: string): Promise<BookFile[]> {
    const { rows } = await this.pool.query<{
      format: string;
      content_hash: string;
      size_bytes: string;
      object_key: string;
    }>(
      `SELECT format, content_hash, size_bytes::text, object_key FROM book_file WHERE book_id = $1::bigint
       ORDER BY ${preference}, format`,
      [bookId],
    );
    return rows.map((row) => ({
      bookId,
      format: row.format,
      contentHash: row.content_hash,
      sizeBytes: Number(row.size_bytes),
      key: row.object_key,
    }));
  }

  async record(file: BookFile): Promise<void> {
    await this.pool.query(
      `INSERT INTO book_file (book_id, format, content_hash, size_bytes, object_key)
       VALUES ($1::bigint, $2, $3, $4, $5)
       ON CONFLICT (book_id, format) DO UPDATE SET content_hash = excluded.content_hash,
         size_bytes = excluded.size_bytes, object_key = excluded.object_key, updated_at = now()
       WHERE book_file.content_hash IS DISTINCT FROM excluded.content_hash`,
      [file.bookId, file.format, file.contentHash, file.sizeBytes, file.key],
    );
  }

  async recordCover(bookId: string, key: string): Promise<void> {
    await this.pool.query(`UPDATE book SET cover_key = $2 WHERE id = $1::bigint AND cover_key IS DISTINCT FROM $2`, [
      bookId,
      key,
    ]);
  }

  async withFiles(bookIds: readonly string[]): Promise<Map<string, string[]>> {
    if (bookIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ book_id: string; formats: string[] }>(
      `SELECT book_id::text, array_agg(format ORDER BY ${preference}, format) AS formats FROM book_file
       WHERE book_id = ANY ($1::bigint[]) GROUP BY book_id`,
      [bookIds],
    );
    return new Map(rows.map((row) => [row.book_id, row.formats]));
  }

  async idsBySourceId(library: string, sourceIds: readonly string[]): Promise<Map<string, string>> {
    if (sourceIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ id: string; source_id: string }>(
      `SELECT b.id::text, b.source_id FROM book b JOIN library l ON l.id = b.library_id
       WHERE l.name = $1 AND b.source_id = ANY ($2::text[])`,
      [library, sourceIds],
    );
    return new Map(rows.map((row) => [row.source_id, row.id]));
  }
}
