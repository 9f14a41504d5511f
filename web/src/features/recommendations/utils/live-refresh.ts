/** How often "For you" is read again while the recommender works on the reader's latest action. */
export const LIVE_REFRESH_INTERVAL_MS = 400;

/** How long after an action it keeps trying; the recommender usually answers within a second. */
export const LIVE_REFRESH_WINDOW_MS = 5_000;

/**
 * Whether a list predates the reader's last action (sent at `actionSentAt`, 0 for none), so that a fresher one is
 * on its way. The recommender stamps `generatedAt` after it reads the events, so a list made from the action is
 * always newer than the moment it was sent (on one clock; a skewed device clock only makes it poll longer). A
 * provisional list (made on the spot before the recommender wrote one) is outdated whatever its time.
 */
export function isOutdated(
  list: { generatedAt: string; provisional?: true | undefined } | undefined,
  actionSentAt: number,
): boolean {
  if (!list || actionSentAt <= 0) return false;
  if (list.provisional) return true;
  const generatedAt = Date.parse(list.generatedAt);
  return Number.isNaN(generatedAt) || generatedAt < actionSentAt;
}

/** The `refetchInterval` of "For you": poll while the list is outdated, for at most the window after the action. */
export function liveRefreshInterval(
  list: { generatedAt: string; provisional?: true | undefined } | undefined,
  actionSentAt: number,
  now: number,
): number | false {
  if (!isOutdated(list, actionSentAt)) return false;
  return now - actionSentAt <= LIVE_REFRESH_WINDOW_MS ? LIVE_REFRESH_INTERVAL_MS : false;
}
