/**
 * Borrow a book.
 *
 * 1. In one transaction, lock the reader (their loan count), then the book (its copies).
 * 2. Settle the book: end its due loans, expire stale ready holds, offer free copies to the holds in line.
 * 3. Refuse (409) when the reader already has it, is at the library's limit of open loans, or no copy is free for
 *    them (every copy lent or kept for a reader whose hold is ready; their own ready hold keeps one for them).
 * 4. Lend it until now + the loan period; a ready or waiting hold of this reader on the book is fulfilled.
 * 5. After commit, publish the `borrow` event (and `return` events of loans that expired in step 2).
 *
 * The locks make double-lending impossible under concurrent requests; the partial unique index on open loans makes
 * a second open loan of one book by one reader impossible even without them.
 */
import { NotFoundError } from '../../shared/errors';
import type { EventPublisher } from '../../recommendations/event-publisher';
import { addDays, LendingConflictError, type LendingRules, type Loan } from '../domain/lending';
import { borrowEvent, returnEvent } from '../domain/lending-events';
import type { LendingStore } from '../ports';
import { settleBook } from './expire-due-loans';
import { publishLendingEvents } from './publish-lending-events';

export interface BorrowBookDeps {
  readonly store: LendingStore;
  readonly publisher: EventPublisher;
  readonly rules: LendingRules;
  readonly now: () => Date;
}

export async function borrowBook(deps: BorrowBookDeps, readerId: string, bookId: string): Promise<Loan> {
  const now = deps.now();
  const { loan, expired } = await deps.store.transaction(async (tx) => {
    await tx.lockReader(readerId);
    const book = await tx.lockBook(bookId);
    if (!book || book.withdrawn) throw new NotFoundError(`Book ${bookId} is not in the catalogue`);
    const settled = await settleBook(tx, book, now, deps.rules);
    if (settled.openLoans.some((open) => open.readerId === readerId)) {
      throw new LendingConflictError('already-borrowed', 'You already have this book on loan');
    }
    const readerLoans = (await tx.openLoans({ readerId })).filter((open) => new Date(open.dueAt) > now);
    if (readerLoans.length >= deps.rules.maxLoansPerReader) {
      throw new LendingConflictError(
        'reader-limit',
        `You have ${readerLoans.length} books on loan, the most a reader may have at once; return one first`,
      );
    }
    const ownHold = settled.holds.find((hold) => hold.readerId === readerId);
    const keptForReader = ownHold?.status === 'ready' ? 1 : 0;
    if (settled.freeCopies + keptForReader <= 0) {
      throw new LendingConflictError(
        'no-copy-free',
        `All ${book.copies} copies of this book are on loan or kept for readers in line; place a hold`,
      );
    }
    const created = await tx.addLoan({
      bookId,
      readerId,
      borrowedAt: now,
      dueAt: addDays(now, deps.rules.loanPeriodDays),
    });
    if (ownHold) await tx.setHoldStatus(ownHold.id, 'fulfilled', now);
    return { loan: created, expired: settled.expired };
  });
  await publishLendingEvents(deps.publisher, [...expired.map(returnEvent), borrowEvent(loan)]);
  return loan;
}
