/**
 * Served recommendations as the lake keeps them: a list the recommender wrote becomes one row per listed book, with
 * the book's 0-based position, so that an impression (recommendation id, position) finds the row it was shown from.
 */
import type { RecommendationList } from '../../recommendations/domain/recommendation';
import type { ServedRecommendationRow } from '../lake-layout';

export function servedRows(list: RecommendationList): ServedRecommendationRow[] {
  const generatedAt = new Date(list.generatedAt).toISOString();
  return list.items.map((item, position) => ({
    recommendationId: list.recommendationId,
    readerId: list.readerId,
    modelVersion: list.modelVersion,
    strategy: list.strategy,
    position,
    bookId: item.bookId,
    generatedAt,
  }));
}
