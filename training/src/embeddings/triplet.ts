/**
 * Contrastive pretraining of book vectors with a triplet loss (Schroff et al. 2015, FaceNet): a linear projection P
 * (text dimension → `outputDimension`) followed by an L2 norm, trained so that an anchor is closer to a positive (a
 * book that shares its top tag) than to a negative (one that does not) by `margin`. Negatives are mined semi-hard
 * inside each batch: farther than the positive but within the margin; where there is none, the farthest negative
 * (as TensorFlow Addons' `triplet_semihard_loss` does). Batches hold `tagsPerBatch` tags × `booksPerTag` books.
 *
 * `trainProjection(data, options)` is pure and seeded; the gradient is derived by hand (`tripletLossAndGradient`) and
 * checked against finite differences in the tests.
 */
import { Adam } from '../util/adam';
import { addMatMulTransB } from '../util/linalg';
import { createRandom, shuffleInPlace, type Random } from '../util/random';

export interface TripletData {
  /** Text vectors, row-major [count, inputDimension]. */
  readonly features: Float64Array;
  readonly inputDimension: number;
  /** Top tag of each book (an index into the tag list), or -1 when it has none (then it is never a triplet member). */
  readonly labels: Int32Array;
}

export interface TripletOptions {
  readonly outputDimension: number;
  readonly margin: number;
  readonly steps: number;
  readonly tagsPerBatch: number;
  readonly booksPerTag: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Called after every step (progress, loss curves). */
  readonly onStep?: (progress: TripletProgress) => void;
}

export interface TripletProgress {
  readonly step: number;
  readonly loss: number;
  /** Triplets with a non-zero loss in the batch. */
  readonly activeTriplets: number;
}

export const tripletDefaults: Omit<TripletOptions, 'onStep'> = {
  outputDimension: 64,
  margin: 0.2,
  steps: 400,
  tagsPerBatch: 16,
  booksPerTag: 4,
  learningRate: 0.01,
  seed: 1,
};

/** The learned projection: `project` gives the unit output vector of a text vector. */
export interface Projection {
  readonly inputDimension: number;
  readonly outputDimension: number;
  /** Row-major [outputDimension, inputDimension]. */
  readonly weights: Float64Array;
}

export interface TripletResult {
  readonly projection: Projection;
  readonly losses: readonly number[];
}

export interface Triplet {
  readonly anchor: number;
  readonly positive: number;
  readonly negative: number;
}

export function trainProjection(data: TripletData, options: Partial<TripletOptions> = {}): TripletResult {
  const settings = { ...tripletDefaults, ...options };
  const random = createRandom(settings.seed);
  const projection = initialProjection(data.inputDimension, settings.outputDimension, random);
  const params = { weights: projection.weights };
  const adam = new Adam(params, { learningRate: settings.learningRate });
  const byTag = booksByTag(data.labels);
  const usableTags = [...byTag.keys()].filter((tag) => (byTag.get(tag)?.length ?? 0) >= 2);
  const losses: number[] = [];
  if (usableTags.length < 2) return { projection, losses };

  for (let step = 0; step < settings.steps; step++) {
    const batch = sampleBatch(byTag, usableTags, settings.tagsPerBatch, settings.booksPerTag, random);
    const outputs = projectRows(projection, data.features, batch);
    const triplets = mineSemiHard(outputs, settings.outputDimension, batch, data.labels, settings.margin);
    const { loss, gradient, active } = tripletLossAndGradient(projection, data.features, triplets, settings.margin);
    losses.push(loss);
    adam.step({ weights: gradient });
    settings.onStep?.({ step, loss, activeTriplets: active });
  }
  return { projection, losses };
}

/** A Gaussian random projection scaled so output norms are about those of the inputs (Johnson–Lindenstrauss). */
export function initialProjection(inputDimension: number, outputDimension: number, random: Random): Projection {
  const weights = new Float64Array(outputDimension * inputDimension);
  const scale = 1 / Math.sqrt(outputDimension);
  for (let i = 0; i < weights.length; i++) weights[i] = random.normal() * scale;
  return { inputDimension, outputDimension, weights };
}

/** Unit output vectors of all rows of `features` (row-major [rows, outputDimension]). */
export function projectAll(projection: Projection, features: Float64Array): Float64Array {
  const rows = features.length / projection.inputDimension;
  return projectRows(
    projection,
    features,
    Array.from({ length: rows }, (_, i) => i),
  );
}

function projectRows(projection: Projection, features: Float64Array, rows: readonly number[]): Float64Array {
  const { inputDimension: din, outputDimension: dout, weights } = projection;
  const out = new Float64Array(rows.length * dout);
  rows.forEach((row, r) => {
    const x = features.subarray(row * din, (row + 1) * din);
    const y = out.subarray(r * dout, (r + 1) * dout);
    addMatMulTransB(y, x, weights, 1, din, dout);
    unitInPlace(y);
  });
  return out;
}

function unitInPlace(vector: Float64Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return norm;
}

/**
 * Mean triplet loss max(0, ‖f(a) − f(p)‖² − ‖f(a) − f(n)‖² + margin) with f(x) = Px / ‖Px‖, and its gradient
 * with respect to P. For unit vectors ‖u − v‖² = 2 − 2u·v, so the loss is max(0, 2f(a)·f(n) − 2f(a)·f(p) + margin);
 * ∂/∂f(a) = 2(f(n) − f(p)), ∂/∂f(p) = −2f(a), ∂/∂f(n) = 2f(a); through the norm, ∂/∂y = (I − f fᵀ)/‖y‖ · ∂/∂f;
 * and ∂/∂P = Σ ∂/∂y · xᵀ.
 */
