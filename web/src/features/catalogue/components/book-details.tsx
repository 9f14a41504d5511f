import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { ApiError } from '../../../lib/api-client';
import { useBook } from '../api/get-book';
import { formatAuthors, formatYear, languageName } from '../../../utils/book-format';
import { BookCover } from '../../../components/book-cover';

/**
 * The whole summary of one book. `catalogueSearch` is the catalogue's query string the reader came from, so the
 * back link returns to the same page and filter. Once the book has loaded, `actions` are shown under its authors and
 * `related` after its description (the app fills them from other features).
 */
export function BookDetails({
  bookId,
  catalogueSearch,
  actions,
  related,
}: {
  bookId: string;
  catalogueSearch: string;
  actions?: ReactNode;
  related?: ReactNode;
}) {
  const book = useBook(bookId);
  const backLink = (
    <p className="back-link">
      <Link to={paths.catalogue.getHref(catalogueSearch)}>
        <span aria-hidden="true">← </span>Back to the catalogue
      </Link>
    </p>
  );

  if (book.isPending) {
    return (
      <>
        {backLink}
        <Loading label="Loading the book…" />
      </>
    );
  }
  if (book.isError) {
    if (book.error instanceof ApiError && book.error.isNotFound) {
      return (
        <>
          {backLink}
          <title>Book not found · Shelfwise</title>
          <h1>Book not found</h1>
          <p>There is no book with the id “{bookId}” in the catalogue.</p>
        </>
      );
    }
    return (
      <>
        {backLink}
        <ErrorNotice title="The book could not be loaded" error={book.error} onRetry={() => void book.refetch()} />
      </>
    );
  }

  const { title, authors, year, languages, subjects, description } = book.data;
  const formattedYear = formatYear(year);
  return (
    <article className="book-details" aria-labelledby="book-title">
      <title>{`${title} · Shelfwise`}</title>
      {backLink}
      <div className="book-details__layout">
        <BookCover book={book.data} size="large" />
        <div className="book-details__body">
          <h1 id="book-title">{title}</h1>
          <p className="book-details__authors">{formatAuthors(authors)}</p>
          {actions}
          <dl className="facts">
            <div>
              <dt>First published</dt>
              <dd>{formattedYear ?? 'Unknown'}</dd>
            </div>
            <div>
              <dt>{languages.length > 1 ? 'Languages' : 'Language'}</dt>
              <dd>{languages.length > 0 ? languages.map(languageName).join(', ') : 'Unknown'}</dd>
            </div>
          </dl>
          {subjects.length > 0 && (
            <>
              <h2 className="book-details__subheading">Subjects</h2>
              <ul className="tags">
                {subjects.map((subject) => (
                  <li key={subject} className="tag">
                    {subject}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="book-details__subheading">Description</h2>
          {description ? (
            description.split(/\n\s*\n/).map((paragraph, index) => <p key={index}>{paragraph.trim()}</p>)
          ) : (
            <p className="muted">No description yet.</p>
          )}
        </div>
      </div>
      {related}
    </article>
  );
}
