/**
 * Rewards from feedback: a high rating, a finish or a borrow is good; a low rating or a dismissal is bad. An event
 * with a star rating is rewarded by its rating; one without by its type.
 */
import type { EventType } from '../data/interactions';

export interface RewardTable {
  /** Reward of 1 to 5 stars (index 0 is unused). */
  readonly rating: readonly [number, number, number, number, number, number];
  /** Reward of an event without a rating. */
  readonly event: Readonly<Record<EventType, number>>;
}

export const defaultRewards: RewardTable = {
  rating: [0, -0.5, -0.2, 0.3, 0.8, 1],
  event: { rate: 0, borrow: 0.5, finish: 1, dismiss: -0.5, view: 0.1 },
};

export function reward(table: RewardTable, event: EventType, rating: number): number {
  if (event === 'dismiss') return table.event.dismiss;
  if (rating >= 1 && rating <= 5) return table.rating[rating]!;
  return table.event[event];
}
