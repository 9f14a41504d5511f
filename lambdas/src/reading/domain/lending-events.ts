/**
 * Borrow, return and hold as reader events (lambdas/src/recommendations/domain/reader-event.ts), so the recommender
 * and the warehouse see them. Event ids are made from the loan or hold id, so publishing one again is one event.
 * The event vocabulary has no hold: a hold is the reader putting the book on their `holds` list (`add-to-list`),
 * which the recommender reads as interest and never recommends the book to them again.
 */
import type { ReaderEvent } from '../../recommendations/domain/reader-event';
import type { Hold, Loan } from './lending';

export function borrowEvent(loan: Loan): ReaderEvent {
  return {
    type: 'borrow',
    eventId: `loan-${loan.id}-borrow`,
    readerId: loan.readerId,
    bookId: loan.bookId,
    occurredAt: loan.borrowedAt,
  };
}

/** A returned loan, or one that expired (at its due time). */
export function returnEvent(loan: Loan): ReaderEvent {
  return {
    type: 'return',
    eventId: `loan-${loan.id}-return`,
    readerId: loan.readerId,
    bookId: loan.bookId,
    occurredAt: loan.returnedAt ?? loan.dueAt,
  };
}

export function holdEvent(hold: Hold): ReaderEvent {
  return {
    type: 'add-to-list',
    eventId: `hold-${hold.id}-placed`,
    readerId: hold.readerId,
    bookId: hold.bookId,
    occurredAt: hold.placedAt,
    list: 'holds',
  };
}
