/**
 * Readers' loans and holds (API Gateway HTTP API, payload 2.0), signed-in readers only, each on their own id:
 * - `POST /readers/{readerId}/loans` `{ "bookId": "…" }`: 201 with the loan;
 * - `DELETE /readers/{readerId}/loans/{loanId}`: returns it, 200 with the ended loan (again: the same answer);
 * - `POST /readers/{readerId}/holds` `{ "bookId": "…" }`: 201 with the hold and its position in line;
 * - `GET /readers/{readerId}/loans`: `{ loans, holds }`;
 * - `GET /readers/{readerId}/loans/{loanId}/file[?format=EPUB]`: `{ url, expiresAt, format, sizeBytes }`, a
 *   short-lived signed URL of the book's file (403 when the loan is not the reader's or has ended);
 * - `PUT /readers/{readerId}/loans/{loanId}/progress` `{ location, progress, finished? }`: saves the reader's place
 *   (open loans only; finishing publishes a `finish` event), 200 with the saved progress;
 * - `GET /readers/{readerId}/loans/{loanId}/progress`: `{ progress }`, null before the book is opened.
 * 409 with a message when no copy is free, the reader is at the limit or already has (or holds) the book.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { callerOf } from '../../identity/caller';
import { assertMayActAs, assertSignedIn } from '../../identity/domain/access';
import { readerIdSchema } from '../../recommendations/domain/reader-event';
import { errorResponse, json, parseOrThrow } from '../../shared/http';
import { logger } from '../../shared/observability';
import { PostgresBookFiles } from '../adapters/postgres-book-files';
import { PostgresLendingStore } from '../adapters/postgres-lending-store';
import { PostgresReadingProgress } from '../adapters/postgres-reading-progress';
import { readingConfigFrom } from '../config';
import { bookRequestSchema, idSchema, LendingConflictError } from '../domain/lending';
import { progressRequestSchema } from '../domain/progress';
import { borrowBook } from '../use-cases/borrow-book';
import { getBookFileUrl } from '../use-cases/get-book-file-url';
import { getReadingProgress } from '../use-cases/get-reading-progress';
import { listReaderLoans } from '../use-cases/list-reader-loans';
import { placeHold } from '../use-cases/place-hold';
import { returnBook } from '../use-cases/return-book';
import { saveReadingProgress } from '../use-cases/save-reading-progress';
import { parseJsonBody, readingAdapters } from './shared-adapters';

const config = readingConfigFrom(process.env);
const { pool, publisher, signer } = readingAdapters(config);
const now = () => new Date();
const formatSchema = z.object({ format: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be a format such as EPUB') });
const noStore = { 'cache-control': 'no-store' };

export const handler = async (event: APIGatewayProxyEventV2) => {
  logger.appendKeys({ requestId: event.requestContext.requestId, route: event.routeKey });
  try {
    const caller = callerOf(event);
    assertSignedIn(caller);
    const readerId = parseOrThrow(readerIdSchema, event.pathParameters?.readerId, 'reader id');
    assertMayActAs(caller, readerId);
    const store = new PostgresLendingStore(await pool());
    const deps = { store, publisher, rules: config.rules, now };
    switch (event.routeKey) {
      case 'POST /readers/{readerId}/loans': {
        const { bookId } = parseOrThrow(bookRequestSchema, parseJsonBody(event, '{ "bookId": "…" }'), 'borrow request');
        return json(201, await borrowBook(deps, readerId, bookId), noStore);
      }
      case 'DELETE /readers/{readerId}/loans/{loanId}': {
        const loanId = parseOrThrow(idSchema, event.pathParameters?.loanId, 'loan id');
        return json(200, await returnBook(deps, readerId, loanId), noStore);
      }
      case 'POST /readers/{readerId}/holds': {
        const { bookId } = parseOrThrow(bookRequestSchema, parseJsonBody(event, '{ "bookId": "…" }'), 'hold request');
        return json(201, await placeHold(deps, readerId, bookId), noStore);
      }
      case 'GET /readers/{readerId}/loans':
        return json(200, await listReaderLoans(deps, readerId), noStore);
      case 'GET /readers/{readerId}/loans/{loanId}/file': {
        const loanId = parseOrThrow(idSchema, event.pathParameters?.loanId, 'loan id');
        const query = event.queryStringParameters?.format;
        const format = query === undefined ? undefined : parseOrThrow(formatSchema, { format: query }, 'query').format;
        if (!config.files || !signer) return json(503, { message: 'Book files are not served here yet' });
        const files = new PostgresBookFiles(await pool());
        const fileDeps = { store, files, signer, urlTtlSeconds: config.files.urlTtlSeconds, now };
        return json(200, await getBookFileUrl(fileDeps, readerId, loanId, format), noStore);
      }
      case 'PUT /readers/{readerId}/loans/{loanId}/progress': {
        const loanId = parseOrThrow(idSchema, event.pathParameters?.loanId, 'loan id');
        const example = '{ "location": "epubcfi(…)", "progress": 0.4 }';
        const request = parseOrThrow(progressRequestSchema, parseJsonBody(event, example), 'progress');
        const progress = new PostgresReadingProgress(await pool());
        return json(200, await saveReadingProgress({ ...deps, progress }, readerId, loanId, request), noStore);
      }
      case 'GET /readers/{readerId}/loans/{loanId}/progress': {
        const loanId = parseOrThrow(idSchema, event.pathParameters?.loanId, 'loan id');
        const progress = new PostgresReadingProgress(await pool());
        return json(200, await getReadingProgress({ store, progress }, readerId, loanId), noStore);
      }
      default:
        return json(404, { message: `No route ${event.routeKey}` });
    }
  } catch (error) {
    if (error instanceof LendingConflictError) return json(409, { message: error.message, reason: error.reason });
    return errorResponse(error);
  } finally {
    logger.resetKeys();
  }
};
