import { Link } from 'react-router';

import { BookCover } from '../../../components/book-cover';
import { paths } from '../../../config/paths';
import { useLocale, useMessages } from '../../../lib/i18n';
import { formatAuthors } from '../../../utils/book-format';
import type { RecommendedBook } from '../api/recommendation-schemas';
import { messages } from '../messages';
import { reasonText } from '../utils/reason';

/** A recommended book: cover, title (the link to its page), authors and why it is recommended. */
export function RecommendedBookCard({ item, onOpen }: { item: RecommendedBook; onOpen?: () => void }) {
  const { book } = item;
  const { locale } = useLocale();
  const text = useMessages(messages).reason;
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
        <p className="book-card__reason">{reasonText(item.reason, text)}</p>
      </div>
    </article>
  );
}
