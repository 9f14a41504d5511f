/**
 * Errors the domain raises. Each ends in `Error`, sets `name` and passes `cause`; `shared/http.ts` is the one place
 * that maps them to HTTP status codes.
 */

export class ShelfwiseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request is malformed; the message says what is wrong and is safe to show to the caller. */
export class ValidationError extends ShelfwiseError {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller did not prove who they are (no, forged, expired or wrong-audience token): 401. The message is safe. */
export class UnauthenticatedError extends ShelfwiseError {}

/** The caller is known (or anonymous) but may not do this: 403. The message says why and is safe to show. */
export class ForbiddenError extends ShelfwiseError {}

/** The thing asked for does not exist. The message is safe to show. */
export class NotFoundError extends ShelfwiseError {}

/** A deployable is missing configuration it needs; raised at cold start. */
export class ConfigurationError extends ShelfwiseError {}
