/** MostPop: every reader gets the books most readers interacted with. */
import type { EvaluationCase } from '../evaluation/protocol';
import type { ReaderItems, Scorer } from './scorer';

export function mostPop(readers: ReaderItems, itemCount: number): Scorer {
  const counts = new Float64Array(itemCount);
  for (const items of readers) for (const item of items) counts[item]!++;
  return {
    name: 'MostPop',
    score(cases: readonly EvaluationCase[]) {
      const scores = new Float64Array(cases.length * itemCount);
      cases.forEach((_, row) => scores.set(counts, row * itemCount));
      return scores;
    },
  };
}
