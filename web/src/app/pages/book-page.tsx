import { useSyncExternalStore } from 'react';
import { useLocation, useParams } from 'react-router';

import { BookDetails } from '../../features/catalogue/components/book-details';
import { readBackTo } from '../../features/catalogue/utils/back-link';
import { BookActions } from '../../features/recommendations/components/book-actions';
import { SimilarBooks } from '../../features/recommendations/components/similar-books';
import { LoanActions } from '../../features/reader/components/loan-actions';
import { sessionStore } from '../../lib/session';

export function BookPage() {
  const { bookId = '' } = useParams();
  const { state } = useLocation();
  const signedIn = useSyncExternalStore(sessionStore.subscribe, sessionStore.get) !== null;
  return (
    <BookDetails
      key={bookId}
      bookId={bookId}
      // Book cards pass the page they were on along, so "back" returns to the same page and filters.
      backTo={readBackTo(state)}
      actions={
        <>
          <LoanActions bookId={bookId} />
          {/* Signed in, the e-book is really lent (LoanActions); anonymous readers keep the event-only Borrow. */}
          <BookActions bookId={bookId} borrow={!signedIn} />
        </>
      }
      related={<SimilarBooks bookId={bookId} />}
    />
  );
}
