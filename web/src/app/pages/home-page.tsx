import { useSyncExternalStore } from 'react';
import { Link } from 'react-router';

import { paths } from '../../config/paths';
import { CatalogueRow } from '../../features/catalogue/components/catalogue-row';
import { BecauseYouRead } from '../../features/recommendations/components/because-you-read';
import { ForYou } from '../../features/recommendations/components/for-you';
import { shelfRecord } from '../../features/shelf/utils/shelf-record';
import { useEvents } from '../../lib/events-context';
import { useMessages } from '../../lib/i18n';
import { appMessages } from '../messages';

/**
 * The last book the reader opened or borrowed, from the reader's history as this browser keeps it (the shelf
 * record): nothing is recorded while the history is paused, and nothing is left once it is deleted.
 */
function useLastReadBookId(): string | undefined {
  const { readerId } = useEvents();
  const { entries } = useSyncExternalStore(shelfRecord.subscribe, shelfRecord.get);
  return entries.find((entry) => entry.readerId === readerId && (entry.type === 'open' || entry.type === 'borrow'))
    ?.bookId;
}

export function HomePage() {
  const text = useMessages(appMessages).home;
  const lastReadBookId = useLastReadBookId();
  return (
    <>
      <title>{text.title}</title>
      <div className="hero">
        <h1>{text.heading}</h1>
        <p className="hero__intro">{text.intro}</p>
        <p className="hero__links">
          <Link to={paths.catalogue.getHref()}>{text.browse}</Link>
        </p>
      </div>
      <ForYou />
      <BecauseYouRead bookId={lastReadBookId} />
      <CatalogueRow sort="popular" />
      <CatalogueRow sort="added" />
    </>
  );
}
