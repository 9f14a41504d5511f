import { describe, expect, it } from 'vitest';
import type { ReaderEvent } from '../../src/recommendations/domain/reader-event';
import type { EventPublisher } from '../../src/recommendations/event-publisher';
import type { Hold, HoldStatus, LendingRules, Loan, ReaderLoans } from '../../src/reading/domain/lending';
import type { LendableBook, LendingStore, LendingTransaction } from '../../src/reading/ports';
import { borrowBook } from '../../src/reading/use-cases/borrow-book';
import { expireDueLoans } from '../../src/reading/use-cases/expire-due-loans';
import { placeHold } from '../../src/reading/use-cases/place-hold';
import { returnBook } from '../../src/reading/use-cases/return-book';

/** Loans and holds in memory; transactions run one at a time (the locks' effect) and roll back on error. */
class InMemoryLendingStore implements LendingStore, LendingTransaction {
  books = new Map<string, LendableBook>();
  loans: Loan[] = [];
  holds: Hold[] = [];
  private nextId = 1;

  async transaction<T>(work: (tx: LendingTransaction) => Promise<T>): Promise<T> {
    const [loans, holds] = [structuredClone(this.loans), structuredClone(this.holds)];
    try {
      return await work(this);
    } catch (error) {
      [this.loans, this.holds] = [loans, holds];
      throw error;
    }
  }
  lockReader(): Promise<void> {
    return Promise.resolve();
  }
  lockBook(bookId: string) {
    return Promise.resolve(this.books.get(bookId) ?? null);
  }
  loanOf(readerId: string, loanId: string) {
    return Promise.resolve(this.loans.find((loan) => loan.id === loanId && loan.readerId === readerId) ?? null);
  }
  openLoans(filter: { readonly bookId: string } | { readonly readerId: string }) {
    const matches = (loan: Loan) =>
      'bookId' in filter ? loan.bookId === filter.bookId : loan.readerId === filter.readerId;
    return Promise.resolve(this.loans.filter((loan) => loan.returnedAt === null && matches(loan)));
  }
  liveHolds(bookId: string) {
    const live = this.holds.filter((hold) => hold.bookId === bookId && ['waiting', 'ready'].includes(hold.status));
    let position = 0;
    return Promise.resolve(live.map((hold) => ({ ...hold, position: hold.status === 'waiting' ? ++position : null })));
  }
  addLoan(loan: { bookId: string; readerId: string; borrowedAt: Date; dueAt: Date }) {
    const created: Loan = {
      id: String(this.nextId++),
      bookId: loan.bookId,
      readerId: loan.readerId,
      borrowedAt: loan.borrowedAt.toISOString(),
      dueAt: loan.dueAt.toISOString(),
      returnedAt: null,
      endReason: null,
    };
    this.loans.push(created);
    return Promise.resolve(created);
  }
  endLoan(loanId: string, at: Date, reason: 'returned' | 'expired') {
    const loan = this.loans.find((candidate) => candidate.id === loanId)!;
    Object.assign(loan, { returnedAt: at.toISOString(), endReason: reason });
    return Promise.resolve({ ...loan });
  }
  addHold(hold: { bookId: string; readerId: string; placedAt: Date }) {
    const created: Hold = {
      id: String(this.nextId++),
      bookId: hold.bookId,
      readerId: hold.readerId,
      placedAt: hold.placedAt.toISOString(),
      status: 'waiting',
      readyUntil: null,
      position: null,
    };
    this.holds.push(created);
    return Promise.resolve(created);
  }
  setHoldStatus(holdId: string, status: HoldStatus, _at: Date, readyUntil?: Date) {
    const hold = this.holds.find((candidate) => candidate.id === holdId)!;
    Object.assign(hold, { status, ...(readyUntil ? { readyUntil: readyUntil.toISOString() } : {}) });
    return Promise.resolve();
  }
  booksToSettle(now: Date) {
    const due = this.loans.filter((loan) => loan.returnedAt === null && new Date(loan.dueAt) <= now);
    const stale = this.holds.filter((hold) => hold.status === 'ready' && new Date(hold.readyUntil!) <= now);
    return Promise.resolve([...new Set([...due, ...stale].map((item) => item.bookId))]);
  }
  readerLoans(readerId: string): Promise<ReaderLoans> {
    return Promise.resolve({ loans: this.loans.filter((loan) => loan.readerId === readerId), holds: [] });
  }
}

