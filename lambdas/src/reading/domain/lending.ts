/**
 * Loans and holds as the API shows them, the library's lending rules, and the errors lending raises. The web app
 * imports these types (type-only).
 */
import { z } from 'zod';
import { ShelfwiseError } from '../../shared/errors';

/** Catalogue and loan ids (Postgres bigints, sent as strings). */
export const idSchema = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be an id');

export const loanSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  readerId: z.string(),
  /** ISO 8601. */
  borrowedAt: z.string(),
  dueAt: z.string(),
  /** When it ended (returned, or expired at its due time); null while open. */
  returnedAt: z.string().nullable(),
  endReason: z.enum(['returned', 'expired']).nullable(),
});
export type Loan = z.infer<typeof loanSchema>;

export const holdStatusSchema = z.enum(['waiting', 'ready', 'fulfilled', 'expired', 'cancelled']);
export type HoldStatus = z.infer<typeof holdStatusSchema>;

export const holdSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  readerId: z.string(),
  placedAt: z.string(),
  status: holdStatusSchema,
  /** While `ready`: a copy is kept for the reader until then. */
  readyUntil: z.string().nullable(),
  /** While `waiting`: 1 for the next in line. */
  position: z.number().int().positive().nullable(),
});
export type Hold = z.infer<typeof holdSchema>;

/** `POST /readers/{readerId}/loans` and `…/holds`. */
export const bookRequestSchema = z.object({ bookId: idSchema }).strict();

/** `GET /readers/{readerId}/loans`. */
export const readerLoansSchema = z.object({ loans: z.array(loanSchema), holds: z.array(holdSchema) });
export type ReaderLoans = z.infer<typeof readerLoansSchema>;

/** The library's lending rules (READING_* settings, lambdas/src/reading/config.ts). */
export interface LendingRules {
  /** How long a loan lasts. */
  readonly loanPeriodDays: number;
  /** Open loans one reader may have at once. */
  readonly maxLoansPerReader: number;
  /** How long a copy is kept for a reader whose hold became ready. */
  readonly holdReadyDays: number;
}

export const defaultLendingRules: LendingRules = { loanPeriodDays: 14, maxLoansPerReader: 5, holdReadyDays: 3 };

const dayMs = 24 * 3600 * 1000;

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * dayMs);
}

/** Why a borrow or hold cannot be done now; the message is safe to show. HTTP 409. */
export type LendingConflictReason =
  'no-copy-free' | 'reader-limit' | 'already-borrowed' | 'already-on-hold' | 'copy-available' | 'unlimited';

export class LendingConflictError extends ShelfwiseError {
  constructor(
    readonly reason: LendingConflictReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
