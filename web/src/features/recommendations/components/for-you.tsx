import { ErrorNotice, Loading } from '../../../components/query-status';
import { useForYou } from '../hooks/use-for-you';
import { useImpressions, useTrackClick } from '../hooks/use-recommendation-events';
import { messages } from '../messages';
import { RecommendedBookCard } from './recommended-book-card';

const text = messages.forYou;

/** "For you": the reader's live recommendation list; sends its impressions and clicks. */
export function ForYou() {
  const recommendations = useForYou();
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
        <Loading label={text.loading} />
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
