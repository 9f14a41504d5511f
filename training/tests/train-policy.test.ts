import { describe, expect, it } from 'vitest';
import { evaluationCases, isHeldOut } from '../src/evaluation/protocol';
import { meanNdcg } from '../src/evaluation/evaluate';
import { policyScorer } from '../src/policy/policy-scorer';
import { encodeSequences } from '../src/policy/sequences';
import { trainPolicy, trainingExamples } from '../src/policy/train-policy';
import { reward, defaultRewards } from '../src/policy/rewards';
import { retrainingInteractions } from '../src/pipeline/retraining';
import { demoBooks, randomBase, simulated, smallDimension, smallPolicy } from './support/demo-data';

async function setting() {
  const books = await demoBooks();
  const itemIds = books.map((book) => book.id);
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const itemBase = randomBase(itemIds.length, 3);
  return { itemIds, index, itemBase };
}

describe('trainPolicy', () => {
  it('reproduces its own weights and losses for the same seed, and differs for another', async () => {
    // Prepare
    const { itemIds, index, itemBase } = await setting();
    const sequences = encodeSequences(await simulated(150, 1), index);
    const data = { itemIds, itemBase, dimension: smallDimension, sequences };
    const options = { ...smallPolicy, epochs: 1 };

    // Act
    const first = await trainPolicy(data, { ...options, seed: 4 });
    const second = await trainPolicy(data, { ...options, seed: 4 });
    const other = await trainPolicy(data, { ...options, seed: 5 });

    // Assess
    expect(second.model.params).toEqual(first.model.params);
    expect(second.epochs).toEqual(first.epochs);
    expect(other.model.params.w1).not.toEqual(first.model.params.w1);
  });

  it('learns to rank held-out readers’ next books far better than chance', async () => {
    // Prepare
    const { itemIds, index, itemBase } = await setting();
    const interactions = await simulated(700, 2);
    const train = interactions.filter((row) => !isHeldOut(row.userId, 0.2));
    const { cases } = evaluationCases(
      encodeSequences(
        interactions.filter((row) => isHeldOut(row.userId, 0.2)),
        index,
      ),
    );
    const data = { itemIds, itemBase, dimension: smallDimension, sequences: encodeSequences(train, index) };

    // Act
    const untrained = await trainPolicy(data, { ...smallPolicy, epochs: 0 });
    const trained = await trainPolicy(data, { ...smallPolicy, epochs: 3 });

    // Assess: chance NDCG@10 over ~320 books is about 0.01.
    const before = await meanNdcg(policyScorer(untrained.model), cases, itemIds.length);
    const after = await meanNdcg(policyScorer(trained.model), cases, itemIds.length);
    expect(after).toBeGreaterThan(0.05);
    expect(after).toBeGreaterThan(2 * before);
  });

  it('only makes examples of events with a history, whose book is not already in it', () => {
    // Prepare
    const sequence = {
      userId: 'u',
      items: Int32Array.of(4, 5, 4, 6),
      events: new Int32Array(4),
      ratings: Int32Array.of(5, 5, 5, 5),
    };

    // Act
    const examples = trainingExamples([sequence], 10);

    // Assess: positions 1 and 3 (position 2 repeats book 4).
    expect(Array.from(examples)).toEqual([0, 1, 0, 3]);
  });
});

