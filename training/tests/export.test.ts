import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initialProjection } from '../src/embeddings/triplet';
import { exportModel, readExportedModel } from '../src/export/export-model';
import { manifestSchema } from '../src/export/manifest';
import type { PolicyConfig } from '../src/policy/model';
import { createRandom } from '../src/util/random';
import { randomModel } from './support/random-model';

const config: PolicyConfig = {
  itemCount: 25,
  dimension: 6,
  historyLength: 5,
  hiddenDimension: 7,
  heads: 2,
  eventTypeCount: 5,
  ratingLevels: 6,
};

const details = {
  version: 'test-1',
  createdAt: '2026-11-22T00:00:00.000Z',
  topK: 10,
  embedder: { modelId: 'hashing', dimension: 9 },
  trainingData: { source: 'fixture', interactions: 10, readers: 2, from: 'row 1', to: 'row 10' },
  metrics: { policyNdcgAt10: 0.25 },
  training: { epochs: 1 },
};

describe('exportModel', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes policy.onnx, checkpoint.bin and a manifest naming inputs, shapes, item order and version', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-export-'));
    dirs.push(dir);
    const model = randomModel(config, 1);

    // Act
    await exportModel(dir, { model, projection: initialProjection(9, 6, createRandom(1)) }, details);

    // Assess
    const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));
    expect(manifest.model.inputs.map((input) => [input.name, input.type, input.shape])).toEqual([
      ['history_items', 'int64', ['batch', 5]],
      ['history_events', 'int64', ['batch', 5]],
      ['history_ratings', 'int64', ['batch', 5]],
      ['history_mask', 'float32', ['batch', 5]],
    ]);
    expect(manifest.model.outputs.map((output) => output.name)).toEqual(['top_items', 'top_scores', 'user_state']);
    expect(manifest.itemIds).toEqual(model.itemIds);
    expect(manifest).toMatchObject({ version: 'test-1', dimension: 6, historyLength: 5, topK: 10 });
    expect((await readFile(path.join(dir, 'policy.onnx'))).length).toBeGreaterThan(1000);
  });

  it('reads back the weights to warm-start from (float32)', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-export-'));
    dirs.push(dir);
    const model = randomModel(config, 2);
    const projection = initialProjection(9, 6, createRandom(2));
    await exportModel(dir, { model, projection }, details);

    // Act
    const { checkpoint } = await readExportedModel(dir);

    // Assess
    expect(checkpoint.model.config).toEqual(config);
    expect(checkpoint.model.itemIds).toEqual(model.itemIds);
    for (const [name, values] of Object.entries(model.params)) {
      const restored = checkpoint.model.params[name as keyof typeof model.params];
      expect(restored).toEqual(Float64Array.from(Float32Array.from(values)));
    }
    expect(checkpoint.projection.weights).toEqual(Float64Array.from(Float32Array.from(projection.weights)));
  });
});
