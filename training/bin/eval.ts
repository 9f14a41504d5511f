/**
 * Offline evaluation: `npm run eval -- --train <ratings.csv> [--test <ratings.csv>] [--books <books.csv>]`.
 * goodbooks layout (`user_id,book_id,rating`, rows in time order). Prints one table: MostPop, ItemKNN, EASE and the
 * policy, NDCG@10, Recall@10, MRR and coverage@10 with 95% bootstrap intervals over readers.
 */
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createOnnxRuntimeGemm } from '../src/compute/onnxruntime-gemm';
import { readGoodbooksBooks } from '../src/data/goodbooks';
import { readInteractionsCsv } from '../src/data/interactions';
import { runEvaluation } from '../src/evaluation/run-evaluation';
import { formatTable, relativeNdcg } from '../src/evaluation/table';

const usage =
  'usage: npm run eval -- --train <ratings.csv> [--test <ratings.csv>] [--books <books.csv>] [--epochs N] [--seed N] [--json <report.json>]';

const { values } = parseArgs({
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    books: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help || !values.train) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

// `npm run -w training` runs in training/; paths are relative to where npm was started (INIT_CWD).
const resolve = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
const started = performance.now();
const train = await readInteractionsCsv(resolve(values.train));
const test = values.test ? await readInteractionsCsv(resolve(values.test)) : undefined;
const books = values.books ? await readGoodbooksBooks(resolve(values.books)) : undefined;
const gemm = await createOnnxRuntimeGemm();
const report = await runEvaluation(
  { train, test, books },
  {
    seed: values.seed ? Number(values.seed) : undefined,
    policy: values.epochs ? { epochs: Number(values.epochs) } : {},
    gemm,
    log: (message) => console.error(message),
  },
);
await gemm.release();

console.log(formatTable(report.rows));
console.log();
console.log(
  `${report.testCases} test readers (${report.skippedTestReaders} without a usable target), ${report.catalogueSize} books; ` +
    `EASE λ=${report.easeLambda} and policy epoch ${report.policyEpoch} chosen on ${report.validationCases} validation readers.`,
);
const gain = relativeNdcg(report.rows, 'Policy', 'EASE');
if (gain !== undefined) console.log(`Policy vs EASE NDCG@10: ${gain >= 0 ? '+' : ''}${gain.toFixed(1)}%`);
console.log(`Total time ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (values.json) {
  const { checkpoint: _checkpoint, ...rest } = report;
  await writeFile(resolve(values.json), `${JSON.stringify(rest, null, 2)}\n`);
}
