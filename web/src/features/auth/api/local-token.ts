import { z } from 'zod';

import { createApiClient } from '../../../lib/api-client';

/** The answer of `npm start`'s local token issuer (local/src/identity/token-route.ts). */
const localTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive(),
  sub: z.string().min(1),
  username: z.string().min(1),
  groups: z.array(z.string()),
});

export type LocalToken = z.infer<typeof localTokenSchema>;

/**
 * `POST /local-auth/token` `{ username }`: a token for one of the accounts `npm start` prints ("reader",
 * "librarian", or their e-mail). The issuer is not the reader API, so it gets a client of its own, at the site's root.
 */
export function getLocalToken(tokenUrl: string, username: string, fetchImpl?: typeof fetch): Promise<LocalToken> {
  const issuer = createApiClient({ baseUrl: '', ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return issuer.post(tokenUrl, { username }, localTokenSchema);
}
