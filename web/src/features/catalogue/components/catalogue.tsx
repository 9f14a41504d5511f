import { Link, useSearchParams } from 'react-router';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { useBooks } from '../api/get-books';
import { PAGE_SIZE, offsetOf, pageCountOf, readCatalogueSearch, writeCatalogueSearch } from '../utils/catalogue-search';
import { languageName } from '../../../utils/book-format';
import { BookCard } from './book-card';
import { LanguageFilter } from './language-filter';
import { Pagination } from './pagination';

/** The catalogue: language filter, a grid of book cards and pagination, all driven by `?page=&language=`. */
export function Catalogue() {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = readCatalogueSearch(searchParams);
  const books = useBooks({ limit: PAGE_SIZE, offset: offsetOf(search.page), language: search.language });
  const catalogueSearch = writeCatalogueSearch(search).toString();

  // A new language starts again from the first page.
  const changeLanguage = (language: string | undefined) => setSearchParams(writeCatalogueSearch({ page: 1, language }));

  return (
    <section aria-labelledby="catalogue-heading">
      <div className="page-heading">
        <h1 id="catalogue-heading">Catalogue</h1>
        {books.data && (
          <p className="page-heading__count">
            {books.data.total.toLocaleString('en')} {books.data.total === 1 ? 'book' : 'books'}
            {search.language && ` in ${languageName(search.language)}`}
          </p>
        )}
      </div>
      <div className="toolbar">
        <LanguageFilter value={search.language} onChange={changeLanguage} />
      </div>

      {books.isPending ? (
        <Loading label="Loading books…" />
      ) : books.isError ? (
        <ErrorNotice
          title="The catalogue could not be loaded"
          error={books.error}
          onRetry={() => void books.refetch()}
        />
      ) : books.data.items.length === 0 ? (
        <div className="notice" role="status">
          {search.page > 1 ? (
            <>
              <p>There are no books on page {search.page}.</p>
              <p>
                <Link to={paths.catalogue.getHref(writeCatalogueSearch({ ...search, page: 1 }).toString())}>
                  Go to the first page
                </Link>
              </p>
            </>
          ) : (
            <p>No books found{search.language ? ` in ${languageName(search.language)}` : ''}.</p>
          )}
        </div>
      ) : (
        <>
          <ul className="book-grid" aria-busy={books.isPlaceholderData}>
            {books.data.items.map((book) => (
              <li key={book.id}>
                <BookCard book={book} catalogueSearch={catalogueSearch} />
              </li>
            ))}
          </ul>
          <Pagination search={search} pageCount={pageCountOf(books.data.total, PAGE_SIZE)} />
        </>
      )}
    </section>
  );
}
