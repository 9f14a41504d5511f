/**
 * Expire due loans and promote the next hold.
 *
 * For each book with a loan past its due time or a ready hold past its time:
 * 1. lock the book;
 * 2. end its loans that are due (`expired`, at their due time: access ended then, whenever this runs);
 * 3. expire its ready holds whose reader did not borrow in time;
 * 4. offer each free copy to the next waiting hold in line (`ready` for the library's hold period);
 * 5. after commit, publish a `return` event per expired loan.
 *
 * Borrowing, returning and holding settle their book the same way first (`settleBook`), so the rules hold even
 * where nothing runs this on a schedule; listing a reader's loans settles that reader's books.
 */
import type { ReaderEvent } from '../../recommendations/domain/reader-event';
import type { EventPublisher } from '../../recommendations/event-publisher';
import { addDays, type Hold, type LendingRules, type Loan } from '../domain/lending';
import { returnEvent } from '../domain/lending-events';
import type { LendableBook, LendingStore, LendingTransaction } from '../ports';
import { publishLendingEvents } from './publish-lending-events';

export interface SettledBook {
  /** Open loans after settling. */
  readonly openLoans: readonly Loan[];
  /** Waiting and ready holds after settling, in queue order. */
  readonly holds: readonly Hold[];
  /** Loans that expired now. */
  readonly expired: readonly Loan[];
  /** Copies neither lent nor kept for a ready hold (Infinity for unlimited lending). */
  readonly freeCopies: number;
}

/** Steps 2–4 for one book locked in `tx`. */
export async function settleBook(
  tx: LendingTransaction,
  book: LendableBook,
  now: Date,
  rules: LendingRules,
): Promise<SettledBook> {
  const expired: Loan[] = [];
  const openLoans: Loan[] = [];
  for (const loan of await tx.openLoans({ bookId: book.id })) {
    if (new Date(loan.dueAt) <= now) expired.push(await tx.endLoan(loan.id, new Date(loan.dueAt), 'expired'));
    else openLoans.push(loan);
  }
  const holds: Hold[] = [];
  for (const hold of await tx.liveHolds(book.id)) {
    if (hold.status === 'ready' && hold.readyUntil !== null && new Date(hold.readyUntil) <= now) {
      await tx.setHoldStatus(hold.id, 'expired', now);
    } else {
      holds.push(hold);
    }
  }
  if (book.copies === null) return { openLoans, holds, expired, freeCopies: Number.POSITIVE_INFINITY };
  let freeCopies = book.copies - openLoans.length - holds.filter((hold) => hold.status === 'ready').length;
  const readyUntil = addDays(now, rules.holdReadyDays);
  for (const [index, hold] of holds.entries()) {
    if (freeCopies <= 0) break;
    if (hold.status !== 'waiting') continue;
    await tx.setHoldStatus(hold.id, 'ready', now, readyUntil);
    holds[index] = { ...hold, status: 'ready', readyUntil: readyUntil.toISOString(), position: null };
    freeCopies--;
  }
  return { openLoans, holds, expired, freeCopies: Math.max(0, freeCopies) };
}

export interface ExpireDueLoansDeps {
  readonly store: LendingStore;
  readonly publisher: EventPublisher;
  readonly rules: LendingRules;
  readonly now: () => Date;
}

/** Settles every book that needs it (or only the books of one reader's loans). Returns the expired loans. */
export async function expireDueLoans(deps: ExpireDueLoansDeps, readerId?: string): Promise<Loan[]> {
  const now = deps.now();
  const expired: Loan[] = [];
  for (const bookId of await deps.store.booksToSettle(now, readerId)) {
    const settled = await deps.store.transaction(async (tx) => {
      const book = await tx.lockBook(bookId);
      return book ? settleBook(tx, book, now, deps.rules) : null;
    });
    if (settled) expired.push(...settled.expired);
  }
  const events: ReaderEvent[] = expired.map(returnEvent);
  await publishLendingEvents(deps.publisher, events);
  return expired;
}
