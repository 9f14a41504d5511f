/**
 * Loans and holds in Postgres (migration 0006). Each transaction runs on one pooled client; locks:
 * - the reader: a transaction-scoped advisory lock on the reader id (their loan count has no row to lock);
 * - the book: its `book` row, `FOR NO KEY UPDATE` (other transactions' foreign-key checks on the book still pass).
 * A unique violation on an open loan or live hold (only possible if a caller skipped the locks) is a conflict.
 */
import type pg from 'pg';
import { LendingConflictError, type Hold, type HoldStatus, type Loan, type ReaderLoans } from '../domain/lending';
import type { LendableBook, LendingStore, LendingTransaction } from '../ports';

interface LoanRow {
  id: string;
  book_id: string;
  reader_id: string;
  borrowed_at: Date;
  due_at: Date;
  returned_at: Date | null;
  end_reason: 'returned' | 'expired' | null;
}

interface HoldRow {
  id: string;
  book_id: string;
  reader_id: string;
  placed_at: Date;
  status: HoldStatus;
  ready_until: Date | null;
  position: number | null;
}

const loanColumns = `id::text, book_id::text, reader_id, borrowed_at, due_at, returned_at, end_reason`;
const holdColumns = `id::text, book_id::text, reader_id, placed_at, status, ready_until`;

function toLoan(row: LoanRow): Loan {
  return {
    id: row.id,
    bookId: row.book_id,
    readerId: row.reader_id,
    borrowedAt: row.borrowed_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    returnedAt: row.returned_at?.toISOString() ?? null,
    endReason: row.end_reason,
  };
}

function toHold(row: HoldRow): Hold {
  return {
    id: row.id,
    bookId: row.book_id,
    readerId: row.reader_id,
    placedAt: row.placed_at.toISOString(),
    status: row.status,
    readyUntil: row.ready_until?.toISOString() ?? null,
    position: row.position ?? null,
  };
}

/** PostgreSQL's unique_violation. */
const uniqueViolation = '23505';

class PostgresLendingTransaction implements LendingTransaction {
  constructor(private readonly client: pg.PoolClient) {}

  async lockReader(readerId: string): Promise<void> {
    await this.client.query(`SELECT pg_advisory_xact_lock(hashtextextended('reader:' || $1::text, 0))`, [readerId]);
  }

  async lockBook(bookId: string): Promise<LendableBook | null> {
    const { rows } = await this.client.query<{ id: string; copies: number | null; withdrawn: boolean }>(
      `SELECT b.id::text, (SELECT c.copies FROM book_copies c WHERE c.book_id = b.id) AS copies,
              b.withdrawn_at IS NOT NULL AS withdrawn
       FROM book b WHERE b.id = $1::bigint FOR NO KEY UPDATE OF b`,
      [bookId],
    );
    return rows[0] ?? null;
  }

  async loanOf(readerId: string, loanId: string): Promise<Loan | null> {
    const { rows } = await this.client.query<LoanRow>(
      `SELECT ${loanColumns} FROM loan WHERE id = $1::bigint AND reader_id = $2`,
      [loanId, readerId],
    );
    return rows[0] ? toLoan(rows[0]) : null;
  }

  async openLoans(filter: { readonly bookId: string } | { readonly readerId: string }): Promise<Loan[]> {
    const [column, value] = 'bookId' in filter ? ['book_id', filter.bookId] : ['reader_id', filter.readerId];
    const { rows } = await this.client.query<LoanRow>(
      `SELECT ${loanColumns} FROM loan WHERE ${column} = $1 AND returned_at IS NULL ORDER BY due_at, id`,
      [value],
    );
    return rows.map(toLoan);
  }

  async liveHolds(bookId: string): Promise<Hold[]> {
    const { rows } = await this.client.query<HoldRow>(
      `SELECT ${holdColumns},
         CASE WHEN status = 'waiting'
              THEN (row_number() OVER (PARTITION BY status ORDER BY placed_at, id))::int END AS position
       FROM hold WHERE book_id = $1::bigint AND status IN ('waiting', 'ready') ORDER BY placed_at, id`,
      [bookId],
    );
    return rows.map(toHold);
  }

