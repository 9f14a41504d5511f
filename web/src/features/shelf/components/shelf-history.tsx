import { useQuery } from '@tanstack/react-query';
import { useId, useSyncExternalStore } from 'react';
import { Link } from 'react-router';

import { paths } from '../../../config/paths';
import { useApiClient } from '../../../lib/api-client-context';
import { useEvents } from '../../../lib/events-context';
import { formatDate, useLocale, useMessages } from '../../../lib/i18n';
import { shelfBookQueryOptions } from '../api/get-shelf-book';
import { shelfMessages } from '../messages';
import { shelfRecord, type ShelfEntry } from '../utils/shelf-record';

/** The reader's recent acts as this browser recorded them, newest first, each with its book and date. */
export function ShelfHistory() {
  const text = useMessages(shelfMessages).history;
  const { readerId } = useEvents();
  const state = useSyncExternalStore(shelfRecord.subscribe, shelfRecord.get);
  const entries = state.entries.filter((entry) => entry.readerId === readerId);
  const paused = state.paused.includes(readerId);
  const headingId = useId();

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.heading}</h2>
      <p className="muted">{text.note}</p>
      {entries.length === 0 ? (
        <p>{paused ? text.emptyPaused : text.empty}</p>
      ) : (
        <ul className="shelf-history" aria-label={text.listLabel}>
          {entries.map((entry) => (
            <ShelfHistoryItem key={`${entry.at}-${entry.type}-${entry.bookId}`} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ShelfHistoryItem({ entry }: { entry: ShelfEntry }) {
  const text = useMessages(shelfMessages).history;
  const { locale } = useLocale();
  const api = useApiClient();
  const book = useQuery(shelfBookQueryOptions(api, entry.bookId));
  const act = entry.type === 'rate' ? text.acts.rate(entry.rating ?? 0) : text.acts[entry.type];
  const title = book.data?.title ?? (book.isPending ? text.loadingBook : text.unknownBook(entry.bookId));
  return (
    <li className="shelf-history__item">
      <span className="shelf-history__act">{act}</span>
      <Link to={paths.book.getHref(entry.bookId)}>{title}</Link>
      {book.data && book.data.authors.length > 0 && <span className="muted"> · {book.data.authors.join(', ')}</span>}
      <time className="shelf-history__time muted" dateTime={entry.at}>
        {formatDate(entry.at, locale)}
      </time>
    </li>
  );
}
