/**
 * Place a hold on a book whose copies are all out.
 *
 * 1. In one transaction, lock the book and settle it (due loans end, free copies go to the holds in line).
 * 2. Refuse (409) when lending is unlimited or a copy is free (borrow it instead), when the reader has the book on
 *    loan, or already holds it.
 * 3. Add the hold at the end of the line (`waiting`); its position is the number of waiting holds.
 * 4. After commit, publish the hold as a reader event.
 */
import { NotFoundError } from '../../shared/errors';
import type { EventPublisher } from '../../recommendations/event-publisher';
import { LendingConflictError, type Hold, type LendingRules } from '../domain/lending';
import { holdEvent, returnEvent } from '../domain/lending-events';
import type { LendingStore } from '../ports';
import { settleBook } from './expire-due-loans';
import { publishLendingEvents } from './publish-lending-events';

export interface PlaceHoldDeps {
  readonly store: LendingStore;
  readonly publisher: EventPublisher;
  readonly rules: LendingRules;
  readonly now: () => Date;
}

export async function placeHold(deps: PlaceHoldDeps, readerId: string, bookId: string): Promise<Hold> {
  const now = deps.now();
  const { hold, expired } = await deps.store.transaction(async (tx) => {
    const book = await tx.lockBook(bookId);
    if (!book || book.withdrawn) throw new NotFoundError(`Book ${bookId} is not in the catalogue`);
    const settled = await settleBook(tx, book, now, deps.rules);
    if (settled.openLoans.some((loan) => loan.readerId === readerId)) {
      throw new LendingConflictError('already-borrowed', 'You already have this book on loan');
    }
    if (settled.holds.some((existing) => existing.readerId === readerId)) {
      throw new LendingConflictError('already-on-hold', 'You already have a hold on this book');
    }
    if (book.copies === null) {
      throw new LendingConflictError('unlimited', 'This book is lent to any number of readers at once: borrow it');
    }
    if (settled.freeCopies > 0) {
      throw new LendingConflictError('copy-available', 'A copy of this book is free: borrow it');
    }
    const placed = await tx.addHold({ bookId, readerId, placedAt: now });
    const position = settled.holds.filter((existing) => existing.status === 'waiting').length + 1;
    return { hold: { ...placed, position }, expired: settled.expired };
  });
  await publishLendingEvents(deps.publisher, [...expired.map(returnEvent), holdEvent(hold)]);
  return hold;
}
