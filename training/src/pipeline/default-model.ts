/**
 * The default model that `npm start` serves before any real reader exists: simulated readers with subject
 * preferences over the demo catalogue (`simulate-readers.ts`), the full training pipeline, an offline evaluation on
 * held-out simulated readers, and an export (policy.onnx, manifest.json, checkpoint.bin) into `outputDir`.
 * Reproducible: the same seed gives the same interactions, weights, metrics and manifest (apart from `createdAt`).
 */
import type { Gemm } from '../compute/gemm';
import { readDemoCatalogue, demoCatalogueDir } from '../data/demo-catalogue';
import { simulateReaders } from '../data/simulate-readers';
import { exportModel, servingTopK } from '../export/export-model';
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
  /**
   * Catalogue book id of each demo book key (`npm start` loads the demo catalogue first): the model's item ids are
   * then the catalogue's, which the recommender needs. Books without an id are left out. Default: the keys.
   */
  readonly bookIds?: ReadonlyMap<string, string>;
  /** Model version written to the manifest (default `demo-seed<seed>`). */
  readonly version?: string;
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
    bookIds,
    version = `demo-seed${seed}`,
  } = options;
  const demoBooks = await readDemoCatalogue(catalogueDir);
  const books = bookIds
    ? demoBooks.flatMap((book) => {
        const id = bookIds.get(book.id);
        return id === undefined ? [] : [{ ...book, id }];
      })
    : demoBooks;
  const interactions = simulateReaders(books, { readers, seed });
  log(`simulated ${readers} readers, ${interactions.length} interactions over ${books.length} books`);
  const policyOptions = { epochs: 6, ...policy };
  const report = await runEvaluation(
    { train: interactions, books, itemIds: books.map((book) => book.id) },
    { seed, policy: policyOptions, triplet, gemm, bootstrapResamples: 200, log },
  );
  const embedder = recommenderDefaults.embedder;
  return exportModel(outputDir, report.checkpoint, {
    version,
    createdAt,
    topK: servingTopK,
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
