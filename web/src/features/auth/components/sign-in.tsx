import { useId, useState, useSyncExternalStore, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';

import { ErrorNotice } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { useRuntimeConfig } from '../../../config/runtime-config-context';
import { useMessages } from '../../../lib/i18n';
import { sessionStore } from '../../../lib/session';
import { getLocalToken } from '../api/local-token';
import { useCompleteSignIn, type OnMerged } from '../hooks/use-session-actions';
import { authMessages } from '../messages';

/**
 * The sign-in page: in AWS a button to Cognito's hosted sign-in (PKCE); on `npm start` a small form for the local
 * token issuer's printed accounts. After signing in the reader goes to "For you", which now follows the account.
 */
export function SignIn({ onMerged }: { onMerged?: OnMerged }) {
  const text = useMessages(authMessages).page;
  const config = useRuntimeConfig();
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
  const completeSignIn = useCompleteSignIn(onMerged);
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mergeFailed, setMergeFailed] = useState(false);
  const usernameId = useId();
  const helpId = useId();
  const { signInUrl, webClientId, localTokenUrl } = config;

  const signInLocally = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!localTokenUrl || busy) return;
    const username = String(new FormData(event.currentTarget).get('username') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const token = await getLocalToken(localTokenUrl, username);
      const outcome = await completeSignIn(token.access_token, token.username);
      if (outcome.mergeError) setMergeFailed(true);
      else void navigate(paths.home.getHref());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const signInHosted = async () => {
    if (!signInUrl || !webClientId || busy) return;
    setBusy(true);
    try {
      const { startHostedSignIn } = await import('../utils/hosted-sign-in');
      window.location.assign(await startHostedSignIn({ signInUrl, webClientId }, paths.home.getHref()));
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <>
      <title>{text.title}</title>
      <h1>{text.heading}</h1>
      {session ? (
        <>
          <p>{text.signedIn(session.username)}</p>
          {mergeFailed && <p role="alert">{text.mergeFailed}</p>}
          <p>
            <Link to={paths.shelf.getHref()}>{text.toShelf}</Link>
          </p>
        </>
      ) : (
        <>
          <p className="sign-in__intro">{text.intro}</p>
          {signInUrl && webClientId ? (
            <div className="sign-in__hosted">
              <button type="button" className="button" aria-disabled={busy} onClick={() => void signInHosted()}>
                {text.hosted}
              </button>
              <p className="muted">{text.hostedHelp}</p>
            </div>
          ) : localTokenUrl ? (
            <form className="sign-in__form" onSubmit={(event) => void signInLocally(event)}>
              <h2>{text.localHeading}</h2>
              <p id={helpId} className="muted">
                {text.localHelp}
              </p>
              <label htmlFor={usernameId}>{text.username}</label>
              <input
                id={usernameId}
                name="username"
                required
                autoComplete="username"
                aria-describedby={helpId}
                defaultValue="reader"
              />
              <button type="submit" className="button" aria-disabled={busy}>
                {busy ? text.signingIn : text.submit}
              </button>
            </form>
          ) : (
            <p>{text.unavailable}</p>
          )}
          {error !== null && <ErrorNotice title={text.failed} error={error} />}
        </>
      )}
    </>
  );
}
