/**
 * Save where a reader is in a book they have on loan, so that any of their devices opens it there.
 *
 * 1. Find the reader's loan (another reader's is refused, 403) and check it is open and not yet due: progress is
 *    saved only while the reader may read the book.
 * 2. Save the place and how far through the book, with the server's time (the last save wins).
 * 3. When the book is finished (progress ≥ 0.99, or the reader says so) and not yet during this loan, record it and
 *    publish a `finish` reader event (after the save; a failed publication is logged, the progress stands).
 */
import { ForbiddenError } from '../../shared/errors';
import type { EventPublisher } from '../../recommendations/event-publisher';
import { finishEvent, isFinish, type ProgressRequest, type ReadingProgress } from '../domain/progress';
import type { LendingStore, ReadingProgressStore } from '../ports';
import { publishLendingEvents } from './publish-lending-events';

export interface ReadingProgressDeps {
  readonly store: LendingStore;
  readonly progress: ReadingProgressStore;
  readonly publisher: EventPublisher;
  readonly now: () => Date;
}

export async function saveReadingProgress(
  deps: ReadingProgressDeps,
  readerId: string,
  loanId: string,
  request: ProgressRequest,
): Promise<ReadingProgress> {
  const now = deps.now();
  const loan = await deps.store.loanOf(readerId, loanId);
  if (!loan) throw new ForbiddenError(`Loan ${loanId} is not yours`);
  if (loan.returnedAt !== null || new Date(loan.dueAt) <= now) {
    throw new ForbiddenError('This loan has ended; borrow the book again');
  }
  await deps.progress.save(readerId, loan.bookId, request, now);
  if (isFinish(request) && (await deps.progress.markFinished(readerId, loan.bookId, loan.id, now))) {
    await publishLendingEvents(deps.publisher, [finishEvent(loan, now)]);
  }
  const saved = await deps.progress.get(readerId, loan.bookId);
  if (!saved) throw new Error(`The progress of loan ${loanId} was saved but cannot be read back`);
  return saved;
}
