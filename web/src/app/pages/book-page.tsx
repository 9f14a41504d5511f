import { useLocation, useParams } from 'react-router';

import { BookDetails } from '../../features/catalogue/components/book-details';
import { readBackTo } from '../../features/catalogue/utils/back-link';
import { BookActions } from '../../features/recommendations/components/book-actions';
import { SimilarBooks } from '../../features/recommendations/components/similar-books';

export function BookPage() {
  const { bookId = '' } = useParams();
  const { state } = useLocation();
  return (
    <BookDetails
      key={bookId}
      bookId={bookId}
      // Book cards pass the page they were on along, so "back" returns to the same page and filters.
      backTo={readBackTo(state)}
      actions={<BookActions bookId={bookId} />}
      related={<SimilarBooks bookId={bookId} />}
    />
  );
}