  async addLoan(loan: { bookId: string; readerId: string; borrowedAt: Date; dueAt: Date }): Promise<Loan> {
    try {
      const { rows } = await this.client.query<LoanRow>(
        `INSERT INTO loan (book_id, reader_id, borrowed_at, due_at) VALUES ($1::bigint, $2, $3, $4)
         RETURNING ${loanColumns}`,
        [loan.bookId, loan.readerId, loan.borrowedAt, loan.dueAt],
      );
      return toLoan(rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) {
        throw new LendingConflictError('already-borrowed', 'You already have this book on loan', { cause: error });
      }
      throw error;
    }
  }

  async endLoan(loanId: string, at: Date, reason: 'returned' | 'expired'): Promise<Loan> {
    const { rows } = await this.client.query<LoanRow>(
      `UPDATE loan SET returned_at = $2, end_reason = $3 WHERE id = $1::bigint RETURNING ${loanColumns}`,
      [loanId, at, reason],
    );
    return toLoan(rows[0]!);
  }

  async addHold(hold: { bookId: string; readerId: string; placedAt: Date }): Promise<Hold> {
    try {
      const { rows } = await this.client.query<HoldRow>(
        `INSERT INTO hold (book_id, reader_id, placed_at, status) VALUES ($1::bigint, $2, $3, 'waiting')
         RETURNING ${holdColumns}, NULL::int AS position`,
        [hold.bookId, hold.readerId, hold.placedAt],
      );
      return toHold(rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) {
        throw new LendingConflictError('already-on-hold', 'You already have a hold on this book', { cause: error });
      }
      throw error;
    }
  }

  async setHoldStatus(holdId: string, status: HoldStatus, at: Date, readyUntil?: Date): Promise<void> {
    await this.client.query(
      `UPDATE hold SET status = $2,
         ready_at = CASE WHEN $2 = 'ready' THEN $3::timestamptz ELSE ready_at END,
         ready_until = CASE WHEN $2 = 'ready' THEN $4::timestamptz ELSE ready_until END,
         closed_at = CASE WHEN $2 IN ('fulfilled', 'expired', 'cancelled') THEN $3::timestamptz END
       WHERE id = $1::bigint`,
      [holdId, status, at, readyUntil ?? null],
    );
  }
}

export class PostgresLendingStore implements LendingStore {
  constructor(private readonly pool: pg.Pool) {}

  async transaction<T>(work: (tx: LendingTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresLendingTransaction(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async loanOf(readerId: string, loanId: string): Promise<Loan | null> {
    const { rows } = await this.pool.query<LoanRow>(
      `SELECT ${loanColumns} FROM loan WHERE id = $1::bigint AND reader_id = $2`,
      [loanId, readerId],
    );
    return rows[0] ? toLoan(rows[0]) : null;
  }

  async booksToSettle(now: Date, readerId?: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ book_id: string }>(
      `SELECT DISTINCT book_id::text FROM (
         SELECT book_id FROM loan WHERE returned_at IS NULL AND due_at <= $1 AND ($2::text IS NULL OR reader_id = $2)
         UNION
         SELECT book_id FROM hold WHERE status = 'ready' AND ready_until <= $1 AND $2::text IS NULL
       ) due ORDER BY 1`,
      [now, readerId ?? null],
    );
    return rows.map((row) => row.book_id);
  }

  async readerLoans(readerId: string, endedLimit: number): Promise<ReaderLoans> {
    const [loans, holds] = await Promise.all([
      this.pool.query<LoanRow>(
        `(SELECT ${loanColumns} FROM loan WHERE reader_id = $1 AND returned_at IS NULL)
         UNION ALL
         (SELECT ${loanColumns} FROM loan WHERE reader_id = $1 AND returned_at IS NOT NULL
          ORDER BY returned_at DESC, id DESC LIMIT $2)
         ORDER BY returned_at DESC NULLS FIRST, due_at, id`,
        [readerId, endedLimit],
      ),
      this.pool.query<HoldRow>(
        `SELECT * FROM (
           SELECT ${holdColumns},
             CASE WHEN status = 'waiting'
                  THEN (row_number() OVER (PARTITION BY book_id, status ORDER BY placed_at, id))::int END AS position
           FROM hold WHERE status IN ('waiting', 'ready')
             AND book_id IN (SELECT book_id FROM hold WHERE reader_id = $1 AND status IN ('waiting', 'ready'))
         ) queue WHERE reader_id = $1 ORDER BY placed_at, id`,
        [readerId],
      ),
    ]);
    return { loans: loans.rows.map(toLoan), holds: holds.rows.map(toHold) };
  }
}
