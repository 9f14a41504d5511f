/**
 * The training entry point: a SageMaker training job in the cloud (training/Dockerfile), a plain process locally
 * (`npm run train -w training`).
 *
 * With a `train` channel: read the interactions (plus a replayed sample of the `history` channel's older ones),
 * the books, and a previous model to warm-start from when the `previous` channel holds one; train and evaluate on
 * held-out readers (`runEvaluation`); export policy.onnx + manifest.json + checkpoint.bin to the model folder.
 * Without one: train the demo model on simulated readers (what `npm start` serves).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readTrainingConfig, type TrainingConfig } from './config';
import { createOnnxRuntimeGemm } from './compute/onnxruntime-gemm';
import { readBooksDir, readInteractionsDir } from './data/catalogue-files';
import { exportModel, readExportedModel, servingTopK } from './export/export-model';
import type { Manifest } from './export/manifest';
import { runEvaluation, sortedIds } from './evaluation/run-evaluation';
import { trainDefaultModel } from './pipeline/default-model';
import { modelMetrics, trainingSummary } from './pipeline/model-metrics';
import { retrainingInteractions } from './pipeline/retraining';
import { recommenderDefaults } from './pipeline/train-recommender';
import type { PolicyTrainingOptions } from './policy/train-policy';
import { formatTable } from './evaluation/table';

const log = (message: string) => console.log(`[training] ${message}`);

export async function main(config: TrainingConfig): Promise<Manifest> {
  const hp = config.hyperparameters;
  const gemm = await createOnnxRuntimeGemm();
  const createdAt = new Date().toISOString();
  const policy: Partial<PolicyTrainingOptions> = {
    ...(hp.epochs ? { epochs: hp.epochs } : {}),
    ...(hp.learningRate ? { learningRate: hp.learningRate } : {}),
    ...(hp.batchSize ? { batchSize: hp.batchSize } : {}),
    ...(hp.topK ? { topK: hp.topK } : {}),
    ...(hp.importanceWeight
      ? { correctionFactors: { importanceWeight: hp.importanceWeight === 'true', topKMultiplier: true } }
      : {}),
  };
  try {
    if (!config.trainDir) {
      log(`no train channel: training the demo model into ${config.modelDir}`);
      return await trainDefaultModel(config.modelDir, {
        seed: hp.seed,
        readers: hp.readers,
        policy,
        gemm,
        createdAt,
        log,
      });
    }
    const fresh = await readInteractionsDir(config.trainDir);
    const old = config.historyDir ? await readInteractionsDir(config.historyDir) : [];
    const interactions = retrainingInteractions(old, fresh, { oldSampleFraction: hp.oldSampleFraction, seed: hp.seed });
    const books = config.booksDir ? await readBooksDir(config.booksDir) : [];
    const previous = config.previousModelDir ? await readExportedModel(config.previousModelDir) : undefined;
    log(
      `${fresh.length} new and ${interactions.length - fresh.length} replayed interactions, ${books.length} books` +
        (previous ? `, warm start from ${previous.manifest.version}` : ''),
    );
    const itemIds = sortedIds(new Set([...books.map((book) => book.id), ...interactions.map((row) => row.itemId)]));
    const report = await runEvaluation(
      { train: interactions, books, itemIds },
      { seed: hp.seed, policy, gemm, warmStart: previous?.checkpoint, log },
    );
    log(`\n${formatTable(report.rows)}`);
    const embedder = recommenderDefaults.embedder;
    return await exportModel(config.modelDir, report.checkpoint, {
      version: hp.version ?? `policy-${createdAt.replace(/[:.]/g, '-')}`,
      createdAt,
      topK: servingTopK,
      embedder: { modelId: embedder.modelId, dimension: embedder.dimension },
      trainingData: {
        source: path.basename(config.trainDir),
        interactions: interactions.length,
        readers: new Set(interactions.map((row) => row.userId)).size,
        from: `row 1 of ${old.length > 0 ? 'history + ' : ''}train`,
        to: `row ${fresh.length} of train`,
      },
      metrics: modelMetrics(report),
      training: {
        ...trainingSummary(report, { seed: hp.seed, ...policy }),
        warmStart: previous?.manifest.version ?? '',
      },
    });
  } finally {
    await gemm.release();
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(path.basename(process.argv[1]));
if (isEntryPoint) {
  let config: TrainingConfig | undefined;
  try {
    config = readTrainingConfig(process.env);
    const manifest = await main(config);
    log(`wrote ${manifest.version} (${manifest.itemIds.length} books) to ${config.modelDir}`);
  } catch (error) {
    console.error(error);
    if (config?.failureFile)
      await writeFile(config.failureFile, String(error instanceof Error ? error.message : error));
    process.exitCode = 1;
  }
}
