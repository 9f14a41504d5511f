/**
 * Give a reader a short-lived URL for the file of a book they have on loan.
 *
 * 1. Find the reader's loan (another reader's loan is refused, 403) and check it is open and not yet due.
 * 2. Pick the book's file in the asked format, or the preferred one (EPUB, PDF, TXT, …).
 * 3. Sign a URL for it that expires after the configured lifetime, and never after the loan's due time.
 *
 * A signed URL cannot be revoked (CloudFront's cannot either): after a return it keeps working until it expires,
 * which the short lifetime bounds; no new URL is given once the loan has ended.
 */
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { BookFiles, LendingStore, UrlSigner } from '../ports';

export interface BookFileUrl {
  readonly url: string;
  readonly expiresAt: string;
  readonly format: string;
  readonly sizeBytes: number;
}

export interface GetBookFileUrlDeps {
  readonly store: LendingStore;
  readonly files: BookFiles;
  readonly signer: UrlSigner;
  readonly urlTtlSeconds: number;
  readonly now: () => Date;
}

export async function getBookFileUrl(
  deps: GetBookFileUrlDeps,
  readerId: string,
  loanId: string,
  format?: string,
): Promise<BookFileUrl> {
  const now = deps.now();
  const loan = await deps.store.loanOf(readerId, loanId);
  if (!loan) throw new ForbiddenError(`Loan ${loanId} is not yours`);
  const dueAt = new Date(loan.dueAt);
  if (loan.returnedAt !== null || dueAt <= now) throw new ForbiddenError('This loan has ended; borrow the book again');
  const files = await deps.files.filesOf(loan.bookId);
  const file = format ? files.find((candidate) => candidate.format === format.toUpperCase()) : files[0];
  if (!file) {
    throw new NotFoundError(format ? `This book has no ${format.toUpperCase()} file` : 'This book has no file yet');
  }
  const expiresAt = new Date(Math.min(now.getTime() + deps.urlTtlSeconds * 1000, dueAt.getTime()));
  return {
    url: await deps.signer.sign(file.key, expiresAt),
    expiresAt: expiresAt.toISOString(),
    format: file.format,
    sizeBytes: file.sizeBytes,
  };
}
