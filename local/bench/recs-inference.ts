/**
 * Section 1 of the recommendations benchmark: policy inference on one thread. For each model size, the model is
 * exported by training's own code, then loaded from the same policy.onnx with the recommender's session options
 * (intra/inter-op threads 1, all graph optimisations): as a bare `InferenceSession` (the floor: only `session.run`
 * on tensors built before the clock starts) and through `loadOnnxPolicy` with a small fake catalogue (every book
 * available, no new books; and with 1,000 new books with text vectors, to show their cost). `policy.recommend` is
 * timed end to end: tensors, the ONNX call, new-book scoring, exclusions and reasons. The calls of one row are
 * interleaved with the bare calls so that both meet the same noise of the shared machine.
 */
import { readFile, rm } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { booksToSkip, type HistoryEntry, type ReaderHistory } from '@shelfwise/lambdas/recommendations/domain/history';
import {
  loadOnnxPolicy,
  type CatalogueView,
  type OnnxPolicy,
} from '@shelfwise/lambdas/recommendations/adapters/onnx-policy';
import type { PolicyInput } from '@shelfwise/lambdas/recommendations/ports';
import { createRandom, type Random } from '@shelfwise/training/util/random';
import { exportRandomModel, type BenchModel } from './recs-model';
import {
  distribution,
  ms,
  timeInterleaved,
  verdict,
  type Distribution,
  type GoalFigure,
  type SectionResult,
} from './recs-stats';

export interface InferenceOptions {
  readonly sizes: readonly number[];
  /** Timed calls per row at batch 1. */
  readonly calls: number;
  /** Timed calls per row at batch 100 (each is up to a few hundred milliseconds at 100,000 books). */
  readonly batchCalls: number;
  readonly warmUp: number;
  readonly newBooks: number;
  readonly listSize: number;
  readonly log: (message: string) => void;
}

/** The goals: p99 for one reader. */
const goalMs: Record<number, number> = { 10_000: 1, 100_000: 5 };

const historyTypes: HistoryEntry['type'][] = ['view', 'view', 'view', 'view', 'borrow', 'finish', 'rate', 'dismiss'];

/** Readers with 5 to 50 history entries (the model reads 50) of a realistic mix of types. */
function readers(itemIds: readonly string[], count: number, random: Random): PolicyInput[] {
  return Array.from({ length: count }, (_, r) => {
    const length = 5 + random.int(46);
    const entries: HistoryEntry[] = Array.from({ length }, (_, j) => {
      const type = historyTypes[random.int(historyTypes.length)]!;
      return {
        eventId: `bench-${r}-${j}`,
        bookId: itemIds[random.int(itemIds.length)]!,
        type,
        rating: type === 'rate' ? 1 + random.int(5) : 0,
        occurredAt: new Date(Date.UTC(2026, 10, 1) - j * 60_000).toISOString(),
      };
    });
    const history: ReaderHistory = {
      readerId: `bench-reader-${r}`,
      entries,
      excluded: entries.filter((entry) => entry.type !== 'view').map((entry) => entry.bookId),
      appliedEventIds: entries.map((entry) => entry.eventId),
      version: 1,
    };
    return { history, skip: booksToSkip(history) };
  });
}

function fakeCatalogue(newBooks: number, embedderDimension: number, random: Random): CatalogueView {
  return {
    availableBooks: async (bookIds) => new Set(bookIds),
    embeddingsExcept: async () =>
      Array.from({ length: newBooks }, (_, i) => ({
        bookId: `new-${i}`,
        vector: Float32Array.from({ length: embedderDimension }, () => random.normal()),
      })),
  };
}

/** The feeds `recommend` builds for these readers, built here once (the floor times only `session.run`). */
function feeds(model: BenchModel, itemIndex: Map<string, number>, inputs: readonly PolicyInput[]) {
  const h = model.config.historyLength;
  const eventIndex = new Map(['rate', 'borrow', 'finish', 'dismiss', 'view'].map((type, i) => [type, i]));
  const items = new BigInt64Array(inputs.length * h);
  const events = new BigInt64Array(inputs.length * h);
  const ratings = new BigInt64Array(inputs.length * h);
  const mask = new Float32Array(inputs.length * h);
  inputs.forEach((input, row) => {
    input.history.entries.slice(0, h).forEach((entry, j) => {
      items[row * h + j] = BigInt(itemIndex.get(entry.bookId)!);
      events[row * h + j] = BigInt(eventIndex.get(entry.type)!);
      ratings[row * h + j] = BigInt(entry.rating);
      mask[row * h + j] = 1;
    });
  });
  const shape = [inputs.length, h];
  return {
    history_items: new ort.Tensor('int64', items, shape),
    history_events: new ort.Tensor('int64', events, shape),
    history_ratings: new ort.Tensor('int64', ratings, shape),
    history_mask: new ort.Tensor('float32', mask, shape),
  };
}

interface Row {
  readonly books: number;
  readonly newBooks: number;
  readonly batch: number;
  readonly bare: Distribution;
  readonly recommend: Distribution;
}

