/** The policy as an evaluation `Scorer`: logits of every book for each input history, in batches. */
import type { Scorer } from '../baselines/scorer';
import { typescriptGemm, type Gemm } from '../compute/gemm';
import type { EvaluationCase } from '../evaluation/protocol';
import { emptyBatch, encode, itemTables, policyLogits, type ItemTables, type PolicyModel } from './model';
import { writeHistory } from './sequences';

export function policyScorer(
  model: PolicyModel,
  options: { name?: string; batchSize?: number; gemm?: Gemm } = {},
): Scorer {
  const { name = 'Policy (REINFORCE)', batchSize = 256, gemm = typescriptGemm } = options;
  let tables: ItemTables | undefined;
  const { itemCount: n, historyLength: h } = model.config;
  return {
    name,
    async score(cases: readonly EvaluationCase[]) {
      tables ??= await itemTables(model, gemm);
      const scores = new Float64Array(cases.length * n);
      for (let from = 0; from < cases.length; from += batchSize) {
        const chunk = cases.slice(from, from + batchSize);
        const batch = emptyBatch(chunk.length, h);
        chunk.forEach((input, row) => writeHistory(batch, row, input, input.items.length, h));
        const { state } = await encode(model, batch, tables, gemm);
        scores.set(await policyLogits(model, state, batch, tables, gemm), from * n);
      }
      return scores;
    },
  };
}
