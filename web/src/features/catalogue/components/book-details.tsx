import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { BookCover } from '../../../components/book-cover';
import { ErrorNotice, Loading } from '../../../components/query-status';
import { ApiError } from '../../../lib/api-client';
import { useLocale, useMessages } from '../../../lib/i18n';
import { formatAuthors, formatYear, languageName } from '../../../utils/book-format';
import { useBook } from '../api/get-book';
import { catalogueMessages } from '../messages';
import { backHref, type BackTo } from '../utils/back-link';

/**
 * The whole summary of one book. `backTo` is the catalogue or search page the reader came from, so the back link
 * returns to the same page and filters. Once the book has loaded, `actions` are shown under its authors and
 * `related` after its description (the app fills them from other features).
 */
export function BookDetails({
  bookId,
  backTo = { from: 'catalogue', search: '' },
  actions,
  related,
}: {
  bookId: string;
  backTo?: BackTo;
  actions?: ReactNode;
  related?: ReactNode;
}) {
  const book = useBook(bookId);
  const { locale } = useLocale();
  const text = useMessages(catalogueMessages).book;
  const backLink = (
    <p className="back-link">
      <Link to={backHref(backTo)}>
        <span aria-hidden="true">← </span>
        {backTo.from === 'search' ? text.backToSearch : text.backToCatalogue}
      </Link>
    </p>
  );

  if (book.isPending) {
    return (
      <>
        {backLink}
        <Loading label={text.loading} />
      </>
    );
  }
  if (book.isError) {
    if (book.error instanceof ApiError && book.error.isNotFound) {
      return (
        <>
          {backLink}
          <title>{text.notFoundTitle}</title>
          <h1>{text.notFound}</h1>
          <p>{text.notFoundBody(bookId)}</p>
        </>
      );
    }
    return (
      <>
        {backLink}
        <ErrorNotice title={text.error} error={book.error} onRetry={() => void book.refetch()} />
      </>
    );
  }

  const { title, authors, year, languages, subjects, description } = book.data;
  const formattedYear = formatYear(year, locale);
  return (
    <article className="book-details" aria-labelledby="book-title">
      <title>{`${title} · Shelfwise`}</title>
      {backLink}
      <div className="book-details__layout">
        <BookCover book={book.data} size="large" />
        <div className="book-details__body">
          <h1 id="book-title">{title}</h1>
          <p className="book-details__authors">{formatAuthors(authors, locale)}</p>
          {actions}
          <dl className="facts">
            <div>
              <dt>{text.firstPublished}</dt>
              <dd>{formattedYear ?? text.unknown}</dd>
            </div>
            <div>
              <dt>{languages.length > 1 ? text.languages : text.language}</dt>
              <dd>
                {languages.length > 0 ? languages.map((code) => languageName(code, locale)).join(', ') : text.unknown}
              </dd>
            </div>
          </dl>
          {subjects.length > 0 && (
            <>
              <h2 className="book-details__subheading">{text.subjects}</h2>
              <ul className="tags">
                {subjects.map((subject) => (
                  <li key={subject} className="tag">
                    {subject}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2 className="book-details__subheading">{text.description}</h2>
          {description ? (
            description.split(/\n\s*\n/).map((paragraph, index) => <p key={index}>{paragraph.trim()}</p>)
          ) : (
            <p className="muted">{text.noDescription}</p>
          )}
        </div>
      </div>
      {related}
    </article>
  );
}
