import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { paths } from '../config/paths';
import { useLocale } from '../lib/i18n';
import { formatAuthors } from '../utils/book-format';
import { BookCover } from './book-cover';

/**
 * A small book card for lists and rows: cover, title (the link to the book's page, covering the whole card), authors
 * and one line: `note` (why it is recommended, highlighted) or `meta` (its year and language, muted).
 */
export function CompactBookCard({
  book,
  note,
  meta,
  onOpen,
}: {
  book: { id: string; title: string; authors: readonly string[] };
  note?: ReactNode;
  meta?: ReactNode;
  onOpen?: () => void;
}) {
  const { locale } = useLocale();
  return (
    <article className="book-card">
      <BookCover book={book} />
      <div className="book-card__body">
        <h3 className="book-card__title">
          <Link className="book-card__link" to={paths.book.getHref(book.id)} onClick={onOpen}>
            {book.title}
          </Link>
        </h3>
        <p className="book-card__authors">{formatAuthors(book.authors, locale)}</p>
        {meta && <p className="book-card__meta">{meta}</p>}
        {note && <p className="book-card__reason">{note}</p>}
      </div>
    </article>
  );
}
