import { describe, expect, it } from 'vitest';

import {
  LIVE_REFRESH_INTERVAL_MS,
  isOutdated,
  liveRefreshInterval,
} from '../../src/features/recommendations/utils/live-refresh';
import { reasonText } from '../../src/features/recommendations/utils/reason';

const actedAt = Date.parse('2026-03-01T10:00:00Z');
const before = { generatedAt: '2026-03-01T09:59:59.500Z' };
const after = { generatedAt: '2026-03-01T10:00:00.300Z' };

describe('live refresh of "For you"', () => {
  it('calls a list made before the last action outdated', () => {
    expect(isOutdated(before, actedAt)).toBe(true);
    expect(isOutdated(after, actedAt)).toBe(false);
    expect(isOutdated(before, 0)).toBe(false);
    expect(isOutdated(undefined, actedAt)).toBe(false);
  });

  it('calls a provisional list (made on the spot before the recommender wrote one) outdated after an action', () => {
    expect(isOutdated({ ...after, provisional: true }, actedAt)).toBe(true);
    expect(isOutdated({ ...after, provisional: true }, 0)).toBe(false);
  });

  it('polls while the list is outdated, for at most 5 s after the action', () => {
    expect(liveRefreshInterval(before, actedAt, actedAt + 100)).toBe(LIVE_REFRESH_INTERVAL_MS);
    expect(liveRefreshInterval(before, actedAt, actedAt + 5_000)).toBe(LIVE_REFRESH_INTERVAL_MS);
    expect(liveRefreshInterval(before, actedAt, actedAt + 5_001)).toBe(false);
    expect(liveRefreshInterval(after, actedAt, actedAt + 100)).toBe(false);
  });
});

describe('reasonText', () => {
  it('says why a book is recommended', () => {
    const because = { id: '7', title: 'Dune' };
    expect(reasonText({ kind: 'policy', becauseBookId: '7', because })).toBe('Because you read Dune');
    expect(reasonText({ kind: 'policy' })).toBe('Picked for you');
    expect(reasonText({ kind: 'similar', becauseBookId: '7', because })).toBe('Like Dune');
    expect(reasonText({ kind: 'same-author', becauseBookId: '7', because })).toBe('By the author of Dune');
    expect(reasonText({ kind: 'popular' })).toBe('Popular in the library');
  });
});
