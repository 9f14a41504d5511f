import type { ReactNode } from 'react';
import { Link } from 'react-router';

import type { BookDetail } from '@shelfwise/lambdas/catalogue/domain/book';

import { BookCover } from '../../../components/book-cover';
import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { ApiError } from '../../../lib/api-client';
import { formatNumber, useLocale, useMessages } from '../../../lib/i18n';
import { formatAuthors, formatYear, languageName } from '../../../utils/book-format';
import { useBook } from '../api/get-book';
import { catalogueMessages } from '../messages';
import { backHref, type BackTo } from '../utils/back-link';

/**
 * Everything the catalogue knows about one book: cover, title, authors, series (with a link to the whole series),
 * facts, subjects, description and other editions of the same work. `backTo` is the catalogue or search page the
 * reader came from, so the back link returns to the same page and filters. Once the book has loaded, `actions` are
 * shown under its authors and `related` after its editions (the app fills them from other features).
 *
 * The cover is Calibre's when the library has one (`coverUrl`, a public image of the books distribution), otherwise
 * a generated one.
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

  const { title, authors, year, languages, subjects, series, publisher, pageCount, withdrawn, editions, coverUrl } =
    book.data;
  const formattedYear = formatYear(year, locale);
  return (
    <article className="book-details" aria-labelledby="book-title">
      <title>{`${title} · Shelfwise`}</title>
      {backLink}
      <div className="book-details__layout">
        <BookCover
          book={book.data}
          size="large"
          cover={coverUrl ? { url: coverUrl, alt: text.coverAlt(title) } : null}
        />
        <div className="book-details__body">
          <h1 id="book-title">{title}</h1>
          <p className="book-details__authors">{formatAuthors(authors, locale)}</p>
          {series && (
            <p className="book-details__series">
              <Link to={paths.series.getHref(series.id)}>
                {text.seriesPosition(formatNumber(series.index, locale), series.name)}
              </Link>
            </p>
          )}
          {withdrawn && <p className="notice">{text.withdrawn}</p>}
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
            {publisher && (
              <div>
                <dt>{text.publisher}</dt>
                <dd>{publisher}</dd>
              </div>
            )}
            {pageCount !== null && (
              <div>
                <dt>{text.pages}</dt>
                <dd>{formatNumber(pageCount, locale)}</dd>
              </div>
            )}
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
          <Description book={book.data} empty={text.noDescription} />
        </div>
      </div>
      {editions.length > 0 && (
        <section className="section" aria-labelledby="editions-heading">
          <h2 id="editions-heading">{text.editions}</h2>
          <p className="muted">{text.editionsIntro}</p>
          <ul className="editions" aria-labelledby="editions-heading">
            {editions.map((edition) => (
              <li key={edition.id}>
                <Link to={paths.book.getHref(edition.id)} state={{ backTo }}>
                  {edition.title}
                </Link>
                <span className="editions__meta">
                  {[
                    formatYear(edition.year, locale),
                    edition.publisher,
                    edition.languages.map((code) => languageName(code, locale)).join(', '),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {related}
    </article>
  );
}

/**
 * The description: the API's sanitised HTML (its schema promises `descriptionHtml` is sanitised with an allow-list,
 * lambdas/src/catalogue/domain/description.ts, and safe to insert), else the plain text, paragraph by paragraph.
 */
function Description({ book, empty }: { book: Pick<BookDetail, 'description' | 'descriptionHtml'>; empty: string }) {
  if (book.descriptionHtml) {
    // Sanitised by the API (see above): its links open in a new tab with rel="nofollow noopener noreferrer".
    return <div className="book-description" dangerouslySetInnerHTML={{ __html: book.descriptionHtml }} />;
  }
  if (book.description) {
    return (
      <div className="book-description">
        {book.description.split(/\n\s*\n/).map((paragraph, index) => (
          <p key={index}>{paragraph.trim()}</p>
        ))}
      </div>
    );
  }
  return <p className="muted">{empty}</p>;
}
