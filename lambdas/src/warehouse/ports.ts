/** What the warehouse needs from the outside world. Adapters: S3 (the lake bucket). */
import type { RecommendationList } from '../recommendations/domain/recommendation';

/** Keeps every served recommendation list in the lake (`raw/recommendations/…`). */
export interface ServedRecommendationsArchive {
  archive(lists: readonly RecommendationList[]): Promise<void>;
}
