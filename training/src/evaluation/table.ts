/** The evaluation table, as Markdown: one row per model, each metric with its 95% bootstrap interval. */
import type { MetricSummary } from './metrics';
import type { EvaluationRow } from './run-evaluation';

export function formatTable(rows: readonly EvaluationRow[]): string {
  const cell = (metric: MetricSummary) =>
    `${metric.value.toFixed(4)} [${metric.low.toFixed(4)}, ${metric.high.toFixed(4)}]`;
  const lines = [
    '| model | NDCG@10 | Recall@10 | MRR | coverage@10 |',
    '|---|---|---|---|---|',
    ...rows.map(
      ({ model, metrics }) =>
        `| ${model} | ${cell(metrics.ndcg)} | ${cell(metrics.recall)} | ${cell(metrics.mrr)} | ${cell(metrics.coverage)} |`,
    ),
  ];
  return lines.join('\n');
}

/** Relative NDCG@10 difference of `model` over `baseline` in percent. */
export function relativeNdcg(rows: readonly EvaluationRow[], model: string, baseline: string): number | undefined {
  const a = rows.find((row) => row.model.startsWith(model))?.metrics.ndcg.value;
  const b = rows.find((row) => row.model.startsWith(baseline))?.metrics.ndcg.value;
  return a === undefined || b === undefined || b === 0 ? undefined : (100 * (a - b)) / b;
}
