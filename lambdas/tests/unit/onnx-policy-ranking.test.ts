/**
 * The ranking `OnnxPolicy.recommend` makes from the graph's outputs: the model's top-K merged with the books added
 * since training (scored u · (W_out e) + w_bias · e), without skipped or unavailable books, each with its "because you
 * read" book. The graph is replaced by a stub session that returns chosen outputs (the graph itself is checked by
 * training's ONNX parity test); the expected lists come from the plain definition: one stable sort of [top-K, new
 * books] by descending score.
 */
import type * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxPolicy } from '../../src/recommendations/adapters/onnx-policy';
import type { HistoryEntry } from '../../src/recommendations/domain/history';
import type { Recommendation } from '../../src/recommendations/domain/recommendation';
import type { PolicyInput } from '../../src/recommendations/ports';
import { parseManifest } from '../../src/shared/model-manifest';

const d = 2;
/** History entries the model reads. */
const historyLength = 8;

/** What the stub graph answers for one reader. */
interface RowOutput {
  readonly items: readonly number[];
  readonly scores: readonly number[];
  readonly state: readonly [number, number];
}

interface Fixture {
  /** Base vectors of the model's books. */
  readonly modelBases: readonly (readonly [number, number])[];
  /** Text vectors of the books added since (the projection is the identity). */
  readonly newBooks: readonly (readonly [number, number])[];
  /** Model books that are available catalogue books (default: all). */
  readonly available?: readonly number[];
  readonly rows: readonly RowOutput[];
}

const modelId = (i: number) => `m${i}`;
const newId = (j: number) => `n${j}`;

function manifest(modelCount: number, topK: number) {
  const tensor = (name: string, type: 'int64' | 'float32', shape: (number | 'batch')[]) => ({
    name,
    type,
    shape,
    description: name,
  });
  return parseManifest({
    format: 'shelfwise-policy',
    schemaVersion: 1,
    version: 'v-ranking',
    createdAt: '2026-11-01T00:00:00.000Z',
    model: {
      file: 'policy.onnx',
      opset: 17,
      inputs: ['history_items', 'history_events', 'history_ratings'].map((name) =>
        tensor(name, 'int64', ['batch', historyLength]),
      ),
      outputs: [tensor('top_items', 'int64', ['batch', topK]), tensor('top_scores', 'float32', ['batch', topK])],
    },
    itemIds: Array.from({ length: modelCount }, (_, i) => modelId(i)),
    dimension: d,
    historyLength,
    topK,
    eventTypes: ['rate', 'borrow', 'finish', 'dismiss', 'view'],
    ratingLevels: 6,
    embedder: { modelId: 'test', dimension: d },
    trainingData: { source: 'test', interactions: 0, readers: 0, from: 'none', to: 'none' },
    metrics: {},
    training: {},
    checkpoint: { file: 'checkpoint.bin', config: {}, tensors: [] },
  });
}

/** A session whose `run` answers the fixture's rows (as many as the feeds have), as onnxruntime would shape them. */
function stubSession(rows: readonly RowOutput[]): ort.InferenceSession {
  return {
    run: async (feeds: Record<string, ort.Tensor>) => {
      const count = feeds.history_items!.dims[0]!;
      const k = rows[0]!.items.length;
      const items = new BigInt64Array(count * k);
      const scores = new Float32Array(count * k);
      const states = new Float32Array(count * d);
      for (let row = 0; row < count; row++) {
        const output = rows[row % rows.length]!;
        output.items.forEach((item, i) => (items[row * k + i] = BigInt(item)));
        scores.set(output.scores, row * k);
        states.set(output.state, row * d);
      }
      return { top_items: { data: items }, top_scores: { data: scores }, user_state: { data: states } };
    },
    release: async () => undefined,
  } as unknown as ort.InferenceSession;
}