const rules: LendingRules = { loanPeriodDays: 14, maxLoansPerReader: 2, holdReadyDays: 3 };
const day = 24 * 3600 * 1000;

function setup(copies: Record<string, number | null>) {
  const store = new InMemoryLendingStore();
  for (const [id, count] of Object.entries(copies)) store.books.set(id, { id, copies: count, withdrawn: false });
  const events: ReaderEvent[] = [];
  const publisher: EventPublisher = {
    publish: (batch) => {
      events.push(...batch);
      return Promise.resolve(batch.map(() => ({ status: 'stored' as const })));
    },
  };
  const clock = { now: new Date('2026-12-01T10:00:00Z') };
  const deps = { store, publisher, rules, now: () => clock.now };
  return { store, events, clock, deps };
}

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'lent',
    (error: { reason?: string; name: string }) => error.reason ?? error.name,
  );

describe('lending rules', () => {
  it('lends until the loan period ends and refuses a reader over the limit, not counting overdue loans', async () => {
    // Prepare
    const { deps, clock } = setup({ '1': null, '2': null, '3': null, '4': null });
    const first = await borrowBook(deps, 'ana', '1');
    await borrowBook(deps, 'ana', '2');

    // Act
    const third = await reasonOf(borrowBook(deps, 'ana', '3'));
    clock.now = new Date(clock.now.getTime() + 15 * day);
    const afterDue = await reasonOf(borrowBook(deps, 'ana', '3'));

    // Assess
    expect(new Date(first.dueAt).getTime() - new Date(first.borrowedAt).getTime()).toBe(14 * day);
    expect(third).toBe('reader-limit');
    expect(afterDue).toBe('lent');
  });

  it('keeps a returned copy for the first hold in line until its time is up, then offers it to the next', async () => {
    // Prepare
    const { deps, clock, store } = setup({ '1': 1 });
    const loan = await borrowBook(deps, 'ana', '1');
    await placeHold(deps, 'ben', '1');
    await placeHold(deps, 'cy', '1');
    await returnBook(deps, 'ana', loan.id);

    // Act
    const cyBefore = await reasonOf(borrowBook(deps, 'cy', '1'));
    clock.now = new Date(clock.now.getTime() + 4 * day);
    await expireDueLoans(deps);
    const benLate = await reasonOf(borrowBook(deps, 'ben', '1'));
    const cyAfter = await reasonOf(borrowBook(deps, 'cy', '1'));

    // Assess
    expect(cyBefore).toBe('no-copy-free');
    expect(benLate).toBe('no-copy-free');
    expect(cyAfter).toBe('lent');
    expect(store.holds.map((hold) => [hold.readerId, hold.status])).toEqual([
      ['ben', 'expired'],
      ['cy', 'fulfilled'],
    ]);
  });

  it('refuses withdrawn or unknown books and rolls back a refused borrow', async () => {
    // Prepare
    const { deps, store } = setup({ '1': 1 });
    store.books.set('2', { id: '2', copies: null, withdrawn: true });

    // Act
    const outcomes = await Promise.all([
      reasonOf(borrowBook(deps, 'ana', '2')),
      reasonOf(borrowBook(deps, 'ana', '9')),
      reasonOf(placeHold(deps, 'ana', '1')),
    ]);

    // Assess
    expect(outcomes).toEqual(['NotFoundError', 'NotFoundError', 'copy-available']);
    expect(store.loans).toEqual([]);
  });

  it('publishes an expired loan as a return at its due time', async () => {
    // Prepare
    const { deps, clock, events } = setup({ '1': null });
    const loan = await borrowBook(deps, 'ana', '1');
    clock.now = new Date(clock.now.getTime() + 20 * day);

    // Act
    const expired = await expireDueLoans(deps);

    // Assess
    expect(expired).toMatchObject([{ id: loan.id, endReason: 'expired', returnedAt: loan.dueAt }]);
    expect(events.at(-1)).toEqual({
      type: 'return',
      eventId: `loan-${loan.id}-return`,
      readerId: 'ana',
      bookId: '1',
      occurredAt: loan.dueAt,
    });
  });
});
