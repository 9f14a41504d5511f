import { useId, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { formatNumber, useLocale, useMessages } from '../../../lib/i18n';
import { languageName } from '../../../utils/book-format';
import { useAuthorId } from '../api/get-authors';
import { useBooks } from '../api/get-books';
import { catalogueMessages } from '../messages';
import { offsetOf, pageCountOf } from '../utils/catalogue-search';
import {
  SEARCH_PAGE_SIZE,
  countValues,
  hasCriteria,
  readSearch,
  writeSearch,
  yearRange,
  type SearchState,
} from '../utils/search-state';
import { BookCard } from './book-card';
import { LanguageFilter } from './language-filter';
import { Pagination } from './pagination';

type FilterKey = 'author' | 'subject' | 'language' | 'year';

const hrefOf = (search: SearchState) => paths.search.getHref(writeSearch(search).toString());

/**
 * Full-text search of the catalogue with filters (author, subject, language, year), paginated. Everything lives in
 * the URL (`?q=&author=&subject=&language=&year=&page=`), so a search can be shared and "back" works. The API
 * folds accents, so "truyen kieu" finds "Truyện Kiều". It returns no facet counts, so "Refine" offers the authors
 * and subjects of the books on the page shown.
 */
export function Search() {
  const [params, setParams] = useSearchParams();
  const { locale } = useLocale();
  const { search: text, languageFilter: languageText } = useMessages(catalogueMessages);
  const search = readSearch(params);
  const authorId = useAuthorId(search.author);
  const criteria = hasCriteria(search);
  const authorUnknown = search.author !== '' && authorId.isSuccess && authorId.data === null;
  const books = useBooks(
    {
      limit: SEARCH_PAGE_SIZE,
      offset: offsetOf(search.page, SEARCH_PAGE_SIZE),
      q: search.q || undefined,
      language: search.language,
      authorId: authorId.data ?? undefined,
      tag: search.subject || undefined,
      ...yearRange(search.year),
    },
    { enabled: criteria && (search.author === '' || typeof authorId.data === 'string') },
  );
  const backTo = { from: 'search' as const, search: writeSearch(search).toString() };

  const go = (next: Partial<SearchState>) => setParams(writeSearch({ ...search, page: 1, ...next }));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    // Read back through readSearch, so a malformed year is dropped as it would be from a pasted URL.
    const next = readSearch(
      writeSearch({
        ...search,
        q: field('q'),
        author: field('author'),
        subject: field('subject'),
        year: field('year'),
        page: 1,
      }),
    );
    setParams(writeSearch(next));
  };

  const active: { key: FilterKey; label: string }[] = [
    ...(search.author ? [{ key: 'author' as const, label: `${text.author}: ${search.author}` }] : []),
    ...(search.subject ? [{ key: 'subject' as const, label: `${text.subject}: ${search.subject}` }] : []),
    ...(search.language
      ? [{ key: 'language' as const, label: `${languageText.label}: ${languageName(search.language, locale)}` }]
      : []),
    ...(search.year ? [{ key: 'year' as const, label: `${text.year}: ${search.year}` }] : []),
  ];
  const cleared = (key: FilterKey): SearchState => ({
    ...search,
    page: 1,
    ...(key === 'language' ? { language: undefined } : { [key]: '' }),
  });

  return (
    <section className="search-page" aria-labelledby="search-heading">
      <h1 id="search-heading">{text.heading}</h1>
      {/* Keyed by the URL so that the fields show the search after "back" or a new link. */}
      <form key={params.toString()} role="search" className="search-panel" onSubmit={onSubmit}>
        <SearchFields search={search} />
        <div className="search-panel__row">
          <LanguageFilter value={search.language} onChange={(language) => go({ language })} />
          <div className="search-panel__actions">
            <button type="submit" className="button">
              {text.submit}
            </button>
            {criteria && (
              <Link className="button button--secondary" to={paths.search.getHref()}>
                {text.clear}
              </Link>
            )}
          </div>
        </div>
      </form>

      {active.length > 0 && (
        <ul className="chips" aria-label={text.active}>
          {active.map(({ key, label }) => (
            <li key={key}>
              <Link className="chip" to={hrefOf(cleared(key))} aria-label={text.remove(label)}>
                {label}
                <span aria-hidden="true"> ×</span>
              </Link>
            </li>
          ))}
        </ul>
      )}

      {!criteria ? (
        <p className="notice">{text.start}</p>
      ) : authorUnknown ? (
        <div className="notice" role="status">
          <p>{text.unknownAuthor(search.author)}</p>
        </div>
      ) : authorId.isError ? (
        <ErrorNotice title={text.error} error={authorId.error} onRetry={() => void authorId.refetch()} />
      ) : books.isPending ? (
        <Loading label={text.loading} />
      ) : books.isError ? (
        <ErrorNotice title={text.error} error={books.error} onRetry={() => void books.refetch()} />
      ) : (
        <div className="search-results">
          <div className="search-results__main">
            <p className="search-results__count" role="status">
              {text.results(formatNumber(books.data.total, locale), books.data.total, search.q)}
            </p>
            {books.data.items.length === 0 ? (
              <div className="notice">
                <p>{text.noResults}</p>
                <p className="muted">{text.noResultsHint}</p>
              </div>
            ) : (
              <>
                <ul className="book-grid book-grid--results" aria-busy={books.isPlaceholderData}>
                  {books.data.items.map((book) => (
                    <li key={book.id}>
                      <BookCard book={book} backTo={backTo} />
                    </li>
                  ))}
                </ul>
                {pageCountOf(books.data.total, SEARCH_PAGE_SIZE) > 1 && (
                  <Pagination
                    page={search.page}
                    pageCount={pageCountOf(books.data.total, SEARCH_PAGE_SIZE)}
                    hrefFor={(page) => hrefOf({ ...search, page })}
                  />
                )}
              </>
            )}
          </div>
          {books.data.items.length > 0 && <Refine search={search} books={books.data.items} />}
        </div>
      )}
    </section>
  );
}