function policyOf(fixture: Fixture): OnnxPolicy {
  const identity = Float32Array.from([1, 0, 0, 1]);
  const modelCount = fixture.modelBases.length;
  return new OnnxPolicy(
    stubSession(fixture.rows),
    manifest(modelCount, fixture.rows[0]!.items.length),
    {
      itemBase: Float32Array.from(fixture.modelBases.flat()),
      wOut: identity,
      wBias: new Float32Array(d),
      projection: identity,
      projectionInput: d,
    },
    new Set((fixture.available ?? fixture.modelBases.map((_, i) => i)).map(modelId)),
    fixture.newBooks.map((vector, j) => ({ bookId: newId(j), vector: Float32Array.from(vector) })),
  );
}

function input(history: readonly number[], skip: readonly string[] = []): PolicyInput {
  const entries: HistoryEntry[] = history.map((item, i) => ({
    eventId: `e${i}`,
    bookId: modelId(item),
    type: 'view',
    rating: 0,
    occurredAt: new Date(Date.UTC(2026, 10, 1) - i * 60_000).toISOString(),
  }));
  return {
    history: { readerId: 'r', entries, excluded: [], appliedEventIds: [], version: 1 },
    skip: new Set(skip),
  };
}

/** A new book's base vector as the policy computes it: e = unit(P x) in float32, with P the identity. */
function newBase(vector: readonly number[]): Float32Array {
  const base = Float32Array.from(vector);
  const norm = Math.sqrt(base.reduce((sum, value) => sum + value * value, 0));
  if (norm > 0) for (let i = 0; i < d; i++) base[i]! /= norm;
  return base;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < d; i++) sum += a[i]! * b[i]!;
  return sum;
};

/** The definition: one stable sort of [top-K, new books] by descending score, then the first `limit` allowed. */
function expected(fixture: Fixture, row: RowOutput, reader: PolicyInput, limit: number): Recommendation[] {
  const state = Float32Array.from(row.state);
  const modelBases = fixture.modelBases.map((vector) => Float32Array.from(vector));
  const newBases = fixture.newBooks.map(newBase);
  const available = new Set(fixture.available ?? fixture.modelBases.map((_, i) => i));
  const scores = Float32Array.from(row.scores);
  const candidates = [
    ...row.items.map((item, i) => ({ id: modelId(item), base: modelBases[item]!, score: scores[i]!, model: item })),
    ...newBases.map((base, j) => ({ id: newId(j), base, score: dot(state, base), model: -1 })),
  ];
  candidates.sort((a, b) => b.score - a.score);
  const read = reader.history.entries.slice(0, historyLength);
  const history = [...new Set(read.map((entry) => Number(entry.bookId.slice(1))))];
  return candidates
    .filter((candidate) => !reader.skip.has(candidate.id) && (candidate.model < 0 || available.has(candidate.model)))
    .slice(0, limit)
    .map((candidate) => {
      let because: number | undefined;
      let best = -Infinity;
      for (const source of history) {
        const score = dot(candidate.base, modelBases[source]!);
        if (score > best) [best, because] = [score, source];
      }
      return {
        bookId: candidate.id,
        score: candidate.score,
        reason:
          because === undefined
            ? { kind: 'policy' as const }
            : { kind: 'policy' as const, becauseBookId: modelId(because) },
      };
    });
}

/** Six model books and four new ones around the unit circle; the reader state points along x. */
const circle: Fixture = {
  modelBases: [
    [1, 0],
    [0.8, 0.6],
    [0.6, 0.8],
    [0, 1],
    [-0.6, 0.8],
    [-1, 0],
  ],
  newBooks: [
    [2, 0], // score 1: above every model book
    [0, 3], // score 0
    [3, 4], // score 0.6 exactly in float32, as m2
    [3, -4], // score 0.6, tied with n2
  ],
  rows: [{ items: [1, 2, 3, 4], scores: [0.9, 0.6, 0.5, 0.1], state: [1, 0] }],
};

