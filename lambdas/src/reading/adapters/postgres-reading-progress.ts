/** Readers' places in their books (`reading_progress`, migration 0007). */
import type pg from 'pg';
import type { ReadingProgress } from '../domain/progress';
import type { ReadingProgressStore } from '../ports';

export class PostgresReadingProgress implements ReadingProgressStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(readerId: string, bookId: string): Promise<ReadingProgress | null> {
    const { rows } = await this.pool.query<{
      location: string;
      progress: number;
      updated_at: Date;
      finished_at: Date | null;
    }>(
      `SELECT location, progress, updated_at, finished_at FROM reading_progress
       WHERE reader_id = $1 AND book_id = $2::bigint`,
      [readerId, bookId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      bookId,
      location: row.location,
      progress: Number(row.progress),
      updatedAt: new Date(row.updated_at).toISOString(),
      finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    };
  }

  async save(readerId: string, bookId: string, place: { location: string; progress: number }, at: Date) {
    await this.pool.query(
      `INSERT INTO reading_progress (reader_id, book_id, location, progress, updated_at)
       VALUES ($1, $2::bigint, $3, $4, $5)
       ON CONFLICT (reader_id, book_id) DO UPDATE SET location = excluded.location, progress = excluded.progress,
         updated_at = excluded.updated_at`,
      [readerId, bookId, place.location, place.progress, at],
    );
  }

  async markFinished(readerId: string, bookId: string, loanId: string, at: Date): Promise<boolean> {
    // Under READ COMMITTED a concurrent second update re-reads the row after the first commits, so only one wins.
    const { rowCount } = await this.pool.query(
      `UPDATE reading_progress SET finished_loan_id = $3::bigint, finished_at = $4
       WHERE reader_id = $1 AND book_id = $2::bigint AND finished_loan_id IS DISTINCT FROM $3::bigint`,
      [readerId, bookId, loanId, at],
    );
    return (rowCount ?? 0) > 0;
  }
}
