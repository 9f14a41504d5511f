import { Link } from 'react-router';

import { paths } from '../../../config/paths';
import { writeCatalogueSearch, type CatalogueSearch } from '../utils/catalogue-search';

/** Previous / next links and "Page 2 of 14"; the page lives in the URL so every page can be shared. */
export function Pagination({ search, pageCount }: { search: CatalogueSearch; pageCount: number }) {
  const hrefFor = (page: number) => paths.catalogue.getHref(writeCatalogueSearch({ ...search, page }).toString());
  const hasPrevious = search.page > 1;
  const hasNext = search.page < pageCount;

  return (
    <nav className="pagination" aria-label="Pagination">
      {hasPrevious ? (
        <Link className="button" rel="prev" to={hrefFor(Math.min(search.page - 1, pageCount))}>
          <span aria-hidden="true">←</span>Previous
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          <span aria-hidden="true">←</span>Previous
        </span>
      )}
      <p className="pagination__status" aria-live="polite">
        Page {search.page} of {pageCount}
      </p>
      {hasNext ? (
        <Link className="button" rel="next" to={hrefFor(search.page + 1)}>
          Next<span aria-hidden="true">→</span>
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          Next<span aria-hidden="true">→</span>
        </span>
      )}
    </nav>
  );
}
