/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the item-item weight matrix
 *   B = I − P · diagMat(1 / diag(P)),  P = (XᵀX + λI)⁻¹
 * (so diag(B) = 0), and a book scores the sum of B's rows of the input books. λ is chosen on validation readers.
 * The inverse is a Cholesky factorisation in float64, O(N³): fine for hundreds or a few thousand books.
 */
import type { EvaluationCase } from '../evaluation/protocol';
import type { ReaderItems, Scorer } from './scorer';

/** XᵀX of the binary reader × book matrix, [N, N]. */
export function cooccurrence(readers: ReaderItems, itemCount: number): Float64Array {
  const gram = new Float64Array(itemCount * itemCount);
  for (const items of readers) {
    const distinct = [...new Set(items)];
    for (const a of distinct) for (const b of distinct) gram[a * itemCount + b]!++;
  }
  return gram;
}

export function easeWeights(gram: Float64Array, itemCount: number, lambda: number): Float64Array {
  const matrix = Float64Array.from(gram);
  for (let i = 0; i < itemCount; i++) matrix[i * itemCount + i]! += lambda;
  const inverse = invertSymmetricPositiveDefinite(matrix, itemCount);
  const weights = new Float64Array(itemCount * itemCount);
  for (let i = 0; i < itemCount; i++) {
    for (let j = 0; j < itemCount; j++) {
      weights[i * itemCount + j] = i === j ? 0 : -inverse[i * itemCount + j]! / inverse[j * itemCount + j]!;
    }
  }
  return weights;
}

export function ease(readers: ReaderItems, itemCount: number, lambda: number): Scorer {
  const weights = easeWeights(cooccurrence(readers, itemCount), itemCount, lambda);
  return {
    name: 'EASE',
    score(cases: readonly EvaluationCase[]) {
      const scores = new Float64Array(cases.length * itemCount);
      cases.forEach((input, row) => {
        const out = scores.subarray(row * itemCount, (row + 1) * itemCount);
        for (const item of new Set(input.items)) {
          const w = weights.subarray(item * itemCount, (item + 1) * itemCount);
          for (let j = 0; j < itemCount; j++) out[j]! += w[j]!;
        }
      });
      return scores;
    },
  };
}

/** A⁻¹ of a symmetric positive-definite [n, n] matrix through A = LLᵀ (the input is overwritten). */
export function invertSymmetricPositiveDefinite(matrix: Float64Array, n: number): Float64Array {
  const l = matrix; // lower triangle becomes L
  for (let j = 0; j < n; j++) {
    let diagonal = l[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= l[j * n + k]! ** 2;
    if (diagonal <= 0) throw new Error('Matrix is not positive definite');
    const pivot = Math.sqrt(diagonal);
    l[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let sum = l[i * n + j]!;
      const rowI = i * n;
      const rowJ = j * n;
      for (let k = 0; k < j; k++) sum -= l[rowI + k]! * l[rowJ + k]!;
      l[rowI + j] = sum / pivot;
    }
  }
  // L⁻¹ (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹.
  const inverseL = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    inverseL[i * n + i] = 1 / l[i * n + i]!;
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= l[i * n + k]! * inverseL[k * n + j]!;
      inverseL[i * n + j] = sum / l[i * n + i]!;
    }
  }
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += inverseL[k * n + i]! * inverseL[k * n + j]!;
      inverse[i * n + j] = sum;
      inverse[j * n + i] = sum;
    }
  }
  return inverse;
}
