import { ApiError } from '../../../lib/api-client';

/** A 4xx from the API (not signed in, not a librarian, no such run): trying again would not help. */
export function isRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500;
}
