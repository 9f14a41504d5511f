import { describe, expect, it } from 'vitest';
import { ndcgAt, rankOutcome, summarise } from '../src/evaluation/metrics';
import { formatTable, relativeNdcg } from '../src/evaluation/table';

describe('rankOutcome', () => {
  it('counts the candidates scored above the target, leaving out the input books', () => {
    // Prepare: book 1 scores highest but is an input book.
    const scores = Float64Array.of(0.1, 0.9, 0.5, 0.7);

    // Act
    const outcome = rankOutcome(scores, 2, Int32Array.of(1), 2);

    // Assess
    expect(outcome.rank).toBe(1);
    expect(Array.from(outcome.topK)).toEqual([3, 2]);
  });

  it('breaks ties by catalogue order, as a stable top-K does', () => {
    // Act
    const outcome = rankOutcome(Float64Array.of(0.5, 0.5, 0.5), 1, new Int32Array(0), 3);

    // Assess
    expect(outcome.rank).toBe(1);
    expect(Array.from(outcome.topK)).toEqual([0, 1, 2]);
  });
});

describe('summarise', () => {
  it('averages NDCG@10, Recall@10 and MRR over readers and counts distinct recommended books', () => {
    // Prepare: ranks 0, 1 and 20; top lists cover books 0–3 of 8.
    const outcomes = [
      { rank: 0, topK: Int32Array.of(0, 1) },
      { rank: 1, topK: Int32Array.of(1, 2) },
      { rank: 20, topK: Int32Array.of(3, 0) },
    ];

    // Act
    const metrics = summarise(outcomes, 8, { resamples: 200, seed: 3 });

    // Assess
    expect(ndcgAt(0)).toBe(1);
    expect(ndcgAt(1)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgAt(10)).toBe(0);
    expect(metrics.ndcg.value).toBeCloseTo((1 + 1 / Math.log2(3)) / 3, 12);
    expect(metrics.recall.value).toBeCloseTo(2 / 3, 12);
    expect(metrics.mrr.value).toBeCloseTo((1 + 1 / 2 + 1 / 21) / 3, 12);
    expect(metrics.coverage.value).toBe(4 / 8);
    expect(metrics.readers).toBe(3);
    expect(metrics.ndcg.low).toBeLessThanOrEqual(metrics.ndcg.value);
    expect(metrics.ndcg.high).toBeGreaterThanOrEqual(metrics.ndcg.value);
  });

  it('gives the same intervals for the same seed', () => {
    // Prepare
    const outcomes = Array.from({ length: 50 }, (_, i) => ({ rank: i % 13, topK: Int32Array.of(i % 7) }));

    // Act
    const first = summarise(outcomes, 10, { seed: 5 });
    const second = summarise(outcomes, 10, { seed: 5 });

    // Assess
    expect(first).toEqual(second);
  });
});

describe('formatTable', () => {
  it('prints one Markdown row per model with intervals, and the relative NDCG gain', () => {
    // Prepare
    const metric = (value: number) => ({ value, low: value - 0.01, high: value + 0.01 });
    const row = (model: string, ndcg: number) => ({
      model,
      metrics: { ndcg: metric(ndcg), recall: metric(0.5), mrr: metric(0.25), coverage: metric(0.1), readers: 9 },
    });
    const rows = [row('EASE (λ=50)', 0.2), row('Policy (REINFORCE)', 0.23)];

    // Act
    const table = formatTable(rows);

    // Assess
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toContain('| Policy (REINFORCE) | 0.2300 [0.2200, 0.2400] | 0.5000 [0.4900, 0.5100] |');
    expect(relativeNdcg(rows, 'Policy', 'EASE')).toBeCloseTo(15, 10);
  });
});
