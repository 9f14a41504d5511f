/**
 * ItemKNN: item-item cosine similarity over the binary reader × book matrix; a book scores the sum of its
 * similarities to the input books (Sarwar et al. 2001; Deshpande & Karypis 2004), keeping each book's `neighbours`
 * most similar books (0 keeps all).
 */
import type { EvaluationCase } from '../evaluation/protocol';
import { cooccurrence } from './ease';
import type { ReaderItems, Scorer } from './scorer';

export function itemKnn(readers: ReaderItems, itemCount: number, neighbours = 0): Scorer {
  const gram = cooccurrence(readers, itemCount);
  const similarity = new Float64Array(itemCount * itemCount);
  for (let i = 0; i < itemCount; i++) {
    for (let j = 0; j < itemCount; j++) {
      if (i === j) continue;
      const denominator = Math.sqrt(gram[i * itemCount + i]! * gram[j * itemCount + j]!);
      similarity[i * itemCount + j] = denominator > 0 ? gram[i * itemCount + j]! / denominator : 0;
    }
    if (neighbours > 0 && neighbours < itemCount - 1) {
      const row = similarity.subarray(i * itemCount, (i + 1) * itemCount);
      const threshold = [...row].sort((a, b) => b - a)[neighbours - 1]!;
      let kept = 0;
      for (let j = 0; j < itemCount; j++) {
        if (row[j]! >= threshold && kept < neighbours) kept++;
        else row[j] = 0;
      }
    }
  }
  return {
    name: 'ItemKNN',
    score(cases: readonly EvaluationCase[]) {
      const scores = new Float64Array(cases.length * itemCount);
      cases.forEach((input, row) => {
        const out = scores.subarray(row * itemCount, (row + 1) * itemCount);
        for (const item of new Set(input.items)) {
          const sims = similarity.subarray(item * itemCount, (item + 1) * itemCount);
          for (let j = 0; j < itemCount; j++) out[j]! += sims[j]!;
        }
      });
      return scores;
    },
  };
}
