import { useEffect } from 'react';

import type { EventsClient } from '../../../lib/events-client';
import { useEvents } from '../../../lib/events-context';
import type { RecommendationList, RecommendedBook } from '../api/recommendation-schemas';

/** Lists whose impressions were sent, per events client: once per list, however often the page shows it. */
const impressedLists = new WeakMap<EventsClient, Set<string>>();

/** Sends one `impression` per book of `list` (with its position and model version), once per recommendation id. */
export function useImpressions(list: RecommendationList | undefined) {
  const events = useEvents();
  useEffect(() => {
    if (!list || list.items.length === 0) return;
    const seen = impressedLists.get(events) ?? new Set<string>();
    impressedLists.set(events, seen);
    if (seen.has(list.recommendationId)) return;
    seen.add(list.recommendationId);
    for (const item of list.items) {
      events.track({
        type: 'impression',
        bookId: item.book.id,
        recommendationId: list.recommendationId,
        position: item.position,
        modelVersion: list.modelVersion,
      });
    }
  }, [events, list]);
}

/** A function that sends the `click` of a book of `list`. */
export function useTrackClick(list: RecommendationList | undefined) {
  const events = useEvents();
  return (item: RecommendedBook) => {
    if (!list) return;
    events.track({
      type: 'click',
      bookId: item.book.id,
      recommendationId: list.recommendationId,
      position: item.position,
      modelVersion: list.modelVersion,
    });
  };
}
