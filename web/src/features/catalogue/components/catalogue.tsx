import { Link, useSearchParams } from 'react-router';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { formatNumber, useLocale, useMessages } from '../../../lib/i18n';
import { languageName } from '../../../utils/book-format';
import { useBooks } from '../api/get-books';
import { catalogueMessages } from '../messages';
import { PAGE_SIZE, offsetOf, pageCountOf, readCatalogueSearch, writeCatalogueSearch } from '../utils/catalogue-search';
import { BookCard } from './book-card';
import { LanguageFilter } from './language-filter';
import { Pagination } from './pagination';

/** The catalogue: language filter, a grid of book cards and pagination, all driven by `?page=&language=`. */
export function Catalogue() {
  const [searchParams, setSearchParams] = useSearchParams();
  const { locale } = useLocale();
  const text = useMessages(catalogueMessages).catalogue;
  const search = readCatalogueSearch(searchParams);
  const books = useBooks({ limit: PAGE_SIZE, offset: offsetOf(search.page), language: search.language });
  const catalogueSearch = writeCatalogueSearch(search).toString();
  const inLanguage = search.language ? text.inLanguage(languageName(search.language, locale)) : '';

  // A new language starts again from the first page.
  const changeLanguage = (language: string | undefined) => setSearchParams(writeCatalogueSearch({ page: 1, language }));

  return (
    <section aria-labelledby="catalogue-heading">
      <div className="page-heading">
        <h1 id="catalogue-heading">{text.heading}</h1>
        {books.data && (
          <p className="page-heading__count">
            {text.count(formatNumber(books.data.total, locale), books.data.total)}
            {inLanguage}
          </p>
        )}
      </div>
      <div className="toolbar">
        <LanguageFilter value={search.language} onChange={changeLanguage} />
      </div>

      {books.isPending ? (
        <Loading label={text.loading} />
      ) : books.isError ? (
        <ErrorNotice title={text.error} error={books.error} onRetry={() => void books.refetch()} />
      ) : books.data.items.length === 0 ? (
        <div className="notice" role="status">
          {search.page > 1 ? (
            <>
              <p>{text.noBooksOnPage(search.page)}</p>
              <p>
                <Link to={paths.catalogue.getHref(writeCatalogueSearch({ ...search, page: 1 }).toString())}>
                  {text.firstPage}
                </Link>
              </p>
            </>
          ) : (
            <p>
              {text.noBooks}
              {inLanguage}.
            </p>
          )}
        </div>
      ) : (
        <>
          <ul className="book-grid" aria-busy={books.isPlaceholderData}>
            {books.data.items.map((book) => (
              <li key={book.id}>
                <BookCard book={book} backTo={{ from: 'catalogue', search: catalogueSearch }} />
              </li>
            ))}
          </ul>
          <Pagination
            page={search.page}
            pageCount={pageCountOf(books.data.total, PAGE_SIZE)}
            hrefFor={(page) => paths.catalogue.getHref(writeCatalogueSearch({ ...search, page }).toString())}
          />
        </>
      )}
    </section>
  );
}
