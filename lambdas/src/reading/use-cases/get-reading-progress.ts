/**
 * Where a reader is in the book of one of their loans (saved from any of their devices), or null before they open
 * it. Another reader's loan is refused (403); an ended loan still answers, so a reader can see where they stopped.
 */
import { ForbiddenError } from '../../shared/errors';
import type { ProgressResponse } from '../domain/progress';
import type { LendingStore, ReadingProgressStore } from '../ports';

export interface GetReadingProgressDeps {
  readonly store: LendingStore;
  readonly progress: ReadingProgressStore;
}

export async function getReadingProgress(
  deps: GetReadingProgressDeps,
  readerId: string,
  loanId: string,
): Promise<ProgressResponse> {
  const loan = await deps.store.loanOf(readerId, loanId);
  if (!loan) throw new ForbiddenError(`Loan ${loanId} is not yours`);
  return { progress: await deps.progress.get(readerId, loan.bookId) };
}
