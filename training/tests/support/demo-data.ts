/** Simulated readers over the demo catalogue, encoded for the policy, with small model settings for fast tests. */
import { readDemoCatalogue, type DemoBook } from '../../src/data/demo-catalogue';
import type { Interaction } from '../../src/data/interactions';
import { simulateReaders } from '../../src/data/simulate-readers';
import { normaliseRows } from '../../src/util/linalg';
import { createRandom } from '../../src/util/random';

export const smallPolicy = { historyLength: 20, hiddenDimension: 32, batchSize: 128, learningRate: 0.01 } as const;
export const smallDimension = 16;

let books: DemoBook[] | undefined;

export async function demoBooks(): Promise<DemoBook[]> {
  books ??= await readDemoCatalogue();
  return books;
}

/** Simulated interactions whose reader ids start with `prefix` (so two simulations never share a reader). */
export async function simulated(readers: number, seed: number, prefix = 'r'): Promise<Interaction[]> {
  return simulateReaders(await demoBooks(), { readers, seed }).map((row) => ({
    ...row,
    userId: `${prefix}-${row.userId}`,
  }));
}

/** Seeded unit base vectors, [books, smallDimension]. */
export function randomBase(count: number, seed: number, dimension = smallDimension): Float64Array {
  const random = createRandom(seed);
  const base = Float64Array.from({ length: count * dimension }, () => random.normal());
  normaliseRows(base, count, dimension);
  return base;
}
