import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, useSyncExternalStore } from 'react';

import { ErrorNotice } from '../../../components/query-status';
import { useApiClient } from '../../../lib/api-client-context';
import { useEvents } from '../../../lib/events-context';
import { useMessages } from '../../../lib/i18n';
import { deleteHistory, pauseHistory, resumeHistory } from '../api/history-privacy';
import { shelfMessages } from '../messages';
import { shelfRecord } from '../utils/shelf-record';

type Done = 'pausedDone' | 'resumedDone' | 'deletedDone';

/**
 * Pause / resume the reader's history and delete it (after a confirmation dialog), each saying what it does. The API
 * cannot say whether a history is paused, so the switch shows what this browser last set.
 */
export function PrivacyControls() {
  const text = useMessages(shelfMessages);
  const api = useApiClient();
  const events = useEvents();
  const queryClient = useQueryClient();
  const { readerId } = events;
  const paused = useSyncExternalStore(shelfRecord.subscribe, () => shelfRecord.get().paused.includes(readerId));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<unknown>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const bodyId = useId();

  async function run(action: () => Promise<void>, after: () => void, message: Done) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      after();
      setDone(message);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const togglePause = () =>
    paused
      ? run(
          // What is still queued was done while paused: it goes first, and is not recorded.
          async () => {
            await events.flush();
            await resumeHistory(api, readerId);
          },
          () => shelfRecord.setPaused(readerId, false),
          'resumedDone',
        )
      : run(
          // What is still queued was done before the pause: it goes first.
          async () => {
            await events.flush();
            await pauseHistory(api, readerId);
          },
          () => shelfRecord.setPaused(readerId, true),
          'pausedDone',
        );

  const confirmDelete = () => {
    dialogRef.current?.close();
    void run(
      async () => {
        // Events still queued would write a new history right after the deletion: they go first.
        await events.flush();
        await deleteHistory(api, readerId);
      },
      () => {
        shelfRecord.clear(readerId);
        // "For you" and everything read for this reader are read again (a deleted history means popular books).
        void queryClient.invalidateQueries();
      },
      'deletedDone',
    );
  };

  return (
    <section className="section privacy" aria-labelledby={`${headingId}-privacy`}>
      <h2 id={`${headingId}-privacy`}>{text.privacy.heading}</h2>
      <p>{text.privacy.intro}</p>
      <p className={paused ? 'privacy__state privacy__state--paused' : 'privacy__state'}>
        {paused ? text.privacy.paused : text.privacy.recording}
      </p>
      <div className="privacy__actions">
        <div className="privacy__action">
          <button type="button" className="button" aria-disabled={busy} onClick={() => !busy && void togglePause()}>
            {paused ? text.privacy.resume : text.privacy.pause}
          </button>
          <p className="muted">{paused ? text.privacy.resumeHelp : text.privacy.pauseHelp}</p>
        </div>
        <div className="privacy__action">
          <button
            type="button"
            className="button button--danger"
            aria-disabled={busy}
            aria-haspopup="dialog"
            onClick={() => !busy && dialogRef.current?.showModal()}
          >
            {text.privacy.delete}
          </button>
          <p className="muted">{text.privacy.deleteHelp}</p>
        </div>
      </div>
      <p role="status" className="privacy__done">
        {done ? text.privacy[done] : ''}
      </p>
      {error !== null && <ErrorNotice title={text.privacy.failed} error={error} />}
      <dialog ref={dialogRef} className="dialog" aria-labelledby={headingId} aria-describedby={bodyId}>
        <h2 id={headingId} className="dialog__title">
          {text.confirm.heading}
        </h2>
        <p id={bodyId}>{text.confirm.body}</p>
        <div className="dialog__actions">
          <button
            type="button"
            className="button button--secondary"
            autoFocus
            onClick={() => dialogRef.current?.close()}
          >
            {text.confirm.cancel}
          </button>
          <button type="button" className="button button--danger" onClick={confirmDelete}>
            {text.confirm.confirm}
          </button>
        </div>
      </dialog>
    </section>
  );
}
