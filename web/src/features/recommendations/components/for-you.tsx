import { ErrorNotice, Loading } from '../../../components/query-status';
import { useForYou } from '../hooks/use-for-you';
import { useImpressions, useTrackClick } from '../hooks/use-recommendation-events';
import { useMessages } from '../../../lib/i18n';
import { messages } from '../messages';
import { RecommendedBookCard } from './recommended-book-card';

/** How many placeholder cards fill the list's place while it loads (4 rows on a wide screen). */
const PLACEHOLDER_CARDS = 12;

/** "For you": the reader's live recommendation list; sends its impressions and clicks. */
export function ForYou() {
  const recommendations = useForYou();
  const text = useMessages(messages).forYou;
  const list = recommendations.data;
  useImpressions(list);
  const trackClick = useTrackClick(list);
  const refreshing = recommendations.outdated && recommendations.isFetching;

  return (
    <section className="section" aria-labelledby="for-you-heading">
      <div className="page-heading">
        <h2 id="for-you-heading">{text.heading}</h2>
        <p className="page-heading__count">{text.intro}</p>
      </div>
      <p className="visually-hidden" role="status">
        {refreshing ? text.updating : ''}
      </p>
      {recommendations.isPending ? (
        <>
          <Loading label={text.loading} />
          {/* Placeholder cards keep the page's height while the list loads, so nothing jumps when it arrives. */}
          <ul className="book-grid" aria-hidden="true">
            {Array.from({ length: PLACEHOLDER_CARDS }, (_, index) => (
              <li key={index}>
                <div className="book-card book-card--placeholder" />
              </li>
            ))}
          </ul>
        </>
      ) : recommendations.isError ? (
        <ErrorNotice title={text.error} error={recommendations.error} onRetry={() => void recommendations.refetch()} />
      ) : recommendations.data.items.length === 0 ? (
        <p className="notice" role="status">
          {text.empty}
        </p>
      ) : (
        <ul
          className="book-grid"
          aria-labelledby="for-you-heading"
          aria-busy={refreshing}
          data-recommendation-id={recommendations.data.recommendationId}
          data-strategy={recommendations.data.strategy}
        >
          {recommendations.data.items.map((item) => (
            <li key={item.book.id}>
              <RecommendedBookCard item={item} onOpen={() => trackClick(item)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
