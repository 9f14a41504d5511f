import { useLocation, useParams } from 'react-router';

import { BookDetails } from '../../features/catalogue/components/book-details';
import { BookActions } from '../../features/recommendations/components/book-actions';
import { SimilarBooks } from '../../features/recommendations/components/similar-books';

export function BookPage() {
  const { bookId = '' } = useParams();
  const { state } = useLocation();
  // Book cards pass the catalogue's query string along, so "back" returns to the same page and filter.
  const catalogueSearch =
    typeof state === 'object' &&
    state !== null &&
    'catalogueSearch' in state &&
    typeof state.catalogueSearch === 'string'
      ? state.catalogueSearch
      : '';
  return (
    <BookDetails
      key={bookId}
      bookId={bookId}
      catalogueSearch={catalogueSearch}
      actions={<BookActions bookId={bookId} />}
      related={<SimilarBooks bookId={bookId} />}
    />
  );
}
