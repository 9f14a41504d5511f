/**
 * Borrow a book from an e-reader app (the OPDS borrow link).
 *
 * 1. Borrow it as the web app does (same rules, locks, events; 409 when it cannot be lent).
 * 2. Answer the book's entry with an acquisition link to its file: a short-lived signed URL (the borrow link again
 *    when the book has no file yet).
 */
import { NotFoundError } from '../../shared/errors';
import { entryDocument, opdsTypes, OpdsLinks } from '../domain/opds';
import type { OpdsCatalogue } from '../ports';
import { borrowBook, type BorrowBookDeps } from './borrow-book';
import type { OpdsDocument } from './browse-opds-catalogue';
import { getBookFileUrl, type GetBookFileUrlDeps } from './get-book-file-url';

export interface BorrowFromOpdsDeps extends BorrowBookDeps {
  readonly opds: OpdsCatalogue;
  readonly files: Omit<GetBookFileUrlDeps, 'store' | 'now'> | null;
}

export async function borrowFromOpds(
  deps: BorrowFromOpdsDeps,
  readerId: string,
  bookId: string,
  documentPath: string,
): Promise<OpdsDocument> {
  const loan = await borrowBook(deps, readerId, bookId);
  const [book] = await deps.opds.books([bookId]);
  if (!book) throw new NotFoundError(`No book ${bookId}`);
  const file = deps.files
    ? await getBookFileUrl({ ...deps.files, store: deps.store, now: deps.now }, readerId, loan.id).catch(
        (error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        },
      )
    : undefined;
  const acquisition = file ? { url: file.url, format: file.format } : undefined;
  return {
    contentType: `${opdsTypes.entry};charset=utf-8`,
    body: entryDocument(new OpdsLinks(documentPath), book, acquisition),
  };
}
