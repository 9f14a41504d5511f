/**
 * A reader's reading records in Postgres (migrations 0006 and 0007), forgotten when they delete their history:
 * reading progress first (it may name a finished loan), then ended loans and ended holds, in one transaction.
 */
import type pg from 'pg';
import type { ReadingRecords } from '../ports';

export class PostgresReadingRecords implements ReadingRecords {
  constructor(private readonly pool: () => Promise<pg.Pool>) {}

  async forgetReader(readerId: string): Promise<number> {
    const client = await (await this.pool()).connect();
    try {
      await client.query('BEGIN');
      const progress = await client.query('DELETE FROM reading_progress WHERE reader_id = $1', [readerId]);
      const loans = await client.query('DELETE FROM loan WHERE reader_id = $1 AND returned_at IS NOT NULL', [readerId]);
      const holds = await client.query(`DELETE FROM hold WHERE reader_id = $1 AND status NOT IN ('waiting', 'ready')`, [
        readerId,
      ]);
      await client.query('COMMIT');
      return (progress.rowCount ?? 0) + (loans.rowCount ?? 0) + (holds.rowCount ?? 0);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
