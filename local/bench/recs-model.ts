/**
 * Policy models for the recommendations benchmark: the real architecture with training's default dimensions
 * (dimension 64, history 50, hidden 128, 2 heads, the 1,024-d offline embedder's projection), randomly initialised
 * through training's own `initialParams` and written by training's own `exportModel`. Timing does not depend on the
 * weights' values, so no training is needed; the output says so.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportModel, servingTopK } from '@shelfwise/training/export/export-model';
import { initialProjection } from '@shelfwise/training/embeddings/triplet';
import { initialParams, type PolicyConfig, type PolicyModel } from '@shelfwise/training/policy/model';
import { policyConfig, policyDefaults } from '@shelfwise/training/policy/train-policy';
import { recommenderDefaults } from '@shelfwise/training/pipeline/train-recommender';
import { createRandom } from '@shelfwise/training/util/random';

export interface BenchModel {
  readonly directory: string;
  readonly version: string;
  readonly config: PolicyConfig;
}

/** Exports a randomly initialised policy over `itemIds` into a fresh temporary folder. */
export async function exportRandomModel(itemIds: readonly string[], version: string, seed = 1): Promise<BenchModel> {
  const random = createRandom(seed);
  const { dimension, embedder } = recommenderDefaults;
  // Unit base vectors, as training's projection gives them.
  const itemBase = new Float64Array(itemIds.length * dimension);
  for (let i = 0; i < itemIds.length; i++) {
    let norm = 0;
    for (let j = 0; j < dimension; j++) {
      const value = random.normal();
      itemBase[i * dimension + j] = value;
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dimension; j++) itemBase[i * dimension + j]! /= norm;
  }
  const config = policyConfig({ itemIds, itemBase, dimension, sequences: [] }, policyDefaults);
  const model: PolicyModel = {
    config,
    itemIds: [...itemIds],
    itemBase,
    params: initialParams(config, itemBase, random),
  };
  const projection = initialProjection(embedder.dimension, dimension, random);
  const directory = await mkdtemp(path.join(tmpdir(), `shelfwise-bench-${version}-`));
  await exportModel(
    directory,
    { model, projection },
    {
      version,
      createdAt: new Date().toISOString(),
      topK: servingTopK,
      embedder: { modelId: embedder.modelId, dimension: embedder.dimension },
      trainingData: {
        source: 'none: randomly initialised weights (benchmark)',
        interactions: 0,
        readers: 0,
        from: 'none',
        to: 'none',
      },
      metrics: {},
      training: { randomlyInitialised: true, seed },
    },
  );
  return { directory, version, config };
}
