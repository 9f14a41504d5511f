/**
 * Retraining data: the new interactions plus a sample of the old ones, so that a warm-started model keeps what it
 * knew (Chen et al. retrain continuously on fresh logs; replaying a sample of older logs guards against forgetting).
 * Old readers are sampled whole, by a seeded hash of their id, and their rows come first (they are older).
 */
import type { Interaction } from '../data/interactions';
import { hashString } from '../util/random';

export interface RetrainingOptions {
  /** Share of old readers replayed (default 0.3). */
  readonly oldSampleFraction?: number;
  readonly seed?: number;
}

export function retrainingInteractions(
  old: readonly Interaction[],
  fresh: readonly Interaction[],
  options: RetrainingOptions = {},
): Interaction[] {
  const { oldSampleFraction = 0.3, seed = 1 } = options;
  const sampled = old.filter((interaction) => hashString(interaction.userId, seed) / 4294967296 < oldSampleFraction);
  return [...sampled, ...fresh];
}
