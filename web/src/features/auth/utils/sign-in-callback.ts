/** Where a started hosted sign-in keeps its PKCE verifier and state (this tab only). */
export const PENDING_SIGN_IN_KEY = 'shelfwise.pendingSignIn';

/**
 * True when `search` is the hosted sign-in's callback for a sign-in this tab started. Kept apart from
 * `hosted-sign-in.ts` so that the header can check it without loading the PKCE code.
 */
export function isSignInCallback(search: string, storage: Pick<Storage, 'getItem'> | undefined): boolean {
  const params = new URLSearchParams(search);
  if (!(params.has('code') || params.has('error')) || !params.has('state')) return false;
  try {
    return !!storage?.getItem(PENDING_SIGN_IN_KEY);
  } catch {
    return false;
  }
}