describe('warm start', () => {
  it('starts from the saved weights, remapping per-book tensors by id', async () => {
    // Prepare: the new catalogue drops the first book and adds one.
    const { itemIds, index, itemBase } = await setting();
    const sequences = encodeSequences(await simulated(100, 3), index);
    const saved = await trainPolicy(
      { itemIds, itemBase, dimension: smallDimension, sequences },
      { ...smallPolicy, epochs: 1 },
    );
    const newIds = [...itemIds.slice(1), 'a-new-book'];
    const newBase = new Float64Array(newIds.length * smallDimension);
    newBase.set(itemBase.subarray(smallDimension));
    newBase.set(randomBase(1, 9), (newIds.length - 1) * smallDimension);

    // Act
    const resumed = await trainPolicy(
      { itemIds: newIds, itemBase: newBase, dimension: smallDimension, sequences: [] },
      { ...smallPolicy, epochs: 0, warmStart: saved.model },
    );

    // Assess
    const d = smallDimension;
    expect(resumed.model.params.w1).toEqual(saved.model.params.w1);
    expect(resumed.model.params.alpha).toEqual(saved.model.params.alpha);
    expect(resumed.model.params.rOut.subarray(0, (newIds.length - 1) * d)).toEqual(saved.model.params.rOut.subarray(d));
    expect(resumed.model.params.cBias[0]).toBe(saved.model.params.cBias[1]);
    expect(Array.from(resumed.model.params.rOut.subarray((newIds.length - 1) * d))).toEqual(new Array(d).fill(0));
  });

  it('does not forget: on the old readers its NDCG@10 stays within 5% after retraining on new data', async () => {
    // Prepare: one simulated world; its first 1200 readers are the old data (40% of them held out to judge),
    // the next 600 the new data.
    const { itemIds, index, itemBase } = await setting();
    const world = await simulated(1800, 4, 'w');
    const isNew = (userId: string) => Number(userId.split('-').pop()) >= 1200;
    const old = world.filter((row) => !isNew(row.userId));
    const fresh = world.filter((row) => isNew(row.userId));
    const oldTrain = old.filter((row) => !isHeldOut(row.userId, 0.4));
    const { cases } = evaluationCases(
      encodeSequences(
        old.filter((row) => isHeldOut(row.userId, 0.4)),
        index,
      ),
    );
    const data = (rows: typeof old) => ({
      itemIds,
      itemBase,
      dimension: smallDimension,
      sequences: encodeSequences(rows, index),
    });
    const first = await trainPolicy(data(oldTrain), { ...smallPolicy, epochs: 3, seed: 1 });
    const before = await meanNdcg(policyScorer(first.model), cases, itemIds.length);

    // Act
    const retrained = await trainPolicy(data(retrainingInteractions(oldTrain, fresh, { oldSampleFraction: 0.3 })), {
      ...smallPolicy,
      epochs: 1,
      seed: 2,
      warmStart: first.model,
    });

    // Assess
    const after = await meanNdcg(policyScorer(retrained.model), cases, itemIds.length);
    expect(cases.length).toBeGreaterThan(400);
    expect(after).toBeGreaterThanOrEqual(0.95 * before);
  });
});

describe('rewards', () => {
  it('rewards high ratings, finishes and borrows, and penalises low ratings and dismissals', () => {
    // Assess
    expect(reward(defaultRewards, 'rate', 5)).toBeGreaterThan(reward(defaultRewards, 'rate', 3));
    expect(reward(defaultRewards, 'finish', 0)).toBeGreaterThan(0);
    expect(reward(defaultRewards, 'borrow', 0)).toBeGreaterThan(0);
    expect(reward(defaultRewards, 'rate', 1)).toBeLessThan(0);
    expect(reward(defaultRewards, 'dismiss', 0)).toBeLessThan(0);
    expect(reward(defaultRewards, 'dismiss', 5)).toBeLessThan(0);
  });

  it('replays a seeded sample of whole old readers before the new interactions', () => {
    // Prepare
    const row = (userId: string, itemId: string) => ({ userId, itemId, event: 'rate' as const, rating: 4 });
    const old = Array.from({ length: 200 }, (_, i) => row(`u${i % 50}`, `b${i}`));
    const fresh = [row('n1', 'x'), row('n2', 'y')];

    // Act
    const mixed = retrainingInteractions(old, fresh, { oldSampleFraction: 0.3, seed: 7 });

    // Assess
    const replayed = new Set(mixed.slice(0, -2).map((r) => r.userId));
    expect(mixed.slice(-2)).toEqual(fresh);
    expect(replayed.size).toBeGreaterThan(5);
    expect(replayed.size).toBeLessThan(25);
    for (const user of replayed) expect(mixed.filter((r) => r.userId === user)).toHaveLength(4);
    expect(retrainingInteractions(old, fresh, { oldSampleFraction: 0.3, seed: 7 })).toEqual(mixed);
  });
});
