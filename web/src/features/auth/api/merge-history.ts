import { z } from 'zod';

import type { ApiClient } from '../../../lib/api-client';
import type { Session } from '../../../lib/session';

const mergeAnswerSchema = z.object({ mergedEvents: z.number().int().nonnegative() }).loose();

/**
 * `POST /readers/{sub}/merge` `{ anonymousId }`, signed in: the anonymous history of this browser joins the account's
 * (a second call is a no-op), so "For you" follows the reader to every device.
 */
export function mergeAnonymousHistory(api: ApiClient, session: Session, anonymousId: string) {
  return api.post(`/readers/${encodeURIComponent(session.sub)}/merge`, { anonymousId }, mergeAnswerSchema, {
    accessToken: session.accessToken,
  });
}
