/**
 * Deleting a reader's history forgets their reading records in Postgres: reading progress, ended loans and ended
 * holds; the open loan and the live hold stay (the library is lending the book), and other readers' rows are kept.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresReadingRecords } from '../../src/identity/adapters/postgres-reading-records';
import { migrateToLatest } from '../../src/platform/db/migrate';
import type { ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { EventPublisher } from '../../src/recommendations/event-publisher';
import { PostgresLendingStore } from '../../src/reading/adapters/postgres-lending-store';
import { PostgresReadingProgress } from '../../src/reading/adapters/postgres-reading-progress';
import type { LendingRules } from '../../src/reading/domain/lending';
import { borrowBook } from '../../src/reading/use-cases/borrow-book';
import { returnBook } from '../../src/reading/use-cases/return-book';
import { saveReadingProgress } from '../../src/reading/use-cases/save-reading-progress';
import { databaseTargets, type TestDatabase } from '../support/databases';

const silent: EventPublisher = {
  publish: (events: readonly ReaderEvent[]) => Promise.resolve(events.map(() => ({ status: 'stored' as const }))),
};
const rules: LendingRules = { loanPeriodDays: 14, maxLoansPerReader: 5, holdReadyDays: 3 };

describe.each(databaseTargets)('forgetting a reader’s reading records ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const deps = () => ({
    store: new PostgresLendingStore(pool),
    publisher: silent,
    rules,
    now: () => new Date(),
    progress: new PostgresReadingProgress(pool),
  });

  async function newBook(): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO book (library_id, source_id, title, title_sort)
       VALUES ((SELECT id FROM library WHERE name = 'records'), gen_random_uuid()::text, 'A book', 'book')
       RETURNING id::text`,
    );
    return rows[0]!.id;
  }

  const count = async (table: string, readerId: string) =>
    Number(
      (await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE reader_id = $1`, [readerId]))
        .rows[0]?.n,
    );

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await migrateToLatest(pool);
    await pool.query("INSERT INTO library (name) VALUES ('records')");
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('deletes progress, ended loans and ended holds, keeps the open loan, the live hold and other readers', async () => {
    // Prepare: reader A read and returned one book (with progress, finished), is reading another; one ended and one
    // live hold. Reader B has a returned loan and progress too.
    const [read, reading, held, waited] = [await newBook(), await newBook(), await newBook(), await newBook()];
    const returned = await borrowBook(deps(), 'reader-a', read);
    await saveReadingProgress(deps(), 'reader-a', returned.id, { location: 'epubcfi(/6/2)', progress: 1 });
    await returnBook(deps(), 'reader-a', returned.id);
    const open = await borrowBook(deps(), 'reader-a', reading);
    await saveReadingProgress(deps(), 'reader-a', open.id, { location: 'epubcfi(/6/4)', progress: 0.3 });
    await pool.query(
      `INSERT INTO hold (book_id, reader_id, placed_at, status) VALUES ($1::bigint, 'reader-a', now(), 'expired'),
         ($2::bigint, 'reader-a', now(), 'waiting')`,
      [held, waited],
    );
    const other = await borrowBook(deps(), 'reader-b', read);
    await saveReadingProgress(deps(), 'reader-b', other.id, { location: 'epubcfi(/6/8)', progress: 0.5 });
    await returnBook(deps(), 'reader-b', other.id);

    // Act
    const forgotten = await new PostgresReadingRecords(() => Promise.resolve(pool)).forgetReader('reader-a');
    const again = await new PostgresReadingRecords(() => Promise.resolve(pool)).forgetReader('reader-a');

    // Assess
    expect(forgotten).toBe(4); // two progress rows, one returned loan, one expired hold
    expect(again).toBe(0);
    expect(await count('reading_progress', 'reader-a')).toBe(0);
    const loans = await pool.query<{ id: string }>(`SELECT id::text FROM loan WHERE reader_id = 'reader-a'`);
    expect(loans.rows.map((row) => row.id)).toEqual([String(open.id)]);
    const holds = await pool.query<{ status: string }>(`SELECT status FROM hold WHERE reader_id = 'reader-a'`);
    expect(holds.rows.map((row) => row.status)).toEqual(['waiting']);
    expect(await count('loan', 'reader-b')).toBe(1);
    expect(await count('reading_progress', 'reader-b')).toBe(1);
  });
});
