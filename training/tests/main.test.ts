import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrainingConfig } from '../src/config';
import { main } from '../src/main';
import { demoBooks, simulated } from './support/demo-data';

describe('readTrainingConfig', () => {
  it('finds SageMaker channels that exist, the model folder and string hyperparameters', async () => {
    // Prepare
    const root = await mkdtemp(path.join(tmpdir(), 'shelfwise-config-'));
    await mkdir(path.join(root, 'train'));

    // Act
    const config = readTrainingConfig({
      SM_CHANNEL_TRAIN: path.join(root, 'train'),
      SM_CHANNEL_PREVIOUS: path.join(root, 'missing'),
      SM_MODEL_DIR: path.join(root, 'model'),
      SM_HPS: JSON.stringify({ epochs: '3', seed: '9', importanceWeight: 'true' }),
    });

    // Assess
    expect(config.trainDir).toBe(path.join(root, 'train'));
    expect(config.previousModelDir).toBeUndefined();
    expect(config.modelDir).toBe(path.join(root, 'model'));
    expect(config.hyperparameters).toMatchObject({
      epochs: 3,
      seed: 9,
      importanceWeight: 'true',
      oldSampleFraction: 0.3,
    });
    await rm(root, { recursive: true, force: true });
  });

  it('names an invalid hyperparameter', () => {
    // Assess
    expect(() => readTrainingConfig({ SM_HPS: JSON.stringify({ epochs: 'many' }) })).toThrow(
      /Invalid hyperparameter epochs/,
    );
  });
});

describe('main (the training job)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'shelfwise-job-'));
    const rows = await simulated(300, 11);
    const books = await demoBooks();
    await mkdir(path.join(root, 'train'));
    await mkdir(path.join(root, 'books'));
    await writeFile(
      path.join(root, 'train', 'part-0.csv'),
      ['user_id,book_id,rating,event', ...rows.map((r) => `${r.userId},${r.itemId},${r.rating},${r.event}`)].join('\n'),
    );
    await writeFile(
      path.join(root, 'books', 'books.jsonl'),
      books.map((book) => JSON.stringify({ ...book, series: undefined })).join('\n'),
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('trains from the channels, then retrains warm from its own output with replayed history', async () => {
    // Prepare
    const hyperparameters = { epochs: '1', seed: '3' };
    const first = readTrainingConfig({
      SM_CHANNEL_TRAIN: path.join(root, 'train'),
      SM_CHANNEL_BOOKS: path.join(root, 'books'),
      SM_MODEL_DIR: path.join(root, 'model-1'),
      SM_HPS: JSON.stringify({ ...hyperparameters, version: 'v1' }),
    });

    // Act
    const manifest = await main(first);
    const retrained = await main(
      readTrainingConfig({
        SM_CHANNEL_TRAIN: path.join(root, 'train'),
        SM_CHANNEL_BOOKS: path.join(root, 'books'),
        SM_CHANNEL_PREVIOUS: path.join(root, 'model-1'),
        SM_CHANNEL_HISTORY: path.join(root, 'train'),
        SM_MODEL_DIR: path.join(root, 'model-2'),
        SM_HPS: JSON.stringify({ ...hyperparameters, version: 'v2' }),
      }),
    );

    // Assess
    const written = JSON.parse(await readFile(path.join(root, 'model-1', 'manifest.json'), 'utf8')) as unknown;
    expect(written).toEqual(manifest);
    expect(manifest.version).toBe('v1');
    expect(manifest.itemIds.length).toBe((await demoBooks()).length);
    expect(manifest.metrics.policyNdcgAt10).toBeGreaterThan(0);
    expect(retrained.training.warmStart).toBe('v1');
    expect(retrained.trainingData.interactions).toBeGreaterThan(manifest.trainingData.interactions);
  });
});
