import { describe, expect, it } from 'vitest';
import { cooccurrence, ease, easeWeights, invertSymmetricPositiveDefinite } from '../src/baselines/ease';
import { itemKnn } from '../src/baselines/item-knn';
import { mostPop } from '../src/baselines/most-pop';
import type { EvaluationCase } from '../src/evaluation/protocol';

/** Three readers over three books: {0, 1}, {0, 1}, {1, 2}. XᵀX = [[2,2,0],[2,3,1],[0,1,1]]. */
const readers = [Int32Array.of(0, 1), Int32Array.of(1, 0), Int32Array.of(1, 2)];

function inputOf(...items: number[]): EvaluationCase {
  return {
    userId: 'u',
    items: Int32Array.from(items),
    events: new Int32Array(items.length),
    ratings: new Int32Array(items.length),
    target: 0,
  };
}

describe('EASE', () => {
  it('computes B = I − P·diag(1/diag P) with P = (XᵀX + λI)⁻¹, by hand for λ = 1', () => {
    // Prepare: XᵀX + I = [[3,2,0],[2,4,1],[0,1,2]], det 13, P = [[7,−4,2],[−4,6,−3],[2,−3,8]] / 13.
    const gram = cooccurrence(readers, 3);

    // Act
    const weights = easeWeights(gram, 3, 1);

    // Assess: B[i][j] = −P[i][j] / P[j][j], zero diagonal.
    const expected = [0, 4 / 6, -2 / 8, 4 / 7, 0, 3 / 8, -2 / 7, 3 / 6, 0];
    expect(Array.from(gram)).toEqual([2, 2, 0, 2, 3, 1, 0, 1, 1]);
    Array.from(weights).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 12));
  });

  it('scores a book by the sum of the input books’ rows', async () => {
    // Act
    const scores = await ease(readers, 3, 1).score([inputOf(0, 2)]);

    // Assess
    expect(scores[1]).toBeCloseTo(4 / 6 + 3 / 6, 12);
  });

  it('inverts a symmetric positive-definite matrix', () => {
    // Prepare
    const matrix = Float64Array.of(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2);
    const original = Float64Array.from(matrix);

    // Act
    const inverse = invertSymmetricPositiveDefinite(matrix, 3);

    // Assess: A · A⁻¹ = I.
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += original[i * 3 + k]! * inverse[k * 3 + j]!;
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });
});

describe('ItemKNN', () => {
  it('sums cosine similarities to the input books', async () => {
    // Act: cos(0,1) = 2/√6, cos(1,2) = 1/√3, cos(0,2) = 0.
    const [score0, score1, score2] = await itemKnn(readers, 3).score([inputOf(1)]);

    // Assess
    expect(score0).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(score1).toBe(0);
    expect(score2).toBeCloseTo(1 / Math.sqrt(3), 12);
  });
});

describe('MostPop', () => {
  it('scores every book by how many readers read it, whatever the input', async () => {
    // Act
    const scores = await mostPop(readers, 3).score([inputOf(0), inputOf(2)]);

    // Assess
    expect(Array.from(scores)).toEqual([2, 3, 1, 2, 3, 1]);
  });
});
