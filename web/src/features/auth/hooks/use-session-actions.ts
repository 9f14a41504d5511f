import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { useRuntimeConfig } from '../../../config/runtime-config-context';
import { useApiClient } from '../../../lib/api-client-context';
import { useEvents } from '../../../lib/events-context';
import { sessionStore, type Session } from '../../../lib/session';
import { mergeAnonymousHistory } from '../api/merge-history';
import { sessionFromAccessToken } from '../utils/token-claims';

export interface SignInOutcome {
  readonly session: Session;
  /** Why the anonymous history could not be merged (the reader is signed in all the same); null when it was. */
  readonly mergeError: unknown;
}

/** Called once the anonymous history joined the account (the app moves the shelf's local record along). */
export type OnMerged = (anonymousId: string, readerId: string) => void;

/**
 * Completes a sign-in with an access token: the anonymous reader's queued events go first (without the token, as the
 * anonymous reader's), then the session is stored (the reader id becomes the token's `sub`, and API calls carry the
 * token), the anonymous history is merged into the account once, and every query is read again for the account.
 */
export function useCompleteSignIn(onMerged?: OnMerged) {
  const api = useApiClient();
  const events = useEvents();
  const queryClient = useQueryClient();
  return useCallback(
    async (accessToken: string, displayName?: string): Promise<SignInOutcome> => {
      const session = sessionFromAccessToken(accessToken, displayName);
      const anonymousId = events.readerId;
      await events.flush();
      sessionStore.set(session);
      let mergeError: unknown = null;
      if (anonymousId !== session.sub) {
        try {
          await mergeAnonymousHistory(api, session, anonymousId);
          onMerged?.(anonymousId, session.sub);
        } catch (error) {
          mergeError = error;
        }
      }
      await queryClient.invalidateQueries();
      return { session, mergeError };
    },
    [api, events, queryClient, onMerged],
  );
}

/**
 * Signs out: queued events go with the token still set, then the token is forgotten and the reader is this browser's
 * anonymous reader again. With the hosted sign-in, the browser then goes to Cognito's logout (ending that session too).
 */
export function useSignOut() {
  const events = useEvents();
  const queryClient = useQueryClient();
  const config = useRuntimeConfig();
  return useCallback(async () => {
    await events.flush();
    sessionStore.set(null);
    queryClient.clear();
    if (config.signInUrl && config.webClientId) {
      const { hostedSignOutUrl } = await import('../utils/hosted-sign-in');
      window.location.assign(hostedSignOutUrl({ signInUrl: config.signInUrl, webClientId: config.webClientId }));
    }
  }, [events, queryClient, config]);
}
