/**
 * The trained policy served with onnxruntime-node: a model folder exported by `training/` (policy.onnx,
 * manifest.json, checkpoint.bin) checked against its manifest and the catalogue, then run for a whole batch of
 * readers in one call.
 *
 * Books added to the catalogue after training are still recommendable: their text embedding goes through the
 * model's own triplet projection to a base vector e, and with the reader state u that the graph outputs
 * (`user_state`) they score u · (W_out e) + w_bias · e — what the model gives any book whose learned residuals are
 * still zero. They cannot yet be inputs (the graph's item table is fixed); in a history they are skipped by the
 * model and the content fallbacks cover them.
 */
import * as ort from 'onnxruntime-node';
import { parseManifest, type Manifest } from '../../shared/model-manifest';
import type { Recommendation } from '../domain/recommendation';
import type { Policy, PolicyInput } from '../ports';

export class ModelRejectedError extends Error {
  constructor(
    readonly version: string,
    reason: string,
  ) {
    super(`Model ${version} rejected: ${reason}`);
    this.name = 'ModelRejectedError';
  }
}

export interface ModelFiles {
  /** manifest.json, parsed JSON (not yet checked). */
  readonly manifest: unknown;
  readonly onnx: Uint8Array;
  readonly checkpoint: Uint8Array;
}

export interface CatalogueView {
  /** Which of these ids are available catalogue books. */
  availableBooks(bookIds: readonly string[]): Promise<Set<string>>;
  /** Text embeddings (of the model's embedder) of available books outside `knownIds`. */
  embeddingsExcept(
    model: { modelId: string; dimension: number },
    knownIds: ReadonlySet<string>,
  ): Promise<{ bookId: string; vector: Float32Array }[]>;
}

export interface PolicyLoadOptions {
  /** Least share of the model's books that must be available catalogue books (default 0.5). */
  readonly minCatalogueMatch?: number;
}

const inputNames = ['history_items', 'history_events', 'history_ratings', 'history_mask'] as const;
const outputNames = ['top_items', 'top_scores', 'user_state'] as const;

/** Loads and checks a model; throws ModelRejectedError saying what is wrong. */
export async function loadOnnxPolicy(
  files: ModelFiles,
  catalogue: CatalogueView,
  options: PolicyLoadOptions = {},
): Promise<OnnxPolicy> {
  const claimed =
    typeof files.manifest === 'object' && files.manifest !== null && 'version' in files.manifest
      ? String(files.manifest.version)
      : 'unknown';
  let manifest: Manifest;
  try {
    manifest = parseManifest(files.manifest);
  } catch (error) {
    throw new ModelRejectedError(claimed, (error as Error).message);
  }
  const reject = (reason: string) => new ModelRejectedError(manifest.version, reason);
  const declaredInputs = manifest.model.inputs.map((input) => input.name);
  const declaredOutputs = manifest.model.outputs.map((output) => output.name);
  if (inputNames.some((name) => !declaredInputs.includes(name))) {
    throw reject(`manifest inputs ${declaredInputs.join(', ')} lack one of ${inputNames.join(', ')}`);
  }
  if (outputNames.some((name) => !declaredOutputs.includes(name))) {
    throw reject(`manifest outputs ${declaredOutputs.join(', ')} lack one of ${outputNames.join(', ')}`);
  }
  if (new Set(manifest.itemIds).size !== manifest.itemIds.length) throw reject('manifest itemIds repeat an id');

  const tensors = checkpointTensors(files.checkpoint, manifest, reject);

  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(files.onnx, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw reject(`policy.onnx does not load: ${(error as Error).message}`);
  }
  for (const name of inputNames) {
    if (!session.inputNames.includes(name)) {
      await session.release();
      throw reject(`policy.onnx has no input ${name} (it has ${session.inputNames.join(', ')})`);
    }
  }

  const available = await catalogue.availableBooks(manifest.itemIds);
  const minMatch = options.minCatalogueMatch ?? 0.5;
  if (available.size < minMatch * manifest.itemIds.length) {
    await session.release();
    throw reject(
      `manifest does not match the catalogue: ${available.size} of its ${manifest.itemIds.length} books are ` +
        `available catalogue books (at least ${Math.round(minMatch * 100)}% needed)`,
    );
  }
  const newBooks = await catalogue.embeddingsExcept(manifest.embedder, new Set(manifest.itemIds));
  const policy = new OnnxPolicy(session, manifest, tensors, available, newBooks);
  try {
    await policy.recommend([], 1);
    await policy.selfCheck();
  } catch (error) {
    await session.release();
    throw reject(`policy.onnx fails on a test history: ${(error as Error).message}`);
  }
  return policy;
}

