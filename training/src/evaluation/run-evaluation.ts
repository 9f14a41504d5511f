/**
 * The offline evaluation in one call: split, train every model on the same readers, rank the test readers' targets,
 * and summarise with bootstrap confidence intervals.
 *
 * 1. Test readers: those of `test`, or (without it) a deterministic 20% of the readers of `train`.
 * 2. Catalogue: the books of the training ratings (a test target outside it cannot be ranked and is counted).
 * 3. Validation: a deterministic 10% of the training readers; EASE's λ and the policy's epoch are chosen on them,
 *    never on the test readers. EASE is then refitted on all training readers with the chosen λ; the policy keeps the
 *    weights of its best validation epoch (trained on the other 90%).
 * 4. MostPop, ItemKNN, EASE and the policy score every test case; metrics per `metrics.ts`.
 */
import type { Embedder } from '@shelfwise/lambdas/shared/embedding/embedder';
import { HashingEmbedder } from '@shelfwise/lambdas/shared/embedding/hashing-embedder';
import { ease } from '../baselines/ease';
import { itemKnn } from '../baselines/item-knn';
import { mostPop } from '../baselines/most-pop';
import type { Scorer } from '../baselines/scorer';
import type { Gemm } from '../compute/gemm';
import type { CatalogueBook } from '../data/books';
import type { Interaction } from '../data/interactions';
import type { Checkpoint } from '../export/checkpoint';
import type { PolicyModel } from '../policy/model';
import { policyScorer } from '../policy/policy-scorer';
import { encodeSequences } from '../policy/sequences';
import type { PolicyEpochProgress, PolicyTrainingOptions } from '../policy/train-policy';
import { trainRecommender } from '../pipeline/train-recommender';
import type { TripletOptions } from '../embeddings/triplet';
import { evaluateScorer, meanNdcg } from './evaluate';
import type { ModelMetrics } from './metrics';
import { evaluationCases, isHeldOut } from './protocol';

export interface EvaluationInput {
  readonly train: readonly Interaction[];
  readonly test?: readonly Interaction[];
  readonly books?: readonly CatalogueBook[];
  /** The catalogue to rank (default: the books of the training interactions, sorted by id). */
  readonly itemIds?: readonly string[];
}

export interface EvaluationOptions {
  readonly testFraction: number;
  readonly validationFraction: number;
  readonly easeLambdas: readonly number[];
  readonly policy: Partial<PolicyTrainingOptions>;
  readonly triplet: Partial<Omit<TripletOptions, 'outputDimension'>>;
  readonly embedder: Embedder;
  readonly gemm?: Gemm;
  /** A previous model to warm-start the policy from (retraining). */
  readonly warmStart?: Checkpoint;
  readonly seed: number;
  readonly bootstrapResamples: number;
  /** Progress lines (the CLI prints them). */
  readonly log: (message: string) => void;
  /** Per policy epoch, after its validation (benchmarks time the epochs with it). */
  readonly onPolicyEpoch?: (progress: PolicyEpochProgress & { validationNdcg: number; variant: string }) => void;
  /** Called when a policy variant starts training. */
  readonly onPolicyStart?: (variant: string) => void;
  /** More policies to train and score beside the main one (ablations), each with its own options. */
  readonly policyVariants: readonly {
    readonly name: string;
    readonly policy: Partial<PolicyTrainingOptions>;
    /** Keep the best validation epoch (default) or the last one (to show what the options do at the end). */
    readonly selectBestEpoch?: boolean;
  }[];
}

export const evaluationDefaults: Omit<EvaluationOptions, 'gemm' | 'onPolicyEpoch' | 'onPolicyStart' | 'warmStart'> = {
  policyVariants: [],
  testFraction: 0.2,
  validationFraction: 0.1,
  easeLambdas: [5, 10, 20, 50, 100, 200, 500, 1000],
  policy: {},
  triplet: {},
  embedder: new HashingEmbedder({ dimension: 1024 }),
  seed: 1,
  bootstrapResamples: 1000,
  log: () => {},
};

export interface EvaluationRow {
  readonly model: string;
  readonly metrics: ModelMetrics;
}

export interface EvaluationReport {
  readonly rows: readonly EvaluationRow[];
  readonly catalogueSize: number;
  readonly trainReaders: number;
  readonly trainInteractions: number;
  readonly testReaders: number;
  readonly testCases: number;
  readonly skippedTestReaders: number;
  readonly validationCases: number;
  readonly easeLambda: number;
  readonly policyEpoch: number;
  readonly policyEpochs: readonly (PolicyEpochProgress & { validationNdcg: number })[];
  readonly variants: readonly {
    readonly name: string;
    readonly bestEpoch: number;
    readonly epochs: readonly (PolicyEpochProgress & { validationNdcg: number })[];
  }[];
  readonly checkpoint: Checkpoint;
}

