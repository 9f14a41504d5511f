import { useMutation, useQuery } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { ApiError, type ApiClient } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { useLocale, useMessages } from '../../../lib/i18n';
import { sessionStore } from '../../../lib/session';
import {
  getBookFileUrl,
  loanBookQueryOptions,
  progressQueryOptions,
  readerLoansQueryOptions,
  saveProgress,
  type ProgressUpdate,
} from '../api/loans';
import { readerMessages } from '../messages';
import { ProgressSaver } from '../utils/progress-saver';
import type { EpubPlace, EpubViewHandle } from './epub-view';
import '../reader.css';

// epub.js is large: it loads only when a reader opens an EPUB.
const EpubView = lazy(() => import('./epub-view'));

/** A signed-in reader's loan, read in the browser (see `Reader`); others are asked to sign in. */
export function BookReader({ loanId }: { loanId: string }) {
  const text = useMessages(readerMessages).page;
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
  if (!session) {
    return (
      <>
        <title>{text.title(text.untitled)}</title>
        <h1>{text.heading(text.untitled)}</h1>
        <p>
          {text.signIn} <Link to={paths.signIn.getHref()}>{text.signInLink}</Link>
        </p>
      </>
    );
  }
  return <Reader loanId={loanId} readerId={session.sub} />;
}

/** The signed URL is fetched when the book opens, then the file itself (never cached: the URL lives minutes). */
function useBookFile(api: ApiClient, readerId: string, loanId: string) {
  return useQuery({
    queryKey: ['reader', readerId, 'loan-file', loanId],
    queryFn: async ({ signal }) => {
      const { url, format } = await getBookFileUrl(api, readerId, loanId, signal);
      // Other formats go to the browser's own viewer, which reads the URL itself.
      if (format !== 'EPUB') return { url, format, data: null };
      const response = await fetch(url, { signal });
      if (!response.ok) throw new ApiError(`The file answered ${response.status}`, response.status, url);
      return { url, format, data: await response.arrayBuffer() };
    },
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/**
 * The book of one loan: EPUBs paginated by epub.js with previous / next page (buttons and arrow keys), opened where
 * the reader last was on any device, and their place saved to their account as they turn pages; PDFs and other
 * files in the browser's own viewer. An ended loan (returned or past due) is refused by the API, and said so.
 */
function Reader({ loanId, readerId }: { loanId: string; readerId: string }) {
  const text = useMessages(readerMessages).page;
  const { locale } = useLocale();
  const api = useApiClient();
  const loans = useQuery(readerLoansQueryOptions(api, readerId));
  const bookId = loans.data?.loans.find((loan) => loan.id === loanId)?.bookId;
  const book = useQuery({ ...loanBookQueryOptions(api, bookId ?? ''), enabled: bookId !== undefined });
  const file = useBookFile(api, readerId, loanId);
  const progress = useQuery({ ...progressQueryOptions(api, readerId, loanId), refetchOnWindowFocus: false });
  const [place, setPlace] = useState<EpubPlace | null>(null);
  const [saveState, setSaveState] = useState<'idle' | 'saved' | 'failed'>('idle');
  const [openError, setOpenError] = useState<unknown>(null);
  const view = useRef<EpubViewHandle>(null);
  const title = book.data?.title ?? text.untitled;

  const saver = useRef<ProgressSaver | null>(null);
  useEffect(() => {
    const current = new ProgressSaver((update: ProgressUpdate, keepalive: boolean) =>
      saveProgress(api, readerId, loanId, update, { keepalive }).then(
        () => setSaveState('saved'),
        (error: unknown) => {
          setSaveState('failed');
          throw error;
        },
      ),
    );
    saver.current = current;
    const flush = () => {
      if (document.visibilityState === 'hidden') current.flush(true);
    };
    document.addEventListener('visibilitychange', flush);
    return () => {
      document.removeEventListener('visibilitychange', flush);
      current.flush(true);
      saver.current = null;
    };
  }, [api, readerId, loanId]);

  const finish = useMutation({
    mutationFn: () =>
      saveProgress(api, readerId, loanId, {
        location: place?.location ?? progress.data?.progress?.location ?? 'start',
        progress: place?.progress ?? 0,
        finished: true,
      }),
  });

  const onPlace = (next: EpubPlace) => {
    setPlace(next);
    saver.current?.save({ location: next.location, progress: Math.min(1, Math.max(0, next.progress)) });
  };

  const header = (
    <>
      <title>{text.title(title)}</title>
      {bookId && (
        <p className="back-link">
          <Link to={paths.book.getHref(bookId)}>← {text.back}</Link>
        </p>
      )}
      <h1>{text.heading(title)}</h1>
    </>
  );

  if ((file.isError || progress.isError) && !loans.isPending) {
    const error = file.error ?? progress.error;
    const refused = error instanceof ApiError && error.status === 403;
    // The API refuses both alike (403); the reader's own loans tell which it was.
    const theirs = loans.isSuccess && bookId !== undefined;
    return (
      <>
        {header}
        {refused ? (
          <div className="notice notice--error" role="alert">
            <p>{theirs ? text.ended : text.notYours}</p>
          </div>
        ) : (
          <ErrorNotice title={text.failed} error={error} onRetry={() => void file.refetch()} />
        )}
      </>
    );
  }
  if (file.isPending || progress.isPending || file.isError || progress.isError) {
    return (
      <>
        {header}
        <Loading label={text.loading} />
      </>
    );
  }

  const { format, url, data } = file.data;
  if (!data) {
    return (
      <div className="reader">
        {header}
        <p className="reader__help">{text.pdfHelp}</p>
        <div className="reader__page">
          <iframe className="reader__frame" title={text.frameTitle(title)} src={url} />
        </div>
        <p>
          <a href={url} target="_blank" rel="noreferrer">
            {text.openFile} ({format})
          </a>
        </p>
      </div>
    );
  }

  if (openError) {
    return (
      <>
        {header}
        <ErrorNotice title={text.failed} error={openError} />
      </>
    );
  }

  const percent = new Intl.NumberFormat(locale, { style: 'percent' }).format(place?.progress ?? 0);
  return (
    <div className="reader" data-location={place?.location ?? ''} data-progress={place?.progress ?? 0}>
      {header}
      <div className="reader__controls" role="group" aria-label={text.keyboardHelp}>
        <button type="button" className="button button--secondary" onClick={() => view.current?.previous()}>
          ← {text.previous}
        </button>
        <button type="button" className="button" onClick={() => view.current?.next()}>
          {text.next} →
        </button>
        <span className="reader__progress" role="status">
          {text.progress(percent)}
        </span>
      </div>
      <div className="reader__page">
        <Suspense fallback={<Loading label={text.loading} />}>
          <EpubView
            ref={view}
            data={data}
            start={progress.data.progress?.location ?? null}
            title={text.frameTitle(title)}
            onPlace={onPlace}
            onError={setOpenError}
          />
        </Suspense>
      </div>
      <div className="reader__controls">
        <button
          type="button"
          className={`button ${finish.isSuccess ? 'button--done' : 'button--secondary'}`}
          aria-disabled={finish.isSuccess}
          onClick={() => !finish.isSuccess && finish.mutate()}
        >
          {finish.isSuccess ? text.finishedDone : text.finished}
        </button>
        <p className="reader__help" aria-live="polite">
          {saveState === 'saved' ? text.saved : saveState === 'failed' ? text.saveFailed : text.keyboardHelp}
        </p>
      </div>
    </div>
  );
}
