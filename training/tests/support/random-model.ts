/** Small random policy models and histories for tests. */
import {
  emptyBatch,
  initialParams,
  type HistoryBatch,
  type PolicyConfig,
  type PolicyModel,
} from '../../src/policy/model';
import { createRandom } from '../../src/util/random';

export function randomModel(config: PolicyConfig, seed: number, jitter = 0.3): PolicyModel {
  const random = createRandom(seed);
  const itemBase = Float64Array.from({ length: config.itemCount * config.dimension }, () => random.normal() * 0.5);
  const params = initialParams(config, itemBase, random);
  for (const tensor of Object.values(params)) {
    for (let i = 0; i < tensor.length; i++) tensor[i]! += random.normal() * jitter;
  }
  return { config, itemIds: Array.from({ length: config.itemCount }, (_, i) => `book-${i}`), itemBase, params };
}

/** `size` histories of random lengths (0 to H), random books (repeats allowed), events and ratings. */
export function randomHistories(config: PolicyConfig, size: number, seed: number): HistoryBatch {
  const random = createRandom(seed);
  const batch = emptyBatch(size, config.historyLength);
  for (let row = 0; row < size; row++) {
    const length = row === 0 ? 0 : random.int(config.historyLength + 1);
    for (let j = 0; j < length; j++) {
      const slot = row * config.historyLength + j;
      batch.items[slot] = random.int(config.itemCount);
      batch.events[slot] = random.int(config.eventTypeCount);
      batch.ratings[slot] = random.int(config.ratingLevels);
      batch.mask[slot] = 1;
    }
  }
  return batch;
}
