import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';

import { ErrorNotice } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { useRuntimeConfig } from '../../../config/runtime-config-context';
import { useMessages } from '../../../lib/i18n';
import { sessionStore } from '../../../lib/session';
import { useCompleteSignIn, useSignOut, type OnMerged } from '../hooks/use-session-actions';
import { authMessages } from '../messages';
import { isSignInCallback } from '../utils/sign-in-callback';
import { decodeJwtPayload } from '../utils/token-claims';

function tabStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * The header's account button: "Sign in" (to the sign-in page), or "Sign out" for a signed-in reader. It also
 * finishes a hosted sign-in when Cognito sends the reader back with a code, and signs out when the token expires.
 */
export function AccountMenu({ onMerged }: { onMerged?: OnMerged }) {
  const text = useMessages(authMessages).menu;
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const config = useRuntimeConfig();
  const completeSignIn = useCompleteSignIn(onMerged);
  const [callbackError, setCallbackError] = useState<unknown>(null);
  const handled = useRef(false);

  // The token's end is the session's end: the reader becomes this browser's anonymous reader again.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => sessionStore.set(null), Math.max(0, session.expiresAt - Date.now()));
    return () => clearTimeout(timer);
  }, [session]);

  // Back from the hosted sign-in with `?code=…&state=…`.
  const { signInUrl, webClientId } = config;
  useEffect(() => {
    if (!signInUrl || !webClientId || handled.current) return;
    if (!isSignInCallback(location.search, tabStorage())) return;
    handled.current = true;
    void (async () => {
      try {
        const { finishHostedSignIn } = await import('../utils/hosted-sign-in');
        const tokens = await finishHostedSignIn({ signInUrl, webClientId }, location.search);
        const email = tokens.idToken ? decodeJwtPayload(tokens.idToken).email : undefined;
        await completeSignIn(tokens.accessToken, typeof email === 'string' ? email : undefined);
        void navigate(tokens.returnTo, { replace: true });
      } catch (error) {
        setCallbackError(error);
        void navigate(location.pathname, { replace: true });
      }
    })();
  }, [signInUrl, webClientId, location.search, location.pathname, completeSignIn, navigate]);

  return (
    <>
      {session ? (
        <button
          type="button"
          className="header-button header-button--account"
          aria-label={text.signOutLabel(session.username)}
          title={session.username}
          onClick={() => void signOut().then(() => navigate(paths.home.getHref()))}
        >
          {text.signOut}
        </button>
      ) : (
        <Link className="header-button header-button--account" to={paths.signIn.getHref()}>
          {text.signIn}
        </Link>
      )}
      {callbackError !== null && (
        <div className="account-error">
          <ErrorNotice title={text.callbackFailed} error={callbackError} />
        </div>
      )}
    </>
  );
}
