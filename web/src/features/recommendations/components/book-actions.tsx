import { useEffect, useRef, useState } from 'react';

import { useEvents } from '../../../lib/events-context';
import { useMessages } from '../../../lib/i18n';
import { messages } from '../messages';

type Done = 'borrow' | 'add-to-list' | 'dismiss';

/** The list that "Want to read" adds to. */
export const WANT_TO_READ_LIST = 'want-to-read';

const STARS = [1, 2, 3, 4, 5] as const;

/**
 * What a reader can do on a book's page: borrow, want to read, not interested, rate 1–5. Each sends its event and
 * shows that it was done (the button stays focusable, so keyboard readers keep their place). Shown once the book
 * has loaded, it also sends the `open` of the page.
 */
export function BookActions({
  bookId,
  borrow = true,
}: {
  bookId: string;
  /** False where the page lends the book itself (a signed-in reader: the loans API sends the borrow). */
  borrow?: boolean;
}) {
  const events = useEvents();
  const text = useMessages(messages).actions;
  const [done, setDone] = useState<ReadonlySet<Done>>(new Set());
  const [rating, setRating] = useState<number | null>(null);
  const [status, setStatus] = useState('');

  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    events.track({ type: 'open', bookId });
  }, [events, bookId]);

  const act = (action: Done, confirmation: string) => {
    if (done.has(action)) return;
    if (action === 'add-to-list') events.track({ type: 'add-to-list', bookId, list: WANT_TO_READ_LIST });
    else events.track({ type: action, bookId });
    setDone(new Set(done).add(action));
    setStatus(confirmation);
  };

  const rate = (stars: number) => {
    if (rating === stars) return;
    events.track({ type: 'rate', bookId, rating: stars });
    setRating(stars);
    setStatus(text.ratedStatus(stars));
  };

  const actionButton = (action: Done, label: string, doneLabel: string, confirmation: string) => (
    <button
      type="button"
      className={`button ${done.has(action) ? 'button--done' : 'button--secondary'}`}
      aria-disabled={done.has(action)}
      onClick={() => act(action, confirmation)}
    >
      {done.has(action) && <span aria-hidden="true">✓</span>}
      {done.has(action) ? doneLabel : label}
    </button>
  );

  return (
    <div className="book-actions">
      <div className="book-actions__buttons" role="group" aria-label={text.groupLabel}>
        {borrow && actionButton('borrow', text.borrow, text.borrowed, text.borrowedStatus)}
        {actionButton('add-to-list', text.wantToRead, text.wantToReadDone, text.wantToReadStatus)}
        {actionButton('dismiss', text.notInterested, text.notInterestedDone, text.notInterestedStatus)}
      </div>
      <div className="rating" role="group" aria-labelledby={`rating-${bookId}`}>
        <span id={`rating-${bookId}`} className="rating__label">
          {text.ratingLabel}
        </span>
        {STARS.map((stars) => (
          <button
            key={stars}
            type="button"
            className="rating__star"
            aria-label={text.starLabel(stars)}
            aria-pressed={rating === stars}
            onClick={() => rate(stars)}
          >
            <span aria-hidden="true">{rating !== null && stars <= rating ? '★' : '☆'}</span>
          </button>
        ))}
      </div>
      <p className="book-actions__status" role="status">
        {status}
      </p>
    </div>
  );
}
