/**
 * Trains the policy with REINFORCE on logged interactions, with the top-K off-policy correction of Chen et al.,
 * "Top-K Off-Policy Correction for a REINFORCE Recommender System" (WSDM 2019).
 *
 * Every event of a reader after their first is an example: the state is the history before it, the action the book
 * of the event, the reward comes from its feedback (`rewards.ts`). Each step, on a shuffled batch:
 *   1. forward: π(·|s) and the behaviour head β(·|s);
 *   2. per example, with π = π(a|s) and β = β(a|s) held constant:
 *        importance weight  w = min(π / β, weightCap)          (β estimates the logging policy)
 *        top-K multiplier   λ_K = K (1 − π)^(K−1)              (the gradient of 1 − (1 − π)^K, the chance that a
 *                                                               top-K slate of K draws from π contains a)
 *        coefficient        c = w · λ_K · reward
 *   3. ascend  Σ c ∇log π(a|s)  (i.e. descend Lπ = −(1/B) Σ c log π) and fit β by maximum likelihood;
 *   4. Adam, with decoupled weight decay on the per-item residuals (unseen books keep their text vectors).
 *
 * `trainPolicy(data, options)` is pure and seeded. A warm start copies a previous model's weights (item tensors
 * remapped by book id; new books start from their text vectors).
 */
import { typescriptGemm, type Gemm } from '../compute/gemm';
import { Adam } from '../util/adam';
import { createRandom, shuffleInPlace } from '../util/random';
import {
  backward,
  emptyBatch,
  forward,
  initialParams,
  itemParamNames,
  paramShapes,
  type ParamName,
  type PolicyConfig,
  type PolicyModel,
  type PolicyParams,
} from './model';
import { defaultRewards, reward, type RewardTable } from './rewards';
import { inHistory, writeHistory, type EncodedSequence } from './sequences';
import { eventTypes } from '../data/interactions';

export interface PolicyTrainingData {
  readonly itemIds: readonly string[];
  /** Base vectors e_i of the books, row-major [N, dimension]. */
  readonly itemBase: Float64Array;
  readonly dimension: number;
  readonly sequences: readonly EncodedSequence[];
}

export interface PolicyTrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** The learning rate falls along a cosine from `learningRate` to `learningRate × finalLearningRateFraction`. */
  readonly finalLearningRateFraction: number;
  /**
   * Steps over which the learning rate first rises linearly from zero. Adam's first updates move every weight by
   * about the learning rate whatever its gradient; ramping up keeps a warm start from being knocked off its minimum.
   */
  readonly warmupSteps: number;
  /** On a warm start the learning rate is multiplied by this (fine-tuning, not training from scratch). */
  readonly warmStartLearningRateFactor: number;
  readonly historyLength: number;
  readonly hiddenDimension: number;
  readonly heads: number;
  /** K of the top-K correction: how many books a recommendation shows. */
  readonly topK: number;
  /** Apply the importance weight and λ_K (false: plain REINFORCE, c = reward). */
  readonly offPolicyCorrection: boolean;
  /** Which factors of the correction apply (ablations; both by default). */
  readonly correctionFactors: { readonly importanceWeight: boolean; readonly topKMultiplier: boolean };
  readonly weightCap: number;
  /**
   * Epochs of plain REINFORCE (c = reward) before the correction starts, so that β and π have both left their
   * uniform start (early π/β ratios are noise: β fits faster than π).
   */
  readonly correctionWarmupEpochs: number;
  readonly rewards: RewardTable;
  /** Decoupled weight decay of the per-item residuals and biases. */
  readonly residualDecay: number;
  readonly seed: number;
  /** Weights to start from (retraining); its configuration must match. */
  readonly warmStart?: PolicyModel;
  readonly onStep?: (progress: PolicyStepProgress) => void;
  /** Called after each epoch with the model so far (validation, early stopping by the caller). */
  readonly onEpoch?: (progress: PolicyEpochProgress, model: PolicyModel) => void | Promise<void>;
  /** Matrix products (default TypeScript; `createOnnxRuntimeGemm()` is ~30x faster). */
  readonly gemm?: Gemm;
}

