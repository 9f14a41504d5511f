/**
 * Reading progress in Postgres (migration 0007) through its use cases: saved per reader and book, read back on any
 * device, refused on another reader's or an ended loan, and finishing a book is one `finish` event per loan.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/platform/db/migrate';
import type { ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { EventPublisher } from '../../src/recommendations/event-publisher';
import { PostgresLendingStore } from '../../src/reading/adapters/postgres-lending-store';
import { PostgresReadingProgress } from '../../src/reading/adapters/postgres-reading-progress';
import type { LendingRules } from '../../src/reading/domain/lending';
import { borrowBook } from '../../src/reading/use-cases/borrow-book';
import { getReadingProgress } from '../../src/reading/use-cases/get-reading-progress';
import { returnBook } from '../../src/reading/use-cases/return-book';
import { saveReadingProgress } from '../../src/reading/use-cases/save-reading-progress';
import { ForbiddenError } from '../../src/shared/errors';
import { databaseTargets, type TestDatabase } from '../support/databases';

class RecordingPublisher implements EventPublisher {
  readonly events: ReaderEvent[] = [];
  publish(events: readonly ReaderEvent[]) {
    this.events.push(...events);
    return Promise.resolve(events.map(() => ({ status: 'stored' as const })));
  }
}

const rules: LendingRules = { loanPeriodDays: 14, maxLoansPerReader: 5, holdReadyDays: 3 };
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe.each(databaseTargets)('reading progress in Postgres ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let clock = new Date('2026-12-01T10:00:00Z');
  let publisher = new RecordingPublisher();
  const deps = () => {
    const store = new PostgresLendingStore(pool);
    return { store, publisher, rules, now: () => clock, progress: new PostgresReadingProgress(pool) };
  };
  const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));

  async function newBook(): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO book (library_id, source_id, title, title_sort)
       VALUES ((SELECT id FROM library WHERE name = 'progress'), gen_random_uuid()::text, 'A book', 'book')
       RETURNING id::text`,
    );
    return rows[0]!.id;
  }

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 8 });
    await migrateToLatest(pool);
    await pool.query("INSERT INTO library (name) VALUES ('progress')");
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('saves the place with the account, so another device reads the latest one back', async () => {
    // Prepare
    const bookId = await newBook();
    const loan = await borrowBook(deps(), 'reader-a', bookId);

    // Act
    const before = await getReadingProgress(deps(), 'reader-a', loan.id);
    await saveReadingProgress(deps(), 'reader-a', loan.id, { location: 'epubcfi(/6/4!/4/2/1:0)', progress: 0.1 });
    later(1);
    const saved = await saveReadingProgress(deps(), 'reader-a', loan.id, {
      location: 'epubcfi(/6/6!/4/10/1:0)',
      progress: 0.25,
    });
    const onAnotherDevice = await getReadingProgress(deps(), 'reader-a', loan.id);

    // Assess
    expect(before).toEqual({ progress: null });
    expect(saved).toEqual({
      bookId,
      location: 'epubcfi(/6/6!/4/10/1:0)',
      progress: 0.25,
      updatedAt: clock.toISOString(),
      finishedAt: null,
    });
    expect(onAnotherDevice).toEqual({ progress: saved });
    expect(publisher.events).toHaveLength(1); // the borrow only
  });

  it("refuses another reader's loan, and saving once the loan has ended (the place stays readable)", async () => {
    // Prepare
    const bookId = await newBook();
    const loan = await borrowBook(deps(), 'reader-b', bookId);
    await saveReadingProgress(deps(), 'reader-b', loan.id, { location: 'page=3', progress: 0.3 });
    await returnBook(deps(), 'reader-b', loan.id);

    // Act
    const asOther = await failureOf(getReadingProgress(deps(), 'reader-c', loan.id));
    const saveAsOther = await failureOf(
      saveReadingProgress(deps(), 'reader-c', loan.id, { location: 'page=1', progress: 0 }),
    );
    const afterReturn = await failureOf(
      saveReadingProgress(deps(), 'reader-b', loan.id, { location: 'page=9', progress: 0.9 }),
    );
    const kept = await getReadingProgress(deps(), 'reader-b', loan.id);

    // Assess
    expect(asOther).toBeInstanceOf(ForbiddenError);
    expect(saveAsOther).toBeInstanceOf(ForbiddenError);
    expect(afterReturn).toBeInstanceOf(ForbiddenError);
    expect(kept.progress).toMatchObject({ location: 'page=3', progress: 0.3 });
  });

  it('publishes one finish event per loan, even when two devices save the last page at once', async () => {
    // Prepare
    publisher = new RecordingPublisher();
    const bookId = await newBook();
    const first = await borrowBook(deps(), 'reader-d', bookId);

    // Act
    await Promise.all([
      saveReadingProgress(deps(), 'reader-d', first.id, { location: 'epubcfi(/6/20!)', progress: 0.995 }),
      saveReadingProgress(deps(), 'reader-d', first.id, { location: 'epubcfi(/6/20!)', progress: 1 }),
    ]);
    await saveReadingProgress(deps(), 'reader-d', first.id, { location: 'epubcfi(/6/20!)', progress: 1 });
    await returnBook(deps(), 'reader-d', first.id);
    later(60);
    const second = await borrowBook(deps(), 'reader-d', bookId);
    const reopened = await getReadingProgress(deps(), 'reader-d', second.id);
    const finished = await saveReadingProgress(deps(), 'reader-d', second.id, {
      location: 'epubcfi(/6/8!)',
      progress: 0.4,
      finished: true,
    });

    // Assess
    const finishes = publisher.events.filter((event) => event.type === 'finish');
    expect(finishes).toEqual([
      expect.objectContaining({ eventId: `loan-${first.id}-finish`, readerId: 'reader-d', bookId }),
      expect.objectContaining({ eventId: `loan-${second.id}-finish`, occurredAt: clock.toISOString() }),
    ]);
    expect(reopened.progress).toMatchObject({ location: 'epubcfi(/6/20!)', progress: 1 });
    expect(finished.finishedAt).toBe(clock.toISOString());
  });
});
