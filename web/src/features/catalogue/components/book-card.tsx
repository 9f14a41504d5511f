import { Link } from 'react-router';

import type { BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';

import { paths } from '../../../config/paths';
import { excerpt, formatAuthors, formatYear, languageName } from '../../../utils/book-format';
import { BookCover } from '../../../components/book-cover';

const SUBJECTS_SHOWN = 4;

/** One book in the catalogue grid; the whole card links to the book page. */
export function BookCard({ book, catalogueSearch }: { book: BookSummary; catalogueSearch: string }) {
  const year = formatYear(book.year);
  const languages = book.languages.map(languageName).join(', ');
  return (
    <article className="book-card">
      <BookCover book={book} />
      <div className="book-card__body">
        <h2 className="book-card__title">
          <Link className="book-card__link" to={paths.book.getHref(book.id)} state={{ catalogueSearch }}>
            {book.title}
          </Link>
        </h2>
        <p className="book-card__authors">{formatAuthors(book.authors)}</p>
        {(year || languages) && (
          <p className="book-card__meta">
            {year && <span>{year}</span>}
            {year && languages && <span aria-hidden="true"> · </span>}
            {languages && <span>{languages}</span>}
          </p>
        )}
        {book.description && <p className="book-card__description">{excerpt(book.description)}</p>}
        {book.subjects.length > 0 && (
          <ul className="tags" aria-label="Subjects">
            {book.subjects.slice(0, SUBJECTS_SHOWN).map((subject) => (
              <li key={subject} className="tag">
                {subject}
              </li>
            ))}
            {book.subjects.length > SUBJECTS_SHOWN && (
              <li className="tag tag--more">+{book.subjects.length - SUBJECTS_SHOWN} more</li>
            )}
          </ul>
        )}
      </div>
    </article>
  );
}
