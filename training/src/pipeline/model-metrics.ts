/** What the manifest records of an evaluation: the policy's metrics, the baselines' NDCG@10, and how it was trained. */
import type { EvaluationReport } from '../evaluation/run-evaluation';
import type { PolicyTrainingOptions } from '../policy/train-policy';

export function modelMetrics(report: EvaluationReport): Record<string, number> {
  const metrics: Record<string, number> = { testReaders: report.testCases };
  for (const { model, metrics: m } of report.rows) {
    const key = metricPrefix(model);
    if (!key) continue;
    metrics[`${key}NdcgAt10`] = round(m.ndcg.value);
    if (key === 'policy') {
      metrics.policyRecallAt10 = round(m.recall.value);
      metrics.policyMrr = round(m.mrr.value);
      metrics.policyCoverageAt10 = round(m.coverage.value);
    }
  }
  return metrics;
}

export function trainingSummary(
  report: EvaluationReport,
  options: Partial<PolicyTrainingOptions> & { seed: number },
): Record<string, number | string | boolean> {
  const summary: Record<string, number | string | boolean> = {
    seed: options.seed,
    epochsRun: report.policyEpochs.length,
    bestEpoch: report.policyEpoch,
    easeLambda: report.easeLambda,
  };
  for (const [key, value] of Object.entries(options)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') summary[key] = value;
  }
  return summary;
}

/** `policy`, `mostPop`, `itemKnn`, `ease` (variants of the policy are left out of the manifest). */
function metricPrefix(model: string): string | undefined {
  if (model.startsWith('Policy (')) return 'policy';
  if (model.startsWith('MostPop')) return 'mostPop';
  if (model.startsWith('ItemKNN')) return 'itemKnn';
  if (model.startsWith('EASE')) return 'ease';
  return undefined;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
