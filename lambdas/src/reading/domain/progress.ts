/**
 * Reading progress as the API takes and gives it (the web app imports these types, type-only), and when a book
 * counts as finished.
 */
import { z } from 'zod';
import type { ReaderEvent } from '../../recommendations/domain/reader-event';
import type { Loan } from './lending';

/** A book read this far is finished (the last page of an EPUB is rarely exactly 1). */
export const finishedAt = 0.99;

/** `PUT /readers/{readerId}/loans/{loanId}/progress`. */
export const progressRequestSchema = z
  .object({
    /** The reader's place: an EPUB CFI (`epubcfi(/6/4!/4/2/1:0)`) or a PDF page (`page=12`). */
    location: z.string().min(1).max(2000),
    /** How far through the book, 0–1. */
    progress: z.number().min(0).max(1),
    /** The reader says they finished the book, wherever they are. */
    finished: z.boolean().optional(),
  })
  .strict();
export type ProgressRequest = z.infer<typeof progressRequestSchema>;

export const readingProgressSchema = z.object({
  bookId: z.string(),
  location: z.string(),
  progress: z.number(),
  /** ISO 8601, when it was last saved (from any device). */
  updatedAt: z.string(),
  /** When the reader last finished the book; null if never. */
  finishedAt: z.string().nullable(),
});
export type ReadingProgress = z.infer<typeof readingProgressSchema>;

/** `GET …/progress`: null when the reader has not opened the book yet. */
export const progressResponseSchema = z.object({ progress: readingProgressSchema.nullable() });
export type ProgressResponse = z.infer<typeof progressResponseSchema>;

export function isFinish(request: ProgressRequest): boolean {
  return request.finished === true || request.progress >= finishedAt;
}

/** Finishing a book during a loan: one event per loan (its id is made from the loan's). */
export function finishEvent(loan: Loan, at: Date): ReaderEvent {
  return {
    type: 'finish',
    eventId: `loan-${loan.id}-finish`,
    readerId: loan.readerId,
    bookId: loan.bookId,
    occurredAt: at.toISOString(),
  };
}
