import { Link } from 'react-router';

import type { BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';

import { BookCover } from '../../../components/book-cover';
import { paths } from '../../../config/paths';
import { useLocale, useMessages } from '../../../lib/i18n';
import { excerpt, formatAuthors, formatYear, languageName } from '../../../utils/book-format';
import { catalogueMessages } from '../messages';
import type { BackTo } from '../utils/back-link';

const SUBJECTS_SHOWN = 4;

/** One book in a grid of results; the whole card links to the book page, which can link back to `backTo`. */
export function BookCard({ book, backTo }: { book: BookSummary; backTo: BackTo }) {
  const { locale } = useLocale();
  const messages = useMessages(catalogueMessages);
  const text = messages.card;
  const textOfBook = messages.book;
  const year = formatYear(book.year, locale);
  const languages = book.languages.map((code) => languageName(code, locale)).join(', ');
  return (
    <article className="book-card">
      <BookCover
        book={book}
        cover={book.coverUrl ? { url: book.coverUrl, alt: textOfBook.coverAlt(book.title) } : null}
      />
      <div className="book-card__body">
        <h2 className="book-card__title">
          <Link className="book-card__link" to={paths.book.getHref(book.id)} state={{ backTo }}>
            {book.title}
          </Link>
        </h2>
        <p className="book-card__authors">{formatAuthors(book.authors, locale)}</p>
        {(year || languages) && (
          <p className="book-card__meta">
            {year && <span>{year}</span>}
            {year && languages && <span aria-hidden="true"> · </span>}
            {languages && <span>{languages}</span>}
          </p>
        )}
        {book.description && <p className="book-card__description">{excerpt(book.description)}</p>}
        {book.subjects.length > 0 && (
          <ul className="tags" aria-label={text.subjects}>
            {book.subjects.slice(0, SUBJECTS_SHOWN).map((subject) => (
              <li key={subject} className="tag">
                {subject}
              </li>
            ))}
            {book.subjects.length > SUBJECTS_SHOWN && (
              <li className="tag tag--more">{text.more(book.subjects.length - SUBJECTS_SHOWN)}</li>
            )}
          </ul>
        )}
      </div>
    </article>
  );
}
