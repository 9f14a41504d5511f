import { Link } from 'react-router';

import { useMessages } from '../../../lib/i18n';
import { catalogueMessages } from '../messages';

/**
 * Previous / next links and "Page 2 of 14"; the page lives in the URL so every page can be shared. `hrefFor` gives
 * the URL of a page number (the catalogue's or the search's).
 */
export function Pagination({
  page,
  pageCount,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
}) {
  const text = useMessages(catalogueMessages).pagination;
  const hasPrevious = page > 1;
  const hasNext = page < pageCount;

  return (
    <nav className="pagination" aria-label={text.label}>
      {hasPrevious ? (
        <Link className="button" rel="prev" to={hrefFor(Math.min(page - 1, pageCount))}>
          <span aria-hidden="true">←</span>
          {text.previous}
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          <span aria-hidden="true">←</span>
          {text.previous}
        </span>
      )}
      <p className="pagination__status" aria-live="polite">
        {text.status(page, pageCount)}
      </p>
      {hasNext ? (
        <Link className="button" rel="next" to={hrefFor(page + 1)}>
          {text.next}
          <span aria-hidden="true">→</span>
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          {text.next}
          <span aria-hidden="true">→</span>
        </span>
      )}
    </nav>
  );
}
