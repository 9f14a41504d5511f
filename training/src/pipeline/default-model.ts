/**
 * The default model that `npm start` serves before any real reader exists: simulated readers with subject
 * preferences over the demo catalogue (`simulate-readers.ts`), the full training pipeline, an offline evaluation on
 * held-out simulated readers, and an export (policy.onnx, manifest.json, checkpoint.bin) into `outputDir`.
 * Reproducible: the same seed gives the same interactions, weights, metrics and manifest (apart from `createdAt`).
 */
import type { Gemm } from '../compute/gemm';
import { readDemoCatalogue, demoCatalogueDir } from '../data/demo-catalogue';
import { simulateReaders } from '../data/simulate-readers';
import { exportModel } from '../export/export-model';
import type { Manifest } from '../export/manifest';
import { runEvaluation } from '../evaluation/run-evaluation';
import type { PolicyTrainingOptions } from '../policy/train-policy';
import type { TripletOptions } from '../embeddings/triplet';
import { modelMetrics, trainingSummary } from './model-metrics';
import { recommenderDefaults } from './train-recommender';

export interface DefaultModelOptions {
  readonly seed: number;
  /** Simulated readers (default 3000). */
  readonly readers: number;
  readonly policy: Partial<PolicyTrainingOptions>;
  readonly triplet: Partial<Omit<TripletOptions, 'outputDimension'>>;
  readonly catalogueDir: string;
  readonly createdAt: string;
  readonly gemm?: Gemm;
  readonly log: (message: string) => void;
}

export async function trainDefaultModel(
  outputDir: string,
  options: Partial<DefaultModelOptions> = {},
): Promise<Manifest> {
  const {
    seed = 1,
    readers = 3000,
    policy = {},
    triplet = {},
    catalogueDir = demoCatalogueDir,
    createdAt = new Date().toISOString(),
    gemm,
    log = () => {},
  } = options;
  const books = await readDemoCatalogue(catalogueDir);
  const interactions = simulateReaders(books, { readers, seed });
  log(`simulated ${readers} readers, ${interactions.length} interactions over ${books.length} books`);
  const policyOptions = { epochs: 6, ...policy };
  const report = await runEvaluation(
    { train: interactions, books, itemIds: books.map((book) => book.id) },
    { seed, policy: policyOptions, triplet, gemm, bootstrapResamples: 200, log },
  );
  const embedder = recommenderDefaults.embedder;
  return exportModel(outputDir, report.checkpoint, {
    version: `demo-seed${seed}`,
    createdAt,
    topK: policyOptions.topK ?? 10,
    embedder: { modelId: embedder.modelId, dimension: embedder.dimension },
    trainingData: {
      source: `simulated readers over the demo catalogue (seed ${seed})`,
      interactions: report.trainInteractions,
      readers: report.trainReaders,
      from: 'simulated interaction 1',
      to: `simulated interaction ${interactions.length}`,
    },
    metrics: modelMetrics(report),
    training: trainingSummary(report, { seed, ...policyOptions }),
  });
}