export function tripletLossAndGradient(
  projection: Projection,
  features: Float64Array,
  triplets: readonly Triplet[],
  margin: number,
): { loss: number; gradient: Float64Array; active: number } {
  const { inputDimension: din, outputDimension: dout, weights } = projection;
  const gradient = new Float64Array(weights.length);
  if (triplets.length === 0) return { loss: 0, gradient, active: 0 };
  const rows = [...new Set(triplets.flatMap((t) => [t.anchor, t.positive, t.negative]))];
  const slot = new Map(rows.map((row, i) => [row, i]));
  const y = new Float64Array(rows.length * dout);
  const norms = new Float64Array(rows.length);
  rows.forEach((row, r) => {
    const target = y.subarray(r * dout, (r + 1) * dout);
    addMatMulTransB(target, features.subarray(row * din, (row + 1) * din), weights, 1, din, dout);
    norms[r] = unitInPlace(target);
  });
  const f = y; // now unit vectors
  const df = new Float64Array(rows.length * dout);
  let loss = 0;
  let active = 0;
  const scale = 1 / triplets.length;
  for (const { anchor, positive, negative } of triplets) {
    const a = slot.get(anchor)! * dout;
    const p = slot.get(positive)! * dout;
    const n = slot.get(negative)! * dout;
    let ap = 0;
    let an = 0;
    for (let c = 0; c < dout; c++) {
      ap += f[a + c]! * f[p + c]!;
      an += f[a + c]! * f[n + c]!;
    }
    const value = 2 * an - 2 * ap + margin;
    if (value <= 0) continue;
    loss += value * scale;
    active++;
    for (let c = 0; c < dout; c++) {
      df[a + c]! += 2 * (f[n + c]! - f[p + c]!) * scale;
      df[p + c]! += -2 * f[a + c]! * scale;
      df[n + c]! += 2 * f[a + c]! * scale;
    }
  }
  rows.forEach((row, r) => {
    if (norms[r] === 0) return;
    const fr = f.subarray(r * dout, (r + 1) * dout);
    const gr = df.subarray(r * dout, (r + 1) * dout);
    let along = 0;
    for (let c = 0; c < dout; c++) along += fr[c]! * gr[c]!;
    const x = features.subarray(row * din, (row + 1) * din);
    for (let c = 0; c < dout; c++) {
      const dy = (gr[c]! - along * fr[c]!) / norms[r]!;
      if (dy === 0) continue;
      const gRow = c * din;
      for (let k = 0; k < din; k++) gradient[gRow + k]! += dy * x[k]!;
    }
  });
  return { loss, gradient, active };
}

/**
 * For every (anchor, positive) pair of the batch, a negative: the closest one farther than the positive but within
 * the margin (semi-hard), else the farthest negative.
 */
export function mineSemiHard(
  outputs: Float64Array,
  dimension: number,
  batch: readonly number[],
  labels: Int32Array,
  margin: number,
): Triplet[] {
  const size = batch.length;
  const distance = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (let c = 0; c < dimension; c++) sum += outputs[i * dimension + c]! * outputs[j * dimension + c]!;
      distance[i * size + j] = 2 - 2 * sum;
    }
  }
  const triplets: Triplet[] = [];
  for (let a = 0; a < size; a++) {
    const labelA = labels[batch[a]!]!;
    for (let p = 0; p < size; p++) {
      if (p === a || labels[batch[p]!] !== labelA) continue;
      const dap = distance[a * size + p]!;
      let semiHard = -1;
      let semiHardDistance = Infinity;
      let farthest = -1;
      let farthestDistance = -Infinity;
      for (let n = 0; n < size; n++) {
        if (labels[batch[n]!] === labelA) continue;
        const dan = distance[a * size + n]!;
        if (dan > dap && dan < dap + margin && dan < semiHardDistance) {
          semiHard = n;
          semiHardDistance = dan;
        }
        if (dan > farthestDistance) {
          farthest = n;
          farthestDistance = dan;
        }
      }
      const negative = semiHard >= 0 ? semiHard : farthest;
      if (negative >= 0) triplets.push({ anchor: batch[a]!, positive: batch[p]!, negative: batch[negative]! });
    }
  }
  return triplets;
}

function booksByTag(labels: Int32Array): Map<number, number[]> {
  const byTag = new Map<number, number[]>();
  labels.forEach((label, book) => {
    if (label < 0) return;
    const books = byTag.get(label) ?? [];
    books.push(book);
    byTag.set(label, books);
  });
  return byTag;
}

function sampleBatch(
  byTag: Map<number, number[]>,
  tags: readonly number[],
  tagsPerBatch: number,
  booksPerTag: number,
  random: Random,
): number[] {
  const chosenTags = [...tags];
  shuffleInPlace(chosenTags, random);
  const batch: number[] = [];
  for (const tag of chosenTags.slice(0, tagsPerBatch)) {
    const books = [...byTag.get(tag)!];
    shuffleInPlace(books, random);
    batch.push(...books.slice(0, booksPerTag));
  }
  return batch;
}