export interface PolicyStepProgress {
  readonly epoch: number;
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly policyLoss: number;
  readonly behaviourLoss: number;
}

export interface PolicyEpochProgress {
  readonly epoch: number;
  readonly policyLoss: number;
  readonly behaviourLoss: number;
  readonly examples: number;
}

export interface PolicyTrainingResult {
  readonly model: PolicyModel;
  readonly epochs: readonly PolicyEpochProgress[];
}

export const policyDefaults: Omit<PolicyTrainingOptions, 'warmStart' | 'onStep' | 'onEpoch' | 'gemm'> = {
  epochs: 8,
  batchSize: 256,
  learningRate: 0.003,
  finalLearningRateFraction: 0.1,
  warmupSteps: 100,
  warmStartLearningRateFactor: 0.3,
  historyLength: 50,
  hiddenDimension: 128,
  heads: 2,
  topK: 10,
  offPolicyCorrection: true,
  weightCap: 20,
  correctionWarmupEpochs: 1,
  // On goodbooks validation readers the importance weight halved NDCG@10 (training/README.md, Design).
  correctionFactors: { importanceWeight: false, topKMultiplier: true },
  rewards: defaultRewards,
  residualDecay: 1e-4,
  seed: 1,
};

export function policyConfig(data: PolicyTrainingData, options: typeof policyDefaults): PolicyConfig {
  return {
    itemCount: data.itemIds.length,
    dimension: data.dimension,
    historyLength: options.historyLength,
    hiddenDimension: options.hiddenDimension,
    heads: options.heads,
    eventTypeCount: eventTypes.length,
    ratingLevels: 6,
  };
}

