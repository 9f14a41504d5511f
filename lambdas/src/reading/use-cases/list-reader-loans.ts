/**
 * List a reader's loans and holds.
 *
 * 1. Settle the books of the reader's loans that are past due, so an expired loan is shown as ended.
 * 2. Read their open loans, their last ended ones and their live holds (with positions in line).
 */
import type { ReaderLoans } from '../domain/lending';
import { expireDueLoans, type ExpireDueLoansDeps } from './expire-due-loans';

/** Ended loans shown with the open ones. */
export const endedLoansShown = 20;

export async function listReaderLoans(deps: ExpireDueLoansDeps, readerId: string): Promise<ReaderLoans> {
  await expireDueLoans(deps, readerId);
  return deps.store.readerLoans(readerId, endedLoansShown);
}
