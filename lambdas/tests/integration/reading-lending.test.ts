import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/platform/db/migrate';
import type { ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { EventPublisher } from '../../src/recommendations/event-publisher';
import { PostgresLendingStore } from '../../src/reading/adapters/postgres-lending-store';
import { LendingConflictError, type LendingRules } from '../../src/reading/domain/lending';
import { borrowBook } from '../../src/reading/use-cases/borrow-book';
import { expireDueLoans } from '../../src/reading/use-cases/expire-due-loans';
import { listReaderLoans } from '../../src/reading/use-cases/list-reader-loans';
import { placeHold } from '../../src/reading/use-cases/place-hold';
import { returnBook } from '../../src/reading/use-cases/return-book';
import { databaseTargets, type TestDatabase } from '../support/databases';

class RecordingPublisher implements EventPublisher {
  readonly events: ReaderEvent[] = [];
  publish(events: readonly ReaderEvent[]) {
    this.events.push(...events);
    return Promise.resolve(events.map(() => ({ status: 'stored' as const })));
  }
}

/** The error a promise rejects with, or null if it resolves. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

const rules: LendingRules = { loanPeriodDays: 14, maxLoansPerReader: 5, holdReadyDays: 3 };

describe.each(databaseTargets)('lending in Postgres ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let clock = new Date('2026-12-01T10:00:00Z');
  const publisher = new RecordingPublisher();
  const deps = () => ({ store: new PostgresLendingStore(pool), publisher, rules, now: () => clock });

  /** A new book with `copies` copies (null: unlimited); returns its id. */
  async function newBook(copies: number | null): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO book (library_id, source_id, title, title_sort)
       VALUES ((SELECT id FROM library WHERE name = 'lending'), gen_random_uuid()::text, 'A book', 'book')
       RETURNING id::text`,
    );
    const id = rows[0]!.id;
    if (copies !== null) await pool.query('INSERT INTO book_copies (book_id, copies) VALUES ($1, $2)', [id, copies]);
    return id;
  }

  const conflictOf = (result: PromiseSettledResult<unknown>) =>
    result.status === 'rejected' && result.reason instanceof LendingConflictError ? result.reason.reason : undefined;

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 12 });
    await migrateToLatest(pool);
    await pool.query("INSERT INTO library (name) VALUES ('lending')");
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('never lends a title more times than it has copies, under 24 concurrent borrows', async () => {
    // Prepare
    const bookId = await newBook(3);
    const readers = Array.from({ length: 24 }, (_, index) => `reader-${index}`);

    // Act
    const results = await Promise.allSettled(readers.map((reader) => borrowBook(deps(), reader, bookId)));
    const open = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM loan WHERE book_id = $1 AND returned_at IS NULL',
      [bookId],
    );

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    expect(results.filter((result) => conflictOf(result) === 'no-copy-free')).toHaveLength(21);
    expect(open.rows[0]?.n).toBe(3);
  });

  it('lends one open loan of a book per reader, even for unlimited lending and parallel requests', async () => {
    // Prepare
    const bookId = await newBook(null);

    // Act
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => borrowBook(deps(), 'twice', bookId)));
    const second = await failureOf(
      pool.query(
        `INSERT INTO loan (book_id, reader_id, borrowed_at, due_at) VALUES ($1, 'twice', now(), now() + interval '1 day')`,
        [bookId],
      ),
    );

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((result) => conflictOf(result) === 'already-borrowed')).toHaveLength(7);
    expect(second).toMatchObject({ message: expect.stringMatching(/loan_open_idx/) });
  });

  it("keeps a reader within the library's limit of open loans under concurrent borrows", async () => {
    // Prepare
    const books = await Promise.all(Array.from({ length: 8 }, () => newBook(null)));

    // Act
    const results = await Promise.allSettled(books.map((bookId) => borrowBook(deps(), 'greedy', bookId)));

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(rules.maxLoansPerReader);
    expect(results.filter((result) => conflictOf(result) === 'reader-limit')).toHaveLength(3);
  });

  it('queues holds, keeps a returned copy for the first in line, and lets them borrow it', async () => {
    // Prepare
    const bookId = await newBook(1);
    const loan = await borrowBook(deps(), 'first', bookId);
    const early = await failureOf(placeHold(deps(), 'first', bookId));
    const hold1 = await placeHold(deps(), 'second', bookId);
    const hold2 = await placeHold(deps(), 'third', bookId);

    // Act
    await returnBook(deps(), 'first', loan.id);
    const third = await failureOf(borrowBook(deps(), 'third', bookId));
    const thirdLoans = await listReaderLoans(deps(), 'third');
    const secondLoan = await borrowBook(deps(), 'second', bookId);
    const secondLoans = await listReaderLoans(deps(), 'second');

    // Assess
    expect(early).toMatchObject({
      reason: 'already-borrowed',
      message: expect.stringMatching(/already have this book/),
    });
    expect([hold1.position, hold2.position]).toEqual([1, 2]);
    expect(third).toMatchObject({ reason: 'no-copy-free' });
    expect(thirdLoans.holds).toMatchObject([{ status: 'waiting', position: 1 }]);
    expect(secondLoan.bookId).toBe(bookId);
    expect(secondLoans.holds).toEqual([]);
    expect(secondLoans.loans).toMatchObject([{ id: secondLoan.id, returnedAt: null }]);
  });

  it('refuses holds where a copy is free or lending is unlimited', async () => {
    // Prepare
    const [limited, unlimited] = [await newBook(2), await newBook(null)];

    // Act
    const free = await failureOf(placeHold(deps(), 'holder', limited));
    const any = await failureOf(placeHold(deps(), 'holder', unlimited));

    // Assess
    expect(free).toMatchObject({ reason: 'copy-available' });
    expect(any).toMatchObject({ reason: 'unlimited' });
  });

  it('expires due loans at their due time, promotes the next hold and publishes return events', async () => {
    // Prepare
    const bookId = await newBook(1);
    const loan = await borrowBook(deps(), 'late', bookId);
    const hold = await placeHold(deps(), 'next', bookId);
    publisher.events.length = 0;
    const start = clock;
    clock = new Date(start.getTime() + 15 * 24 * 3600 * 1000);

    // Act
    const expired = await expireDueLoans(deps());
    const lateLoans = await listReaderLoans(deps(), 'late');
    const nextLoans = await listReaderLoans(deps(), 'next');
    clock = start;

    // Assess
    expect(expired.map((ended) => ended.id)).toContain(loan.id);
    expect(lateLoans.loans.find((ended) => ended.id === loan.id)).toMatchObject({
      endReason: 'expired',
      returnedAt: loan.dueAt,
    });
    expect(nextLoans.holds).toMatchObject([{ id: hold.id, status: 'ready' }]);
    expect(publisher.events).toContainEqual(
      expect.objectContaining({ type: 'return', eventId: `loan-${loan.id}-return`, readerId: 'late', bookId }),
    );
  });

  it('publishes borrow, hold and return as reader events', async () => {
    // Prepare
    const bookId = await newBook(1);
    publisher.events.length = 0;

    // Act
    const loan = await borrowBook(deps(), 'eventful', bookId);
    const hold = await placeHold(deps(), 'waiter', bookId);
    await returnBook(deps(), 'eventful', loan.id);
    await returnBook(deps(), 'eventful', loan.id);

    // Assess
    expect(publisher.events.map((event) => [event.type, event.eventId])).toEqual([
      ['borrow', `loan-${loan.id}-borrow`],
      ['add-to-list', `hold-${hold.id}-placed`],
      ['return', `loan-${loan.id}-return`],
    ]);
  });
});
