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
    return inputs.map((input, row) => {
      const candidates: { item: number; score: number }[] = [];
      for (let i = 0; i < k; i++) {
        candidates.push({ item: Number(topItems[row * k + i]), score: topScores[row * k + i]! });
      }
      const state = states.subarray(row * this.d, (row + 1) * this.d);
      for (let j = 0; j < this.newBiases.length; j++) {
        candidates.push({
          item: this.modelCount + j,
          score: dot(state, this.newOutputs, j * this.d) + this.newBiases[j]!,
        });
      }
      candidates.sort((a, b) => b.score - a.score);
      const history = used[row] ?? [];
      const picks: Recommendation[] = [];
      for (const { item, score } of candidates) {
        if (picks.length >= limit) break;
        const bookId = this.ids[item]!;
        if (input.skip.has(bookId) || (item < this.modelCount && !this.available.has(bookId))) continue;
        picks.push({ bookId, score, reason: this.explain(item, history) });
      }
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

  /** "Because you read X": the history book whose base vector is nearest to the recommended one. */
  private explain(item: number, history: readonly number[]): Recommendation['reason'] {
    let best: number | undefined;
    let bestScore = -Infinity;
    for (const source of new Set(history)) {
      const score = dot(this.bases.subarray(item * this.d, (item + 1) * this.d), this.bases, source * this.d);
      if (score > bestScore) {
        bestScore = score;
        best = source;
      }
    }
    return best === undefined ? { kind: 'policy' } : { kind: 'policy', becauseBookId: this.ids[best]! };
  }
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
