import { useQuery } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';

import { useApiClient } from '../../../lib/api-client-context';
import { useEvents } from '../../../lib/events-context';
import { recommendationsQueryOptions } from '../api/get-recommendations';
import { isOutdated, liveRefreshInterval } from '../utils/live-refresh';

/**
 * The reader's "For you" list, kept live: when the reader acts (an open, a loan, a rating… is sent), the list is read
 * again every 400 ms until one made after that action arrives (at most 5 s), without a page reload.
 */
export function useForYou() {
  const api = useApiClient();
  const events = useEvents();
  const actionSentAt = useSyncExternalStore(events.subscribe, events.lastActionSentAt);
  const query = useQuery({
    ...recommendationsQueryOptions(api, events.readerId),
    refetchInterval: (current) => liveRefreshInterval(current.state.data, events.lastActionSentAt(), Date.now()),
  });

  const outdated = isOutdated(query.data, actionSentAt);
  const { refetch } = query;
  useEffect(() => {
    if (outdated) void refetch();
  }, [outdated, actionSentAt, refetch]);

  return { ...query, outdated };
}