export async function trainPolicy(
  data: PolicyTrainingData,
  options: Partial<PolicyTrainingOptions> = {},
): Promise<PolicyTrainingResult> {
  const settings = { ...policyDefaults, ...options };
  const gemm = settings.gemm ?? typescriptGemm;
  const config = policyConfig(data, settings);
  const random = createRandom(settings.seed);
  const params = initialParams(config, data.itemBase, random);
  if (settings.warmStart) copyWarmStart(params, config, data.itemIds, settings.warmStart);
  const model: PolicyModel = { config, itemIds: [...data.itemIds], itemBase: data.itemBase, params };

  const examples = trainingExamples(data.sequences, config.historyLength);
  const rewards = Float64Array.from({ length: examples.length / 2 }, (_, i) => {
    const sequence = data.sequences[examples[2 * i]!]!;
    const position = examples[2 * i + 1]!;
    return reward(settings.rewards, eventTypes[sequence.events[position]!]!, sequence.ratings[position]!);
  });
  const order = Int32Array.from({ length: rewards.length }, (_, i) => i);
  const decay = settings.residualDecay;
  const adam = new Adam(params as unknown as Record<string, Float64Array>, {
    learningRate: settings.learningRate,
    weightDecay: Object.fromEntries(itemParamNames.map((name) => [name, decay])),
    clipNorm: 5,
  });
  const batch = emptyBatch(settings.batchSize, config.historyLength);
  const actions = new Int32Array(settings.batchSize);
  const coefficients = new Float64Array(settings.batchSize);
  const stepsPerEpoch = Math.ceil(order.length / settings.batchSize);
  const baseRate = settings.learningRate * (settings.warmStart ? settings.warmStartLearningRateFactor : 1);
  // β is only needed for the importance weight; without it the behaviour head is not trained (saves ~20%).
  const withBehaviour = settings.offPolicyCorrection && settings.correctionFactors.importanceWeight;
  const epochs: PolicyEpochProgress[] = [];

  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    const corrected = settings.offPolicyCorrection && epoch >= settings.correctionWarmupEpochs;
    let policyTotal = 0;
    let behaviourTotal = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      const from = step * settings.batchSize;
      const size = Math.min(settings.batchSize, order.length - from);
      const stepBatch = size === settings.batchSize ? batch : emptyBatch(size, config.historyLength);
      for (let row = 0; row < size; row++) {
        const example = order[from + row]!;
        const sequence = data.sequences[examples[2 * example]!]!;
        const position = examples[2 * example + 1]!;
        writeHistory(stepBatch, row, sequence, position, config.historyLength);
        actions[row] = sequence.items[position]!;
      }
      const cache = await forward(model, stepBatch, withBehaviour, gemm);
      const n = config.itemCount;
      for (let row = 0; row < size; row++) {
        const value = rewards[order[from + row]!]!;
        if (!corrected) {
          coefficients[row] = value;
          continue;
        }
        const pi = cache.policy[row * n + actions[row]!]!;
        const beta = cache.behaviour?.[row * n + actions[row]!] ?? pi;
        const { importanceWeight, topKMultiplier } = settings.correctionFactors;
        const weight = importanceWeight ? Math.min(pi / Math.max(beta, 1e-12), settings.weightCap) : 1;
        const lambdaK = topKMultiplier ? settings.topK * (1 - pi) ** (settings.topK - 1) : 1;
        coefficients[row] = weight * lambdaK * value;
      }
      const { policyLoss, behaviourLoss, gradients } = await backward(
        model,
        cache,
        actions.subarray(0, size),
        coefficients.subarray(0, size),
        gemm,
      );
      const progress = (epoch * stepsPerEpoch + step) / Math.max(1, settings.epochs * stepsPerEpoch - 1);
      const floor = settings.finalLearningRateFraction;
      const warmup = Math.min(1, (epoch * stepsPerEpoch + step + 1) / Math.max(1, settings.warmupSteps));
      const rate = warmup * baseRate * (floor + ((1 - floor) * (1 + Math.cos(Math.PI * progress))) / 2);
      adam.step(gradients as unknown as Record<string, Float64Array>, rate);
      policyTotal += policyLoss;
      behaviourTotal += behaviourLoss;
      settings.onStep?.({ epoch, step, stepsPerEpoch, policyLoss, behaviourLoss });
    }
    const summary = {
      epoch,
      policyLoss: policyTotal / stepsPerEpoch,
      behaviourLoss: behaviourTotal / stepsPerEpoch,
      examples: order.length,
    };
    epochs.push(summary);
    await settings.onEpoch?.(summary, model);
  }
  return { model, epochs };
}

/**
 * (sequence, position) pairs of every event that has at least one event before it and whose book is not already in
 * its history window (a repeat of a book the policy would never recommend again carries no signal for it).
 */
export function trainingExamples(sequences: readonly EncodedSequence[], historyLength: number): Int32Array {
  const pairs: number[] = [];
  sequences.forEach((sequence, s) => {
    for (let position = 1; position < sequence.items.length; position++) {
      if (!inHistory(sequence, position, historyLength, sequence.items[position]!)) pairs.push(s, position);
    }
  });
  return Int32Array.from(pairs);
}

function copyWarmStart(
  params: PolicyParams,
  config: PolicyConfig,
  itemIds: readonly string[],
  previous: PolicyModel,
): void {
  const shapes = paramShapes(config);
  const previousShapes = paramShapes(previous.config);
  for (const name of Object.keys(shapes) as ParamName[]) {
    if (itemParamNames.includes(name)) continue;
    if (shapes[name].join('x') !== previousShapes[name].join('x')) {
      throw new Error(
        `Cannot warm-start: ${name} is ${previousShapes[name].join('x')} in the saved model, ${shapes[name].join('x')} now`,
      );
    }
    params[name].set(previous.params[name]);
  }
  const previousIndex = new Map(previous.itemIds.map((id, i) => [id, i]));
  for (const name of itemParamNames) {
    const width = params[name].length / config.itemCount;
    itemIds.forEach((id, i) => {
      const old = previousIndex.get(id);
      if (old === undefined) return;
      params[name].set(previous.params[name].subarray(old * width, (old + 1) * width), i * width);
    });
  }
}