interface PolicyTensors {
  /** Base vectors e of the model's books, [n, d]. */
  readonly itemBase: Float32Array;
  readonly wOut: Float32Array; // [d, d]
  readonly wBias: Float32Array; // [d]
  readonly projection: Float32Array; // [d, embedder dimension]
  readonly projectionInput: number;
}

function checkpointTensors(
  bytes: Uint8Array,
  manifest: Manifest,
  reject: (reason: string) => ModelRejectedError,
): PolicyTensors {
  if (bytes.byteLength % 4 !== 0) throw reject('checkpoint.bin is not a whole number of float32 values');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const data = new Float32Array(copy.buffer);
  const d = manifest.dimension;
  const tensor = (name: string, expected?: readonly number[]): { values: Float32Array; shape: number[] } => {
    const entry = manifest.checkpoint.tensors.find((candidate) => candidate.name === name);
    if (!entry) throw reject(`checkpoint has no tensor ${name}`);
    const length = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.offset + length > data.length) throw reject(`checkpoint.bin is too short for tensor ${name}`);
    if (expected && (expected.length !== entry.shape.length || expected.some((size, i) => size !== entry.shape[i]))) {
      throw reject(
        `checkpoint tensor ${name} has shape [${entry.shape.join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
    return { values: data.subarray(entry.offset, entry.offset + length), shape: entry.shape };
  };
  const projection = tensor('projection');
  const [outputs, inputs] = projection.shape;
  if (outputs !== d || inputs !== manifest.embedder.dimension) {
    throw reject(
      `checkpoint projection is [${projection.shape.join(', ')}], expected [${d}, ${manifest.embedder.dimension}]`,
    );
  }
  return {
    itemBase: tensor('itemBase', [manifest.itemIds.length, d]).values,
    wOut: tensor('wOut', [d, d]).values,
    wBias: tensor('wBias', [d]).values,
    projection: projection.values,
    projectionInput: inputs,
  };
}

export class OnnxPolicy implements Policy {
  readonly version: string;
  private readonly index = new Map<string, number>();
  private readonly eventIndex: Map<string, number>;
  /** Base vectors of every known book: the model's n, then the new books. */
  private readonly bases: Float32Array;
  private readonly ids: string[];
  /** Output vectors W_out e and biases w_bias · e of the new books. */
  private readonly newOutputs: Float32Array;
  private readonly newBiases: Float32Array;
  private readonly modelCount: number;
  private readonly d: number;

  constructor(
    private readonly session: ort.InferenceSession,
    readonly manifest: Manifest,
    tensors: PolicyTensors,
    /** Model books that are available catalogue books at load time. */
    private readonly available: ReadonlySet<string>,
    newBooks: readonly { bookId: string; vector: Float32Array }[],
  ) {
    this.version = manifest.version;
    this.d = manifest.dimension;
    this.modelCount = manifest.itemIds.length;
    this.eventIndex = new Map(manifest.eventTypes.map((type, i) => [type, i]));
    const d = this.d;
    const fresh = newBooks.filter((book) => book.vector.length === tensors.projectionInput);
    this.ids = [...manifest.itemIds, ...fresh.map((book) => book.bookId)];
    this.ids.forEach((id, i) => this.index.set(id, i));
    this.bases = new Float32Array(this.ids.length * d);
    this.bases.set(tensors.itemBase);
    this.newOutputs = new Float32Array(fresh.length * d);
    this.newBiases = new Float32Array(fresh.length);
    fresh.forEach((book, j) => {
      const base = this.bases.subarray((this.modelCount + j) * d, (this.modelCount + j + 1) * d);
      // e = unit(P x), as training's projectAll.
      for (let r = 0; r < d; r++) {
        let sum = 0;
        const row = tensors.projection.subarray(r * tensors.projectionInput, (r + 1) * tensors.projectionInput);
        for (let c = 0; c < row.length; c++) sum += row[c]! * book.vector[c]!;
        base[r] = sum;
      }
      normalise(base);
      const out = this.newOutputs.subarray(j * d, (j + 1) * d);
      let bias = 0;
      for (let r = 0; r < d; r++) {
        let sum = 0;
        for (let c = 0; c < d; c++) sum += tensors.wOut[r * d + c]! * base[c]!;
        out[r] = sum;
        bias += tensors.wBias[r]! * base[r]!;
      }
      this.newBiases[j] = bias;
    });
  }

  /** How many books this policy can score: the model's and those added since. */
  get bookCount(): number {
    return this.ids.length;
  }

  get newBookCount(): number {
    return this.ids.length - this.modelCount;
  }

  knows(bookId: string): boolean {
    return this.index.has(bookId);
  }

  async recommend(inputs: readonly PolicyInput[], limit: number): Promise<Recommendation[][]> {
    const h = this.manifest.historyLength;
    const rows = Math.max(inputs.length, 1);
    const items = new BigInt64Array(rows * h);
    const events = new BigInt64Array(rows * h);
    const ratings = new BigInt64Array(rows * h);
    const mask = new Float32Array(rows * h);
    const used: number[][] = inputs.map((input, row) => {
      const positions: number[] = [];
      for (const entry of input.history.entries) {
        if (positions.length >= h) break;
        const item = this.index.get(entry.bookId);
        const event = this.eventIndex.get(entry.type);
        if (item === undefined || item >= this.modelCount || event === undefined) continue;
        const at = row * h + positions.length;
        items[at] = BigInt(item);
        events[at] = BigInt(event);
        ratings[at] = BigInt(Math.min(entry.rating, this.manifest.ratingLevels - 1));
        mask[at] = 1;
        positions.push(item);
      }
      return positions;
    });
    const shape = [rows, h];
    const result = await this.session.run({
      history_items: new ort.Tensor('int64', items, shape),
      history_events: new ort.Tensor('int64', events, shape),
      history_ratings: new ort.Tensor('int64', ratings, shape),
      history_mask: new ort.Tensor('float32', mask, shape),
    });
    const topItems = result.top_items?.data as BigInt64Array | undefined;
    const topScores = result.top_scores?.data as Float32Array | undefined;
    const states = result.user_state?.data as Float32Array | undefined;
    if (!topItems || !topScores || !states)
      throw new Error('policy.onnx did not return top_items, top_scores and user_state');
    const k = topItems.length / rows;
    const newCount = this.newBiases.length;
    const newScores = new Float64Array(newCount);
    return inputs.map((input, row) => {
      const state = states.subarray(row * this.d, (row + 1) * this.d);
      scoreNewBooks(state, this.newOutputs, this.newBiases, newScores);
      const history = uniqueInOrder(used[row] ?? []);
      const picks: Recommendation[] = [];
      const take = (item: number, score: number): boolean => {
        if (picks.length >= limit) return false;
        const bookId = this.ids[item]!;
        if (input.skip.has(bookId) || (item < this.modelCount && !this.available.has(bookId))) return true;
        picks.push({ bookId, score, reason: this.explain(item, history) });
        return true;
      };
      const ranked = rankedOrNull(topScores, row * k, k, newScores);
      if (ranked) {
        // The model's books (best first) merged with the new books, drawn best first only as far as the list needs.
        let model = 0;
        for (;;) {
          const fresh = ranked.peek();
          const fromModel = model < k && (fresh < 0 || topScores[row * k + model]! >= newScores[fresh]!);
          if (fromModel) {
            if (!take(Number(topItems[row * k + model]), topScores[row * k + model]!)) break;
            model++;
          } else if (fresh >= 0) {
            ranked.pop();
            if (!take(this.modelCount + fresh, newScores[fresh]!)) break;
          } else break;
        }
        return picks;
      }
      // A NaN or an unsorted model output: the general path (one stable sort of every candidate).
      const candidates: { item: number; score: number }[] = [];
      for (let i = 0; i < k; i++) {
        candidates.push({ item: Number(topItems[row * k + i]), score: topScores[row * k + i]! });
      }
      for (let j = 0; j < newCount; j++) candidates.push({ item: this.modelCount + j, score: newScores[j]! });
      candidates.sort((a, b) => b.score - a.score);
      for (const { item, score } of candidates) if (!take(item, score)) break;
      return picks;
    });
  }

  similar(bookId: string, limit: number, skip: ReadonlySet<string>): Recommendation[] {
    const source = this.index.get(bookId);
    if (source === undefined) return [];
    const d = this.d;
    const scored: { item: number; score: number }[] = [];
    for (let i = 0; i < this.ids.length; i++) {
      if (i === source) continue;
      scored.push({ item: i, score: dot(this.bases.subarray(source * d, (source + 1) * d), this.bases, i * d) });
    }
    scored.sort((a, b) => b.score - a.score);
    const result: Recommendation[] = [];
    for (const { item, score } of scored) {
      if (result.length >= limit) break;
      const id = this.ids[item]!;
      if (skip.has(id) || (item < this.modelCount && !this.available.has(id))) continue;
      result.push({ bookId: id, score, reason: { kind: 'similar', becauseBookId: bookId } });
    }
    return result;
  }

  /** Runs one real history through the graph and checks the outputs' shapes. */
  async selfCheck(): Promise<void> {
    const firstBook = this.manifest.itemIds[0];
    if (firstBook === undefined) throw new Error('the model has no books');
    const [picks] = await this.recommend(
      [
        {
          history: {
            readerId: 'self-check',
            entries: [{ eventId: 'self-check', bookId: firstBook, type: 'view', rating: 0, occurredAt: '' }],
            excluded: [],
            appliedEventIds: [],
            version: 0,
          },
          skip: new Set(),
        },
      ],
      5,
    );
    if (!picks || picks.some((pick) => !Number.isFinite(pick.score))) throw new Error('scores are not finite');
    if (picks.some((pick) => pick.bookId === firstBook)) throw new Error('it recommends a book of the history');
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  /** "Because you read X": the history book whose base vector is nearest to the recommended one (the first if tied). */
  private explain(item: number, history: readonly number[]): Recommendation['reason'] {
    let best: number | undefined;
    let bestScore = -Infinity;
    const d = this.d;
    const bases = this.bases;
    const at = item * d;
    const consider = (source: number, score: number) => {
      if (score > bestScore) {
        bestScore = score;
        best = source;
      }
    };
    // Four sources at a time: four independent sums (each in the same order as a plain dot product, so the very
    // same values) keep the floating-point unit busy instead of waiting on one chain of additions.
    let h = 0;
    for (; h + 4 <= history.length; h += 4) {
      const s0 = history[h]!;
      const s1 = history[h + 1]!;
      const s2 = history[h + 2]!;
      const s3 = history[h + 3]!;
      const f0 = s0 * d;
      const f1 = s1 * d;
      const f2 = s2 * d;
      const f3 = s3 * d;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let i = 0; i < d; i++) {
        const x = bases[at + i]!;
        d0 += x * bases[f0 + i]!;
        d1 += x * bases[f1 + i]!;
        d2 += x * bases[f2 + i]!;
        d3 += x * bases[f3 + i]!;
      }
      consider(s0, d0);
      consider(s1, d1);
      consider(s2, d2);
      consider(s3, d3);
    }
    for (; h < history.length; h++) {
      const source = history[h]!;
      const from = source * d;
      let score = 0;
      for (let i = 0; i < d; i++) score += bases[at + i]! * bases[from + i]!;
      consider(source, score);
    }
    return best === undefined ? { kind: 'policy' } : { kind: 'policy', becauseBookId: this.ids[best]! };
  }
}

/** The distinct values in order of first appearance (what iterating a Set of them gives). */
function uniqueInOrder(values: readonly number[]): number[] {
  return [...new Set(values)];
}

/** Indices of `scores` drawn best first (ties: lower index first, as a stable sort), by a binary heap. */
class BestFirst {
  private readonly heap: Int32Array;
  private size: number;

  constructor(private readonly scores: Float64Array) {
    this.size = scores.length;
    this.heap = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) this.heap[i] = i;
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** The best remaining index, or -1. */
  peek(): number {
    return this.size > 0 ? this.heap[0]! : -1;
  }

  pop(): void {
    if (this.size === 0) return;
    this.size--;
    this.heap[0] = this.heap[this.size]!;
    this.down(0);
  }

  private before(a: number, b: number): boolean {
    const sa = this.scores[a]!;
    const sb = this.scores[b]!;
    return sa > sb || (sa === sb && a < b);
  }

  private down(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const child = right < this.size && this.before(heap[right]!, heap[left]!) ? right : left;
      if (!this.before(heap[child]!, heap[i]!)) return;
      const swap = heap[i]!;
      heap[i] = heap[child]!;
      heap[child] = swap;
      i = child;
    }
  }
}

/**
 * The new books best first when a merge gives exactly the order of one stable sort of [model's top-K, new books] by
 * descending score: the model's scores are non-increasing and no score is NaN. Null otherwise.
 */
function rankedOrNull(topScores: Float32Array, offset: number, k: number, newScores: Float64Array): BestFirst | null {
  for (let i = 0; i < k; i++) {
    const score = topScores[offset + i]!;
    if (Number.isNaN(score) || (i > 0 && !(topScores[offset + i - 1]! >= score))) return null;
  }
  for (const score of newScores) if (Number.isNaN(score)) return null;
  return new BestFirst(newScores);
}

/**
 * scores[j] = state · outputs[j] + biases[j] for every new book j, each dot product summed in index order (as `dot`),
 * four books at a time so that the four independent sums overlap.
 */
function scoreNewBooks(state: Float32Array, outputs: Float32Array, biases: Float32Array, scores: Float64Array): void {
  const d = state.length;
  const count = biases.length;
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const o0 = j * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < d; i++) {
      const u = state[i]!;
      s0 += u * outputs[o0 + i]!;
      s1 += u * outputs[o1 + i]!;
      s2 += u * outputs[o2 + i]!;
      s3 += u * outputs[o3 + i]!;
    }
    scores[j] = s0 + biases[j]!;
    scores[j + 1] = s1 + biases[j + 1]!;
    scores[j + 2] = s2 + biases[j + 2]!;
    scores[j + 3] = s3 + biases[j + 3]!;
  }
  for (; j < count; j++) scores[j] = dot(state, outputs, j * d) + biases[j]!;
}

function dot(a: Float32Array, matrix: Float32Array, offset: number): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * matrix[offset + i]!;
  return sum;
}

function normalise(vector: Float32Array): void {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
}
