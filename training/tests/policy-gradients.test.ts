import { describe, expect, it } from 'vitest';
import {
  backward,
  behaviourParamNames,
  emptyBatch,
  forward,
  paramShapes,
  type ParamName,
  type PolicyConfig,
} from '../src/policy/model';
import { worstRelativeError } from './support/finite-difference';
import { randomModel } from './support/random-model';

const config: PolicyConfig = {
  itemCount: 9,
  dimension: 4,
  historyLength: 4,
  hiddenDimension: 5,
  heads: 2,
  eventTypeCount: 3,
  ratingLevels: 6,
};

/** Three histories: full, partly masked (with a repeated book and a 1-star rating), and a single event. */
function fixtureBatch() {
  const batch = emptyBatch(3, config.historyLength);
  const rows = [
    [
      [1, 0, 5],
      [2, 1, 4],
      [3, 2, 0],
      [4, 0, 2],
    ],
    [
      [5, 0, 1],
      [6, 1, 3],
      [5, 2, 0],
    ],
    [[7, 0, 5]],
  ];
  rows.forEach((events, row) =>
    events.forEach(([item, event, rating], j) => {
      const slot = row * config.historyLength + j;
      batch.items[slot] = item!;
      batch.events[slot] = event!;
      batch.ratings[slot] = rating!;
      batch.mask[slot] = 1;
    }),
  );
  return { batch, actions: Int32Array.of(0, 8, 2), coefficients: Float64Array.of(1.5, -0.7, 0.4) };
}

describe('policy gradients', () => {
  // Every parameter moved off its initial value, so no gradient is trivially zero.
  const model = randomModel(config, 7);
  const { batch, actions, coefficients } = fixtureBatch();
  const run = async (withBehaviour = true) =>
    backward(model, await forward(model, batch, withBehaviour), actions, coefficients);
  const policyLoss = async () => (await run()).policyLoss;
  const behaviourLoss = async () => (await run()).behaviourLoss;
  const policyParams = (Object.keys(paramShapes(config)) as ParamName[]).filter(
    (name) => !behaviourParamNames.includes(name),
  );

  it.each(policyParams)('∂Lπ/∂%s matches finite differences', async (name) => {
    // Prepare
    const { gradients } = await run();

    // Act
    const error = await worstRelativeError(model.params[name], gradients[name], policyLoss);

    // Assess
    expect(error).toBeLessThan(1e-5);
  });

  it.each(behaviourParamNames)('∂Lβ/∂%s matches finite differences', async (name) => {
    // Prepare
    const { gradients } = await run();

    // Act
    const error = await worstRelativeError(model.params[name], gradients[name], behaviourLoss);

    // Assess
    expect(error).toBeLessThan(1e-5);
  });

  it('gives the behaviour loss no say over the shared state (stop-gradient)', async () => {
    // Prepare
    const { gradients } = await run(true);

    // Act
    const { gradients: withoutBehaviour } = await run(false);

    // Assess
    expect(withoutBehaviour.w1).toEqual(gradients.w1);
    expect(withoutBehaviour.alpha).toEqual(gradients.alpha);
    expect(withoutBehaviour.betaItems.every((value) => value === 0)).toBe(true);
  });

  it('has non-zero gradients for the parameters the fixture exercises', async () => {
    // Act
    const { gradients } = await run();

    // Assess
    for (const name of [...policyParams, ...behaviourParamNames]) {
      expect({ name, nonZero: gradients[name].some((value) => value !== 0) }).toEqual({ name, nonZero: true });
    }
  });
});
