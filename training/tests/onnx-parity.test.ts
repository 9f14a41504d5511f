import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { policyToOnnx } from '../src/export/onnx-policy';
import { encode, itemTables, policyLogits, type PolicyConfig } from '../src/policy/model';
import { randomHistories, randomModel } from './support/random-model';

const config: PolicyConfig = {
  itemCount: 40,
  dimension: 8,
  historyLength: 6,
  hiddenDimension: 12,
  heads: 2,
  eventTypeCount: 5,
  ratingLevels: 6,
};
const topK = 10;

/** The training code's own ranking: logits of every book, best `k` (ties: lower index first, as ONNX TopK). */
function topOf(logits: Float64Array, row: number, n: number, k: number): { items: number[]; scores: number[] } {
  const items = Array.from({ length: n }, (_, i) => i)
    .filter((i) => logits[row * n + i]! > -Infinity)
    .sort((a, b) => logits[row * n + b]! - logits[row * n + a]! || a - b)
    .slice(0, k);
  return { items, scores: items.map((i) => logits[row * n + i]!) };
}

describe('ONNX export', () => {
  it("matches the training code's forward pass within 1e-4 on random histories", async () => {
    // Prepare
    const model = randomModel(config, 11);
    const batch = randomHistories(config, 32, 12);
    const tables = await itemTables(model);
    const { state } = await encode(model, batch, tables);
    const logits = await policyLogits(model, state, batch, tables);
    const session = await ort.InferenceSession.create(await policyToOnnx(model, topK));
    const shape = [batch.size, config.historyLength];

    // Act
    const result = await session.run({
      history_items: new ort.Tensor('int64', BigInt64Array.from(batch.items, BigInt), shape),
      history_events: new ort.Tensor('int64', BigInt64Array.from(batch.events, BigInt), shape),
      history_ratings: new ort.Tensor('int64', BigInt64Array.from(batch.ratings, BigInt), shape),
      history_mask: new ort.Tensor('float32', Float32Array.from(batch.mask), shape),
    });

    // Assess
    const items = Array.from(result.top_items!.data as BigInt64Array, Number);
    const scores = Array.from(result.top_scores!.data as Float32Array);
    expect(result.top_items!.dims).toEqual([batch.size, topK]);
    const userState = result.user_state!.data as Float32Array;
    expect(result.user_state!.dims).toEqual([batch.size, config.dimension]);
    state.forEach((value, i) => expect(Math.abs(userState[i]! - value)).toBeLessThan(1e-4));
    for (let row = 0; row < batch.size; row++) {
      const expected = topOf(logits, row, config.itemCount, topK);
      const actualScores = scores.slice(row * topK, (row + 1) * topK);
      for (let i = 0; i < topK; i++) expect(Math.abs(actualScores[i]! - expected.scores[i]!)).toBeLessThan(1e-4);
      expect(items.slice(row * topK, (row + 1) * topK)).toEqual(expected.items);
    }
    await session.release();
  });

  it('never returns a book of the history', async () => {
    // Prepare
    const model = randomModel(config, 21);
    const batch = randomHistories(config, 16, 22);
    const session = await ort.InferenceSession.create(await policyToOnnx(model, topK));
    const shape = [batch.size, config.historyLength];

    // Act
    const result = await session.run({
      history_items: new ort.Tensor('int64', BigInt64Array.from(batch.items, BigInt), shape),
      history_events: new ort.Tensor('int64', BigInt64Array.from(batch.events, BigInt), shape),
      history_ratings: new ort.Tensor('int64', BigInt64Array.from(batch.ratings, BigInt), shape),
      history_mask: new ort.Tensor('float32', Float32Array.from(batch.mask), shape),
    });

    // Assess
    const items = Array.from(result.top_items!.data as BigInt64Array, Number);
    for (let row = 0; row < batch.size; row++) {
      const history = new Set<number>();
      for (let j = 0; j < config.historyLength; j++) {
        if (batch.mask[row * config.historyLength + j]) history.add(batch.items[row * config.historyLength + j]!);
      }
      for (const item of items.slice(row * topK, (row + 1) * topK)) expect(history.has(item)).toBe(false);
    }
    await session.release();
  });
});