function SearchFields({ search }: { search: SearchState }) {
  const text = useMessages(catalogueMessages).search;
  const id = useId();
  return (
    <>
      <div className="field field--wide">
        <label htmlFor={`${id}-q`}>{text.label}</label>
        <input
          id={`${id}-q`}
          name="q"
          type="search"
          defaultValue={search.q}
          placeholder={text.placeholder}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
        />
        <p id={`${id}-hint`} className="field__hint">
          {text.hint}
        </p>
      </div>
      <fieldset className="search-panel__filters">
        <legend className="visually-hidden">{text.filters}</legend>
        <div className="field">
          <label htmlFor={`${id}-author`}>{text.author}</label>
          <input
            id={`${id}-author`}
            name="author"
            defaultValue={search.author}
            placeholder={text.authorPlaceholder}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-subject`}>{text.subject}</label>
          <input
            id={`${id}-subject`}
            name="subject"
            defaultValue={search.subject}
            placeholder={text.subjectPlaceholder}
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-year`}>{text.year}</label>
          <input
            id={`${id}-year`}
            name="year"
            defaultValue={search.year}
            placeholder={text.yearPlaceholder}
            inputMode="numeric"
            autoComplete="off"
          />
        </div>
      </fieldset>
    </>
  );
}

/** Authors and subjects of the books on this page, as links that narrow the search. */
function Refine({
  search,
  books,
}: {
  search: SearchState;
  books: readonly { authors: string[]; subjects: string[] }[];
}) {
  const text = useMessages(catalogueMessages).search;
  const { locale } = useLocale();
  const groups = [
    { key: 'author' as const, heading: text.refineAuthors, values: countValues(books, (book) => book.authors) },
    { key: 'subject' as const, heading: text.refineSubjects, values: countValues(books, (book) => book.subjects) },
  ].filter((group) => group.values.length > 0 && search[group.key] === '');
  if (groups.length === 0) return null;
  return (
    <aside className="refine" aria-labelledby="refine-heading">
      <h2 id="refine-heading" className="refine__heading">
        {text.refine}
      </h2>
      <p className="refine__hint muted">{text.refineHint}</p>
      {groups.map((group) => (
        <div key={group.key}>
          <h3 className="refine__group">{group.heading}</h3>
          <ul className="refine__list">
            {group.values.map(({ value, count }) => (
              <li key={value}>
                <Link to={hrefOf({ ...search, page: 1, [group.key]: value })}>
                  {value} <span className="refine__count">({formatNumber(count, locale)})</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </aside>
  );
}
