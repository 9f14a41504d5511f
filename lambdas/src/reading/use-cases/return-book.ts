/**
 * Return a book.
 *
 * 1. In one transaction, find the reader's loan (another reader's loan is not found) and lock its book.
 * 2. End it (`returned`, now) unless it has already ended (returning twice is not an error: the loan is answered).
 * 3. Settle the book: the freed copy goes to the next hold in line, which becomes ready.
 * 4. After commit, publish the `return` event.
 */
import { NotFoundError } from '../../shared/errors';
import type { EventPublisher } from '../../recommendations/event-publisher';
import type { LendingRules, Loan } from '../domain/lending';
import { returnEvent } from '../domain/lending-events';
import type { LendingStore } from '../ports';
import { settleBook } from './expire-due-loans';
import { publishLendingEvents } from './publish-lending-events';

export interface ReturnBookDeps {
  readonly store: LendingStore;
  readonly publisher: EventPublisher;
  readonly rules: LendingRules;
  readonly now: () => Date;
}

export async function returnBook(deps: ReturnBookDeps, readerId: string, loanId: string): Promise<Loan> {
  const now = deps.now();
  const { loan, ended } = await deps.store.transaction(async (tx) => {
    const found = await tx.loanOf(readerId, loanId);
    if (!found) throw new NotFoundError(`You have no loan ${loanId}`);
    const book = await tx.lockBook(found.bookId);
    const current = await tx.loanOf(readerId, loanId);
    if (!book || !current || current.returnedAt !== null) return { loan: current ?? found, ended: [] };
    const returned = await tx.endLoan(loanId, now, 'returned');
    const settled = await settleBook(tx, book, now, deps.rules);
    return { loan: returned, ended: [returned, ...settled.expired] };
  });
  await publishLendingEvents(deps.publisher, ended.map(returnEvent));
  return loan;
}
