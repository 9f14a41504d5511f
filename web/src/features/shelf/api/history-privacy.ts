import { z } from 'zod';

import type { ApiClient } from '../../../lib/api-client';

/*
 * The reader's privacy controls (lambdas/src/identity/handlers/reader-data-api.ts), each answered 204:
 * - `POST /readers/{id}/history/pause` / `…/resume`: while paused, the reader's events are not recorded anywhere;
 * - `DELETE /readers/{id}/history`: history, recommendations and conversations are deleted at once (and from the
 *   analytics lake at its next run).
 */

const noContent = z.undefined();

const historyPath = (readerId: string) => `/readers/${encodeURIComponent(readerId)}/history`;

export function pauseHistory(api: ApiClient, readerId: string): Promise<void> {
  return api.post(`${historyPath(readerId)}/pause`, {}, noContent);
}

export function resumeHistory(api: ApiClient, readerId: string): Promise<void> {
  return api.post(`${historyPath(readerId)}/resume`, {}, noContent);
}

export function deleteHistory(api: ApiClient, readerId: string): Promise<void> {
  return api.delete(historyPath(readerId), noContent);
}
