import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainDefaultModel } from '../src/pipeline/default-model';

/** Small settings: the point is reproducibility, not quality. */
const quick = {
  readers: 300,
  policy: { epochs: 1, hiddenDimension: 16, historyLength: 10 },
  triplet: { steps: 10 },
  createdAt: '2026-11-22T00:00:00.000Z',
};

describe('trainDefaultModel', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('reproduces the same model, manifest and metrics for the same seed', async () => {
    // Prepare
    const [first, second] = await Promise.all([
      mkdtemp(path.join(tmpdir(), 'shelfwise-default-')),
      mkdtemp(path.join(tmpdir(), 'shelfwise-default-')),
    ]);
    dirs.push(first, second);

    // Act
    const a = await trainDefaultModel(first, { seed: 7, ...quick });
    const b = await trainDefaultModel(second, { seed: 7, ...quick });

    // Assess
    expect(b).toEqual(a);
    expect(a.metrics.policyNdcgAt10).toBeGreaterThan(0);
    expect(a.itemIds.length).toBeGreaterThan(300);
    expect(await readFile(path.join(second, 'policy.onnx'))).toEqual(await readFile(path.join(first, 'policy.onnx')));
    expect(await readFile(path.join(second, 'checkpoint.bin'))).toEqual(
      await readFile(path.join(first, 'checkpoint.bin')),
    );
  });

  it('gives another model for another seed', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'shelfwise-default-'));
    dirs.push(dir);
    const reference = JSON.parse(await readFile(path.join(dirs[0]!, 'manifest.json'), 'utf8')) as { metrics: object };

    // Act
    const other = await trainDefaultModel(dir, { seed: 8, ...quick });

    // Assess
    expect(other.metrics).not.toEqual(reference.metrics);
  });
});
