import { Link } from 'react-router';

import { BookRow, BookRowList } from '../../../components/book-row';
import { CompactBookCard } from '../../../components/compact-book-card';
import { ErrorNotice } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { useLocale, useMessages } from '../../../lib/i18n';
import { formatYear, languageName } from '../../../utils/book-format';
import { useBooks } from '../api/get-books';
import { catalogueMessages } from '../messages';

/** How many books the row shows. */
export const CATALOGUE_ROW_SIZE = 12;

/**
 * A row of the catalogue in one order, with a link to all of it: `popular` (most read lately: the decayed
 * popularity of readers' events that the recommender's fallback uses too) or `added` (new arrivals).
 */
export function CatalogueRow({ sort }: { sort: 'popular' | 'added' }) {
  const books = useBooks({ limit: CATALOGUE_ROW_SIZE, offset: 0, sort });
  const { locale } = useLocale();
  const text = useMessages(catalogueMessages).shelf;
  const rowId = sort === 'popular' ? 'popular-books' : 'new-arrivals';
  return (
    <BookRow
      id={rowId}
      heading={text[sort].heading}
      intro={text[sort].intro}
      more={<Link to={paths.catalogue.getHref()}>{text.seeAll}</Link>}
      loadingLabel={books.isPending ? text.loading : undefined}
    >
      {books.isError ? (
        <ErrorNotice title={text.error} error={books.error} onRetry={() => void books.refetch()} />
      ) : (
        <BookRowList rowId={rowId}>
          {books.data?.items.map((book) => (
            <li key={book.id}>
              <CompactBookCard
                book={book}
                meta={[formatYear(book.year, locale), ...book.languages.map((code) => languageName(code, locale))]
                  .filter(Boolean)
                  .join(' · ')}
              />
            </li>
          ))}
        </BookRowList>
      )}
    </BookRow>
  );
}
