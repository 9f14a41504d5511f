import { useSyncExternalStore } from 'react';
import { Link } from 'react-router';

import { paths } from '../../../config/paths';
import { useMessages } from '../../../lib/i18n';
import { sessionStore } from '../../../lib/session';
import { shelfMessages } from '../messages';
import { PrivacyControls } from './privacy-controls';
import { ShelfHistory } from './shelf-history';

/** "My shelf": who the shelf belongs to, the privacy controls and the recent history. */
export function Shelf() {
  const text = useMessages(shelfMessages);
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
  return (
    <>
      <title>{text.title}</title>
      <h1>{text.heading}</h1>
      {session ? (
        <p>{text.signedInAs(session.username)}</p>
      ) : (
        <p>
          {text.anonymous} <Link to={paths.signIn.getHref()}>{text.signIn}</Link>
        </p>
      )}
      <PrivacyControls />
      <ShelfHistory />
    </>
  );
}
