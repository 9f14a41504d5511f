/** Scores every case with a scorer and summarises the ranks. */
import type { Scorer } from '../baselines/scorer';
import { ndcgAt, rankOutcome, summarise, type CaseOutcome, type ModelMetrics } from './metrics';
import type { EvaluationCase } from './protocol';

export async function outcomesOf(
  scorer: Scorer,
  cases: readonly EvaluationCase[],
  itemCount: number,
  chunk = 512,
): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (let from = 0; from < cases.length; from += chunk) {
    const part = cases.slice(from, from + chunk);
    const scores = await scorer.score(part);
    part.forEach((input, row) => {
      outcomes.push(rankOutcome(scores.subarray(row * itemCount, (row + 1) * itemCount), input.target, input.items));
    });
  }
  return outcomes;
}

/** Mean NDCG@10 only (model selection on validation readers). */
export async function meanNdcg(scorer: Scorer, cases: readonly EvaluationCase[], itemCount: number): Promise<number> {
  const outcomes = await outcomesOf(scorer, cases, itemCount);
  let sum = 0;
  for (const { rank } of outcomes) sum += ndcgAt(rank);
  return outcomes.length === 0 ? 0 : sum / outcomes.length;
}

export async function evaluateScorer(
  scorer: Scorer,
  cases: readonly EvaluationCase[],
  itemCount: number,
  options: { resamples?: number; seed?: number } = {},
): Promise<ModelMetrics> {
  return summarise(await outcomesOf(scorer, cases, itemCount), itemCount, options);
}
