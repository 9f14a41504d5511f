/**
 * `npm run bench:train`: the figures of training/README.md, on goodbooks-10k (../shared/data/goodbooks-10k; never
 * copied into the project). Prints
 *   1. triplet pretraining: kNN genre accuracy of held-out books before and after;
 *   2. the evaluation table (MostPop, ItemKNN, EASE, the policy, and the policy with the full off-policy correction)
 *      with 95% bootstrap intervals, on a deterministic 20% of the readers held out;
 *   3. training speed (seconds per epoch, steps per second), EASE's inverse at larger catalogues, peak memory.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HashingEmbedder } from '@shelfwise/lambdas/shared/embedding/hashing-embedder';
import { invertSymmetricPositiveDefinite } from '../src/baselines/ease';
import { createOnnxRuntimeGemm } from '../src/compute/onnxruntime-gemm';
import { topTagLabels, type CatalogueBook } from '../src/data/books';
import { readGoodbooksBooks } from '../src/data/goodbooks';
import { readInteractionsCsv } from '../src/data/interactions';
import { knnAccuracy } from '../src/embeddings/knn';
import { projectAll, trainProjection } from '../src/embeddings/triplet';
import { runEvaluation } from '../src/evaluation/run-evaluation';
import { formatTable, relativeNdcg } from '../src/evaluation/table';
import { embedBooks } from '../src/pipeline/book-vectors';
import { hashString } from '../src/util/random';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/goodbooks-10k');
if (!existsSync(path.join(dataDir, 'ratings.csv'))) {
  console.log(`goodbooks-10k not found at ${dataDir}: nothing to benchmark.`);
  process.exit(0);
}
const seconds = (start: number) => (performance.now() - start) / 1000;
const started = performance.now();
console.log(
  `# Shelfwise training benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores`,
);

// 1. Triplet pretraining.
const books = await readGoodbooksBooks(path.join(dataDir, 'books.csv'));
const embedder = new HashingEmbedder({ dimension: 1024 });
console.log('\n## Triplet pretraining: kNN genre accuracy (k = 10, cosine) of held-out books (20%, by id)\n');
console.log('| books | text | books held out | before (text vectors, 1024-d) | after (projection, 64-d) | time |');
console.log('|---|---|---|---|---|---|');
for (const variant of [
  {
    name: 'with genres',
    text: 'title, authors, genres, description',
    withSubjects: true,
    filter: (b: CatalogueBook) => b.subjects.length > 0,
  },
  {
    name: 'with a description',
    text: 'title, authors, description (no genres)',
    withSubjects: false,
    filter: (b: CatalogueBook) => b.subjects.length > 0 && !!b.description,
  },
]) {
  const t = performance.now();
  const chosen = books.filter(variant.filter);
  const features = await embedBooks(chosen, embedder, { withSubjects: variant.withSubjects });
  const { labels } = topTagLabels(chosen);
  const heldOut = chosen.map((book) => hashString(book.id, 7) % 5 === 0);
  const trainLabels = Int32Array.from(labels, (label, i) => (heldOut[i] ? -1 : label));
  const rows = chosen.map((_, i) => i).filter((i) => heldOut[i]);
  const pick = (matrix: Float64Array, width: number) => {
    const out = new Float64Array(rows.length * width);
    rows.forEach((row, i) => out.set(matrix.subarray(row * width, (row + 1) * width), i * width));
    return out;
  };
  const heldOutLabels = Int32Array.from(rows, (i) => labels[i]!);
  const before = knnAccuracy(pick(features, 1024), 1024, heldOutLabels, 10);
  const { projection } = trainProjection({ features, inputDimension: 1024, labels: trainLabels }, { seed: 1 });
  const after = knnAccuracy(pick(projectAll(projection, features), 64), 64, heldOutLabels, 10);
  console.log(
    `| ${chosen.length} ${variant.name} | ${variant.text} | ${rows.length} | ${before.toFixed(3)} | ${after.toFixed(3)} | ${seconds(t).toFixed(1)} s |`,
  );
}

// 2. Evaluation table.
const ratings = await readInteractionsCsv(path.join(dataDir, 'ratings.csv'));
const gemm = await createOnnxRuntimeGemm();
let epochStart = performance.now();
const epochTimes = new Map<string, number[]>();
const stepsPerEpoch = new Map<string, number>();
const report = await runEvaluation(
  { train: ratings, books },
  {
    gemm,
    policyVariants: [
      {
        name: 'Policy, full correction (π/β ≤ 20 and λ_K; 1 + 2 epochs, last kept)',
        policy: { correctionFactors: { importanceWeight: true, topKMultiplier: true }, epochs: 3 },
        selectBestEpoch: false,
      },
    ],
    log: (message) => console.error(`  ${message}`),
    onPolicyStart: () => {
      epochStart = performance.now();
    },
    onPolicyEpoch: (progress) => {
      // The epoch's time excludes its validation, which ends just before this call: validation is timed apart.
      const times = epochTimes.get(progress.variant) ?? [];
      times.push(seconds(epochStart));
      epochTimes.set(progress.variant, times);
      stepsPerEpoch.set(progress.variant, Math.ceil(progress.examples / 256));
      epochStart = performance.now();
    },
  },
);
await gemm.release();
console.log(
  `\n## Offline evaluation on goodbooks-10k ratings (${report.testCases} held-out readers, ${report.catalogueSize} books)\n`,
);
console.log(formatTable(report.rows));
const gain = relativeNdcg(report.rows, 'Policy (REINFORCE)', 'EASE');
console.log(
  `\nPolicy vs EASE NDCG@10: ${gain !== undefined && gain >= 0 ? '+' : ''}${gain?.toFixed(1)}%. ` +
    `${report.trainReaders} training readers (${report.trainInteractions} ratings); EASE λ=${report.easeLambda} and the ` +
    `policy's epoch (${report.policyEpoch} of ${report.policyEpochs.length}) chosen on ${report.validationCases} validation readers.`,
);

// 3. Speed and memory.
console.log('\n## Training speed (policy, batch 256, dimension 64, history 50, onnxruntime Gemm on 1 thread)\n');
for (const [variant, times] of epochTimes) {
  const steps = stepsPerEpoch.get(variant) ?? 0;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `- ${variant}: ${times.map((t) => t.toFixed(1)).join(', ')} s per epoch incl. validation (mean ${mean.toFixed(1)} s); ` +
      `fastest ${Math.min(...times).toFixed(1)} s; ${steps} steps per epoch, ${(steps / mean).toFixed(1)} steps/s on average, ` +
      `${(steps / Math.min(...times)).toFixed(1)} at best`,
  );
}
console.log('\n## EASE inverse (Cholesky, float64, TypeScript)\n');
for (const n of [399, 1000, 2000]) {
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] = i === j ? n : 1 / (1 + Math.abs(i - j));
  const t = performance.now();
  invertSymmetricPositiveDefinite(matrix, n);
  const s = seconds(t);
  console.log(`- ${n} books: ${s.toFixed(2)} s (10,000 books by n³: ~${((s * (10000 / n) ** 3) / 60).toFixed(0)} min)`);
}
const peak = process.resourceUsage().maxRSS / 1024;
console.log(`\nPeak memory (max RSS): ${peak.toFixed(0)} MiB. Total time: ${(seconds(started) / 60).toFixed(1)} min.`);
