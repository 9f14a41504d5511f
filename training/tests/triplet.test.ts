import { describe, expect, it } from 'vitest';
import { knnAccuracy } from '../src/embeddings/knn';
import {
  initialProjection,
  mineSemiHard,
  projectAll,
  trainProjection,
  tripletLossAndGradient,
  type Triplet,
} from '../src/embeddings/triplet';
import { createRandom } from '../src/util/random';
import { worstRelativeError } from './support/finite-difference';

/** `count` books in `tags` groups: the tag adds 1 to 3 of `dimension` features, all of which carry unit noise. */
function clusteredBooks(count: number, tags: number, dimension: number, seed: number) {
  const random = createRandom(seed);
  const features = new Float64Array(count * dimension);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const tag = i % tags;
    labels[i] = tag;
    for (let c = 0; c < dimension; c++) features[i * dimension + c] = random.normal();
    for (let c = 0; c < 3; c++) features[i * dimension + tag * 3 + c]! += 1;
  }
  return { features, labels };
}

function rowsOf(matrix: Float64Array, width: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, i) => out.set(matrix.subarray(row * width, (row + 1) * width), i * width));
  return out;
}

describe('tripletLossAndGradient', () => {
  it('matches finite differences through the L2 normalisation', async () => {
    // Prepare: a margin large enough that every triplet is active (no hinge kink near the point).
    const random = createRandom(4);
    const projection = initialProjection(6, 3, random);
    const features = Float64Array.from({ length: 5 * 6 }, () => random.normal());
    const triplets: Triplet[] = [
      { anchor: 0, positive: 1, negative: 2 },
      { anchor: 3, positive: 4, negative: 0 },
      { anchor: 1, positive: 0, negative: 4 },
    ];
    const { gradient, active } = tripletLossAndGradient(projection, features, triplets, 4);

    // Act
    const error = await worstRelativeError(
      projection.weights,
      gradient,
      () => tripletLossAndGradient(projection, features, triplets, 4).loss,
    );

    // Assess
    expect(active).toBe(3);
    expect(error).toBeLessThan(1e-6);
  });
});

describe('mineSemiHard', () => {
  it('picks the closest negative farther than the positive within the margin, else the farthest', () => {
    // Prepare: unit vectors at 0° (anchor, tag 0), 30° (positive, tag 0), 35°, 90° and 10° (tag 1).
    const angles = [0, 30, 35, 90, 10].map((degrees) => (degrees * Math.PI) / 180);
    const outputs = Float64Array.from(angles.flatMap((angle) => [Math.cos(angle), Math.sin(angle)]));
    const labels = Int32Array.of(0, 0, 1, 1, 1);

    // Act
    const triplets = mineSemiHard(outputs, 2, [0, 1, 2, 3, 4], labels, 0.2);

    // Assess: from 0°, 35° is semi-hard (d = 0.36 in (0.27, 0.47)); from 30° none is, so the farthest (90°).
    expect(triplets.filter((triplet) => triplet.anchor < 2)).toEqual([
      { anchor: 0, positive: 1, negative: 2 },
      { anchor: 1, positive: 0, negative: 3 },
    ]);
  });
});

describe('trainProjection', () => {
  it('clusters held-out books by tag better than the raw features do', () => {
    // Prepare: train on 240 books, judge on 120 others.
    const { features, labels } = clusteredBooks(360, 4, 40, 8);
    const trainLabels = Int32Array.from(labels, (label, i) => (i < 240 ? label : -1));
    const heldOut = Array.from({ length: 120 }, (_, i) => 240 + i);
    const heldOutLabels = Int32Array.from(heldOut, (i) => labels[i]!);
    const before = knnAccuracy(rowsOf(features, 40, heldOut), 40, heldOutLabels, 5);

    // Act
    const { projection } = trainProjection(
      { features, inputDimension: 40, labels: trainLabels },
      { outputDimension: 8, steps: 150, tagsPerBatch: 4, booksPerTag: 8, seed: 2 },
    );
    const after = knnAccuracy(rowsOf(projectAll(projection, features), 8, heldOut), 8, heldOutLabels, 5);

    // Assess
    expect(after).toBeGreaterThan(before + 0.1);
  });

  it('gives the same projection for the same seed', () => {
    // Prepare
    const { features, labels } = clusteredBooks(60, 3, 12, 1);
    const data = { features, inputDimension: 12, labels };

    // Act
    const first = trainProjection(data, { outputDimension: 4, steps: 20, seed: 9 });
    const second = trainProjection(data, { outputDimension: 4, steps: 20, seed: 9 });

    // Assess
    expect(first.projection.weights).toEqual(second.projection.weights);
    expect(first.losses).toEqual(second.losses);
  });
});

describe('knnAccuracy', () => {
  it('predicts each labelled vector from its nearest labelled neighbours, ignoring unlabelled ones', () => {
    // Prepare: two tight pairs on opposite sides, an unlabelled vector beside book 0, and book 5 (tag 0) near tag 1.
    const vectors = Float64Array.of(1, 0, 0.9, 0.1, -1, 0, -0.95, -0.02, 1, 0.05, -0.8, 0.6);
    const labels = Int32Array.of(0, 0, 1, 1, -1, 0);

    // Act
    const accuracy = knnAccuracy(vectors, 2, labels, 1);

    // Assess: books 0–3 are right, book 5 (label 0 among the label-1 pair) is wrong.
    expect(accuracy).toBeCloseTo(4 / 5, 12);
  });
});
