/**
 * Ranking metrics of one target among the catalogue minus the input books, and 95% bootstrap confidence intervals
 * over readers.
 *
 * rank r (0 = first): the number of candidate books scored above the target, ties broken by catalogue order (as a
 * stable top-K would). NDCG@10 = 1/log2(r + 2) if r < 10 (one relevant book, so the ideal DCG is 1);
 * Recall@10 = [r < 10]; MRR = 1/(r + 1) (the full reciprocal rank, no cut-off); coverage@10 = distinct books in all
 * top-10 lists / catalogue size.
 */
import { createRandom } from '../util/random';

export interface CaseOutcome {
  readonly rank: number;
  readonly topK: Int32Array;
}

export const cutoff = 10;

/** Rank of `target` and the top-`k` books of one score row, skipping the `excluded` books. */
export function rankOutcome(scores: Float64Array, target: number, excluded: Int32Array, k = cutoff): CaseOutcome {
  const skip = new Set(excluded);
  const targetScore = scores[target]!;
  let rank = 0;
  const top: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (skip.has(i) || i === target) continue;
    const score = scores[i]!;
    if (score > targetScore || (score === targetScore && i < target)) rank++;
  }
  for (let i = 0; i < scores.length; i++) {
    if (skip.has(i)) continue;
    const score = scores[i]!;
    if (top.length === k && score <= scores[top[k - 1]!]!) continue;
    let j = top.length === k ? k - 1 : top.length;
    if (top.length < k) top.push(i);
    while (j > 0 && score > scores[top[j - 1]!]!) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = i;
  }
  return { rank, topK: Int32Array.from(top) };
}

export interface MetricSummary {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface ModelMetrics {
  readonly ndcg: MetricSummary;
  readonly recall: MetricSummary;
  readonly mrr: MetricSummary;
  readonly coverage: MetricSummary;
  readonly readers: number;
}

export function ndcgAt(rank: number, k = cutoff): number {
  return rank < k ? 1 / Math.log2(rank + 2) : 0;
}

/** Point estimates and 95% percentile-bootstrap intervals (readers resampled with replacement, seeded). */
export function summarise(
  outcomes: readonly CaseOutcome[],
  catalogueSize: number,
  options: { resamples?: number; seed?: number } = {},
): ModelMetrics {
  const { resamples = 1000, seed = 17 } = options;
  const count = outcomes.length;
  const ndcg = Float64Array.from(outcomes, (o) => ndcgAt(o.rank));
  const recall = Float64Array.from(outcomes, (o) => (o.rank < cutoff ? 1 : 0));
  const mrr = Float64Array.from(outcomes, (o) => 1 / (o.rank + 1));
  const coverageOf = (indices: ArrayLike<number>) => {
    const seen = new Uint8Array(catalogueSize);
    let distinct = 0;
    for (let i = 0; i < indices.length; i++) {
      for (const book of outcomes[indices[i]!]!.topK) {
        if (!seen[book]) {
          seen[book] = 1;
          distinct++;
        }
      }
    }
    return distinct / catalogueSize;
  };
  const mean = (values: Float64Array, indices?: Int32Array) => {
    let sum = 0;
    if (!indices) for (const value of values) sum += value;
    else for (const index of indices) sum += values[index]!;
    return count === 0 ? 0 : sum / count;
  };
  const random = createRandom(seed);
  const samples = { ndcg: [] as number[], recall: [] as number[], mrr: [] as number[], coverage: [] as number[] };
  const indices = new Int32Array(count);
  for (let r = 0; r < resamples && count > 0; r++) {
    for (let i = 0; i < count; i++) indices[i] = random.int(count);
    samples.ndcg.push(mean(ndcg, indices));
    samples.recall.push(mean(recall, indices));
    samples.mrr.push(mean(mrr, indices));
    samples.coverage.push(coverageOf(indices));
  }
  const summary = (value: number, values: number[], shift = 0): MetricSummary => {
    const sorted = values.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))] ?? value;
    return { value, low: at(0.025) + shift, high: at(0.975) + shift };
  };
  // Coverage is a property of the set of readers, not a mean: a resample holds only ~63% distinct readers and so
  // covers less. Its percentile interval is shifted by the bootstrap bias (estimate − mean of the resamples).
  const coverage = coverageOf(Int32Array.from({ length: count }, (_, i) => i));
  const coverageBias =
    samples.coverage.length > 0
      ? coverage - samples.coverage.reduce((sum, value) => sum + value, 0) / samples.coverage.length
      : 0;
  return {
    ndcg: summary(mean(ndcg), samples.ndcg),
    recall: summary(mean(recall), samples.recall),
    mrr: summary(mean(mrr), samples.mrr),
    coverage: summary(coverage, samples.coverage, coverageBias),
    readers: count,
  };
}