describe('OnnxPolicy ranking', () => {
  it("ranks a new book that outscores the model's books first, ties to the model's book then the lower index", async () => {
    // Prepare
    const policy = policyOf(circle);

    // Act
    const [picks] = await policy.recommend([input([0])], 10);

    // Assess
    expect(picks!.map((pick) => pick.bookId)).toEqual(['n0', 'm1', 'm2', 'n2', 'n3', 'm3', 'm4', 'n1']);
    expect(picks).toEqual(expected(circle, circle.rows[0]!, input([0]), 10));
    expect(picks![0]).toMatchObject({ score: 1, reason: { kind: 'policy', becauseBookId: 'm0' } });
  });

  it('leaves out skipped books, unavailable model books and whatever is past the limit', async () => {
    // Prepare
    const fixture = { ...circle, available: [0, 2, 3, 4, 5] };
    const policy = policyOf(fixture);
    const reader = input([5, 0, 5], ['n0', 'm3']);

    // Act
    const [picks] = await policy.recommend([reader], 3);
    const [none] = await policy.recommend([reader], 0);

    // Assess
    expect(picks!.map((pick) => pick.bookId)).toEqual(['m2', 'n2', 'n3']);
    expect(picks).toEqual(expected(fixture, fixture.rows[0]!, reader, 3));
    expect(none).toEqual([]);
  });

  it("falls back to one sort of every candidate when the model's scores are not in order", async () => {
    // Prepare
    const row: RowOutput = { items: [3, 1, 4, 2], scores: [0.5, 0.9, 0.1, 0.6], state: [1, 0] };
    const fixture = { ...circle, rows: [row] };
    const policy = policyOf(fixture);

    // Act
    const [picks] = await policy.recommend([input([0])], 10);

    // Assess
    expect(picks!.map((pick) => pick.bookId)).toEqual(['n0', 'm1', 'm2', 'n2', 'n3', 'm3', 'm4', 'n1']);
    expect(picks).toEqual(expected(fixture, row, input([0]), 10));
  });

  it('falls back to one sort of every candidate when a model score or a new book score is NaN', async () => {
    // Prepare
    const nanModel: Fixture = {
      ...circle,
      rows: [{ items: [1, 2, 3, 4], scores: [0.9, NaN, 0.5, 0.1], state: [1, 0] }],
    };
    const nanNewBook: Fixture = { ...circle, newBooks: [...circle.newBooks, [NaN, 1]] };

    // Act
    const [fromNanModel] = await policyOf(nanModel).recommend([input([0])], 10);
    const [fromNanNewBook] = await policyOf(nanNewBook).recommend([input([0])], 10);

    // Assess
    expect(fromNanModel).toEqual(expected(nanModel, nanModel.rows[0]!, input([0]), 10));
    expect(fromNanNewBook).toEqual(expected(nanNewBook, nanNewBook.rows[0]!, input([0]), 10));
    expect(fromNanModel).toHaveLength(8);
    expect(fromNanNewBook).toHaveLength(9);
  });

  it('matches the one-sort definition on random outputs with ties, for every reader of a batch', async () => {
    // Prepare
    let seed = 17;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const coarse = () => Math.round((random() * 2 - 1) * 4) / 4; // few distinct values: ties are common
    const trials = Array.from({ length: 60 }, () => {
      const modelBases = Array.from({ length: 12 }, () => [coarse(), coarse()] as const);
      const newBooks = Array.from({ length: Math.floor(random() * 10) }, () => [coarse(), coarse()] as const);
      const rows = Array.from({ length: 3 }, (): RowOutput => {
        const items = [...modelBases.keys()].sort(() => random() - 0.5).slice(0, 6);
        const scores = items.map(coarse).sort((a, b) => b - a);
        return { items, scores, state: [coarse(), coarse()] };
      });
      const available = [...modelBases.keys()].filter(() => random() < 0.8);
      const fixture: Fixture = { modelBases, newBooks, available, rows };
      const readers = rows.map(() =>
        input(
          Array.from({ length: 1 + Math.floor(random() * 11) }, () => Math.floor(random() * 12)),
          [...modelBases.keys(), ...newBooks.keys()]
            .filter(() => random() < 0.2)
            .map((i) => (random() < 0.5 ? modelId(i) : newId(i))),
        ),
      );
      return { fixture, readers, limit: Math.floor(random() * 14) };
    });

    for (const { fixture, readers, limit } of trials) {
      // Act
      const picks = await policyOf(fixture).recommend(readers, limit);

      // Assess
      expect(picks).toEqual(readers.map((reader, row) => expected(fixture, fixture.rows[row]!, reader, limit)));
    }
  });
});
