import { ErrorNotice, Loading } from '../../../components/query-status';
import { ApiError } from '../../../lib/api-client';
import { formatNumber, useLocale, useMessages } from '../../../lib/i18n';
import { useSeries } from '../api/get-series';
import { catalogueMessages } from '../messages';
import { BookCard } from './book-card';

/** One series: its name and its books in series order, each card with its place in the series. */
export function SeriesBooks({ seriesId }: { seriesId: string }) {
  const series = useSeries(seriesId);
  const { locale } = useLocale();
  const text = useMessages(catalogueMessages).seriesPage;

  if (series.isPending) return <Loading label={text.loading} />;
  if (series.isError) {
    if (series.error instanceof ApiError && series.error.isNotFound) {
      return (
        <>
          <title>{text.notFoundTitle}</title>
          <h1>{text.notFound}</h1>
          <p>{text.notFoundBody(seriesId)}</p>
        </>
      );
    }
    return <ErrorNotice title={text.error} error={series.error} onRetry={() => void series.refetch()} />;
  }

  const { name, books } = series.data;
  return (
    <section aria-labelledby="series-heading">
      <title>{text.title(name)}</title>
      <div className="page-heading">
        <h1 id="series-heading">
          <span className="page-heading__kicker">{text.kicker}</span>
          {name}
        </h1>
        <p className="page-heading__count">{text.count(formatNumber(books.length, locale), books.length)}</p>
      </div>
      <ol className="book-grid" aria-labelledby="series-heading">
        {books.map((book) => (
          <li key={book.id} className="series-book">
            <p className="series-book__position">{text.position(formatNumber(book.seriesIndex, locale))}</p>
            <BookCard book={book} backTo={{ from: 'catalogue', search: '' }} />
          </li>
        ))}
      </ol>
    </section>
  );
}
