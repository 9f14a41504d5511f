import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';

import type { Hold, Loan, ReaderLoans } from '@shelfwise/lambdas/reading/domain/lending';
import type { ProgressResponse, ReadingProgress } from '@shelfwise/lambdas/reading/domain/progress';
import type { BookFileUrl } from '@shelfwise/lambdas/reading/use-cases/get-book-file-url';

import type { ApiClient } from '../../../lib/api-client';
import { bookSummarySchema } from '../../../lib/book-summary-schema';

/*
 * The loans API (lambdas/src/reading/handlers/loans-api.ts), signed-in readers on their own id:
 * - `GET /readers/{id}/loans`, `POST /readers/{id}/loans {bookId}`, `DELETE /readers/{id}/loans/{loanId}`,
 *   `POST /readers/{id}/holds {bookId}`;
 * - `GET /readers/{id}/loans/{loanId}/file`: a short-lived signed URL of the book's file (403 once the loan ended);
 * - `GET` / `PUT /readers/{id}/loans/{loanId}/progress`: the reader's place, kept with the account.
 */

const loanSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  readerId: z.string(),
  borrowedAt: z.string(),
  dueAt: z.string(),
  returnedAt: z.string().nullable(),
  endReason: z.enum(['returned', 'expired']).nullable(),
}) satisfies z.ZodType<Loan>;

const holdSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  readerId: z.string(),
  placedAt: z.string(),
  status: z.enum(['waiting', 'ready', 'fulfilled', 'expired', 'cancelled']),
  readyUntil: z.string().nullable(),
  position: z.number().nullable(),
}) satisfies z.ZodType<Hold>;

const readerLoansSchema = z.object({
  loans: z.array(loanSchema),
  holds: z.array(holdSchema),
}) satisfies z.ZodType<ReaderLoans>;

const fileUrlSchema = z.object({
  url: z.string(),
  expiresAt: z.string(),
  format: z.string(),
  sizeBytes: z.number(),
}) satisfies z.ZodType<BookFileUrl>;

const progressSchema = z.object({
  bookId: z.string(),
  location: z.string(),
  progress: z.number(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
}) satisfies z.ZodType<ReadingProgress>;

const progressResponseSchema = z.object({
  progress: progressSchema.nullable(),
}) satisfies z.ZodType<ProgressResponse>;

export type LoanView = z.infer<typeof loanSchema>;

const loansPath = (readerId: string) => `/readers/${encodeURIComponent(readerId)}/loans`;
const loanPath = (readerId: string, loanId: string) => `${loansPath(readerId)}/${encodeURIComponent(loanId)}`;

export const readerLoansKey = (readerId: string) => ['reader', readerId, 'loans'] as const;

export function readerLoansQueryOptions(api: ApiClient, readerId: string) {
  return queryOptions({
    queryKey: readerLoansKey(readerId),
    queryFn: ({ signal }) => api.get(loansPath(readerId), readerLoansSchema, { signal }),
    staleTime: 30_000,
  });
}

/** The reader's open loan of this book, if any (not returned, not past due). */
export function openLoanOf(loans: ReaderLoans | undefined, bookId: string, now = Date.now()): LoanView | undefined {
  return loans?.loans.find(
    (loan) => loan.bookId === bookId && loan.returnedAt === null && Date.parse(loan.dueAt) > now,
  );
}

export function borrowBook(api: ApiClient, readerId: string, bookId: string): Promise<LoanView> {
  return api.post(loansPath(readerId), { bookId }, loanSchema);
}

export function returnLoan(api: ApiClient, readerId: string, loanId: string): Promise<LoanView> {
  return api.delete(loanPath(readerId, loanId), loanSchema);
}

export function placeHold(api: ApiClient, readerId: string, bookId: string) {
  return api.post(`/readers/${encodeURIComponent(readerId)}/holds`, { bookId }, holdSchema);
}

/** A new signed URL of the loan's file (it lives for minutes, and never past the loan's due time). */
export function getBookFileUrl(api: ApiClient, readerId: string, loanId: string, signal?: AbortSignal) {
  return api.get(`${loanPath(readerId, loanId)}/file`, fileUrlSchema, { signal });
}

export type BookFileView = z.infer<typeof fileUrlSchema>;

export function progressQueryOptions(api: ApiClient, readerId: string, loanId: string) {
  return queryOptions({
    queryKey: ['reader', readerId, 'progress', loanId],
    queryFn: ({ signal }) => api.get(`${loanPath(readerId, loanId)}/progress`, progressResponseSchema, { signal }),
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}

export interface ProgressUpdate {
  readonly location: string;
  readonly progress: number;
  readonly finished?: boolean;
}

export function saveProgress(
  api: ApiClient,
  readerId: string,
  loanId: string,
  update: ProgressUpdate,
  options: { keepalive?: boolean } = {},
) {
  return api.put(`${loanPath(readerId, loanId)}/progress`, update, progressSchema, options);
}

/** `GET /books/{id}` as a summary: the title the reader shows. */
export function loanBookQueryOptions(api: ApiClient, bookId: string) {
  return queryOptions({
    queryKey: ['reader', 'book', bookId],
    queryFn: ({ signal }) => api.get(`/books/${encodeURIComponent(bookId)}`, bookSummarySchema, { signal }),
    staleTime: 10 * 60_000,
  });
}