export async function runEvaluation(
  input: EvaluationInput,
  options: Partial<EvaluationOptions> = {},
): Promise<EvaluationReport> {
  const settings = { ...evaluationDefaults, ...options };
  const { log } = settings;
  const train = input.test ? input.train : input.train.filter((row) => !isHeldOut(row.userId, settings.testFraction));
  const test = input.test ?? input.train.filter((row) => isHeldOut(row.userId, settings.testFraction));
  const itemIds = input.itemIds ?? sortedIds(new Set(train.map((row) => row.itemId)));
  const n = itemIds.length;
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const fit = train.filter((row) => !isHeldOut(row.userId, settings.validationFraction, 1));
  const validation = train.filter((row) => isHeldOut(row.userId, settings.validationFraction, 1));

  const trainSequences = encodeSequences(train, index);
  const fitSequences = encodeSequences(fit, index);
  const validationCases = evaluationCases(encodeSequences(validation, index)).cases;
  const testSequences = encodeSequences(test, index);
  const { cases: testCases, skipped } = evaluationCases(testSequences);
  const testReaders = new Set(test.map((row) => row.userId)).size;
  log(
    `catalogue ${n} books; train ${trainSequences.length} readers (${train.length} interactions); ` +
      `validation ${validationCases.length} cases; test ${testCases.length} cases of ${testReaders} readers`,
  );

  const trainItems = trainSequences.map((sequence) => sequence.items);
  const fitItems = fitSequences.map((sequence) => sequence.items);
  let bestLambda = settings.easeLambdas[0] ?? 100;
  let bestLambdaNdcg = -1;
  for (const lambda of settings.easeLambdas) {
    const ndcg = await meanNdcg(ease(fitItems, n, lambda), validationCases, n);
    log(`EASE λ=${lambda}: validation NDCG@10 ${ndcg.toFixed(4)}`);
    if (ndcg > bestLambdaNdcg) {
      bestLambda = lambda;
      bestLambdaNdcg = ndcg;
    }
  }

  const trainVariant = async (
    variant: string,
    policyOptions: Partial<PolicyTrainingOptions>,
    selectBestEpoch = true,
  ) => {
    settings.onPolicyStart?.(variant);
    const epochs: (PolicyEpochProgress & { validationNdcg: number })[] = [];
    let best: { ndcg: number; epoch: number; params: PolicyModel['params'] } | undefined;
    const training = await trainRecommender(
      { interactions: fit, books: input.books, itemIds },
      {
        embedder: settings.embedder,
        triplet: settings.triplet,
        seed: settings.seed,
        warmStart: settings.warmStart,
        policy: {
          ...policyOptions,
          gemm: settings.gemm,
          onEpoch: async (progress, model) => {
            const ndcg = await meanNdcg(policyScorer(model, { gemm: settings.gemm }), validationCases, n);
            const entry = { ...progress, validationNdcg: ndcg };
            epochs.push(entry);
            settings.onPolicyEpoch?.({ ...entry, variant });
            log(
              `${variant} epoch ${progress.epoch + 1}: loss ${progress.policyLoss.toFixed(4)}, validation NDCG@10 ${ndcg.toFixed(4)}`,
            );
            if (!best || ndcg > best.ndcg) best = { ndcg, epoch: progress.epoch, params: cloneParams(model.params) };
          },
        },
      },
    );
    const trained = training.checkpoint.model;
    const chosen = selectBestEpoch ? (best as { epoch: number; params: PolicyModel['params'] } | undefined) : undefined;
    const model: PolicyModel = chosen ? { ...trained, params: chosen.params } : trained;
    return {
      model,
      projection: training.checkpoint.projection,
      epochs,
      bestEpoch: chosen ? chosen.epoch + 1 : epochs.length,
    };
  };
  const main = await trainVariant('Policy', settings.policy);
  const variants = [];
  for (const variant of settings.policyVariants)
    variants.push({
      ...variant,
      ...(await trainVariant(variant.name, { ...settings.policy, ...variant.policy }, variant.selectBestEpoch)),
    });

  const scorers: Scorer[] = [
    mostPop(trainItems, n),
    itemKnn(trainItems, n),
    { ...ease(trainItems, n, bestLambda), name: `EASE (λ=${bestLambda})` },
    policyScorer(main.model, { gemm: settings.gemm }),
    ...variants.map((variant) => policyScorer(variant.model, { gemm: settings.gemm, name: variant.name })),
  ];
  const rows: EvaluationRow[] = [];
  for (const scorer of scorers) {
    const metrics = await evaluateScorer(scorer, testCases, n, { resamples: settings.bootstrapResamples });
    rows.push({ model: scorer.name, metrics });
    log(`${scorer.name}: NDCG@10 ${metrics.ndcg.value.toFixed(4)}`);
  }
  return {
    rows,
    catalogueSize: n,
    trainReaders: trainSequences.length,
    trainInteractions: train.length,
    testReaders,
    testCases: testCases.length,
    skippedTestReaders: skipped + (testReaders - testSequences.length),
    validationCases: validationCases.length,
    easeLambda: bestLambda,
    policyEpoch: main.bestEpoch,
    policyEpochs: main.epochs,
    variants: variants.map(({ name, epochs, bestEpoch }) => ({ name, epochs, bestEpoch })),
    checkpoint: { model: main.model, projection: main.projection },
  };
}

function cloneParams(params: PolicyModel['params']): PolicyModel['params'] {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, Float64Array.from(value)]),
  ) as unknown as PolicyModel['params'];
}

/** Numeric ids in numeric order, others after them in lexicographic order. */
export function sortedIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => {
    const x = Number(a);
    const y = Number(b);
    const numeric = Number.isFinite(x) && Number.isFinite(y);
    return numeric ? x - y || a.localeCompare(b) : a.localeCompare(b);
  });
}