export async function benchInference(options: InferenceOptions): Promise<SectionResult> {
  const rows: Row[] = [];
  const random = createRandom(7);
  for (const books of options.sizes) {
    const itemIds = Array.from({ length: books }, (_, i) => String(i + 1));
    options.log(`exporting a randomly initialised ${books}-book model`);
    const model = await exportRandomModel(itemIds, `bench-${books}`);
    const onnx = await readFile(`${model.directory}/policy.onnx`);
    const files = {
      manifest: JSON.parse(await readFile(`${model.directory}/manifest.json`, 'utf8')) as unknown,
      onnx,
      checkpoint: await readFile(`${model.directory}/checkpoint.bin`),
    };
    await rm(model.directory, { recursive: true, force: true });
    const session = await ort.InferenceSession.create(onnx, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const policies = new Map<number, OnnxPolicy>();
    for (const newBooks of [0, options.newBooks]) {
      policies.set(newBooks, await loadOnnxPolicy(files, fakeCatalogue(newBooks, 1024, random)));
    }
    const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
    const pool = readers(itemIds, 400, random);
    for (const batch of [1, 100]) {
      const groups = Array.from({ length: pool.length / batch }, (_, g) => pool.slice(g * batch, (g + 1) * batch));
      const groupFeeds = groups.map((group) => feeds(model, itemIndex, group));
      // New books at batch 100 only for the first size (at 100,000 books it would only add minutes of waiting).
      const newBookCounts = [0, options.newBooks].filter(
        (newBooks) => newBooks === 0 || batch === 1 || books === options.sizes[0],
      );
      const calls = batch === 1 ? options.calls : options.batchCalls;
      const warmUp = batch === 1 ? options.warmUp : Math.ceil(options.warmUp / 10);
      options.log(
        `${books} books, batch ${batch}: bare session.run and policy.recommend with ${newBookCounts.join(' and ')} ` +
          `new books, interleaved, ${calls} calls each`,
      );
      const [bare, ...recommend] = await timeInterleaved(calls, warmUp, [
        (i) => session.run(groupFeeds[i % groups.length]!),
        ...newBookCounts.map(
          (newBooks) => (i: number) => policies.get(newBooks)!.recommend(groups[i % groups.length]!, options.listSize),
        ),
      ]);
      newBookCounts.forEach((newBooks, j) =>
        rows.push({
          books,
          newBooks,
          batch,
          bare: distribution(bare!),
          recommend: distribution(recommend[j]!),
        }),
      );
    }
    for (const policy of policies.values()) await policy.release();
    await session.release();
  }
  return report(rows, options);
}

function report(rows: readonly Row[], options: InferenceOptions): SectionResult {
  const lines = [
    '## 1. Policy inference, one thread',
    '',
    "Models: the real policy architecture at training's default dimensions (d = 64, history 50, hidden 128, 2 heads, " +
      "top-K 100), with RANDOMLY INITIALISED weights (training's `initialParams`; timing does not depend on the " +
      'values), exported by `exportModel` and loaded through `loadOnnxPolicy` with a fake catalogue (every book ' +
      `available; with 0 and with ${options.newBooks.toLocaleString('en')} new books, which are scored in ` +
      'TypeScript). Sessions: intra/inter-op threads 1. Readers: 5–50 history entries, mixed event types; ' +
      `list size ${options.listSize}. The bare \`session.run\` (the floor: tensors built before the clock starts) ` +
      'and `policy.recommend` (end to end: tensors, the ONNX call, new-book scoring, exclusions, reasons) are timed ' +
      'in turn, call after call, so that both meet the same machine noise.',
    '',
    '| books | new books | batch | calls | bare session.run p50 / p95 / p99 (ms) | policy.recommend p50 / p95 / p99 (ms) | ratio p50 / p99 | goal (p99, batch 1) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const notes: string[] = [];
  const goals: GoalFigure[] = [];
  for (const row of rows) {
    const goal = goalMs[row.books];
    const judged = row.batch === 1 && row.newBooks === 0 && goal !== undefined;
    const goalText = judged ? `≤ ${goal} ms: ${verdict(row.recommend.p99 <= goal)}` : '';
    if (judged) {
      goals.push({
        figure: `Policy inference, one thread, one reader, ${row.books.toLocaleString('en')} books: p99`,
        value: `${ms(row.recommend.p99)} ms (p50 ${ms(row.recommend.p50)}, p95 ${ms(row.recommend.p95)})`,
        floor: `bare session.run p99 ${ms(row.bare.p99)} ms (p50 ${ms(row.bare.p50)}, p95 ${ms(row.bare.p95)})`,
        ratio: `${(row.recommend.p99 / row.bare.p99).toFixed(2)}× (p50 ${(row.recommend.p50 / row.bare.p50).toFixed(2)}×)`,
        goal: `≤ ${goal} ms`,
        met: row.recommend.p99 <= goal,
      });
    }
    if (judged && row.recommend.p99 > goal && row.bare.p99 > goal) {
      notes.push(
        `${row.books.toLocaleString('en')} books: the bare ONNX call's own p99 (${ms(row.bare.p99)} ms) is over ` +
          `the goal as well, and its p50 is ${ms(row.bare.p50)} ms: the tail is the shared machine's, not the policy's.`,
      );
    }
    lines.push(
      `| ${row.books.toLocaleString('en')} | ${row.newBooks.toLocaleString('en')} | ${row.batch} | ` +
        `${row.recommend.count} | ${ms(row.bare.p50)} / ${ms(row.bare.p95)} / ${ms(row.bare.p99)} | ` +
        `${ms(row.recommend.p50)} / ${ms(row.recommend.p95)} / ${ms(row.recommend.p99)} | ` +
        `${(row.recommend.p50 / row.bare.p50).toFixed(2)}× / ${(row.recommend.p99 / row.bare.p99).toFixed(2)}× | ` +
        `${goalText} |`,
    );
  }
  if (notes.length > 0) lines.push('', ...notes);
  return { lines, goals };
}
