import { describe, expect, it } from 'vitest';
import type { ModelPointer } from '../../src/recommendations/adapters/model-store';
import { artifactsPrefix } from '../../src/pipelines/domain/s3-uri';
import { heldOutCases, ndcgAt, type HeldOutRow } from '../../src/pipelines/domain/held-out-window';
import { evaluateModels } from '../../src/pipelines/evaluate-models';
import type { ModelFilesRead, ModelRepository, Ranker, RankerLoader } from '../../src/pipelines/ports';
import { promoteModel, PromotionConflictError } from '../../src/pipelines/promote-model';
import { ValidationError } from '../../src/shared/errors';

const row = (user: string, book: string, event: HeldOutRow['event'], part: HeldOutRow['part'], rating = 0) => ({
  user_id: user,
  book_id: book,
  event,
  part,
  rating,
});

/**
 * r1: read a, b, then borrowed c and rated d 5★ (both valued) and viewed e (not valued).
 * r2: read a, then only viewed b: no valued book, left out. r3: nothing before the cut, left out.
 */
const window: HeldOutRow[] = [
  row('r1', 'a', 'view', 'input'),
  row('r2', 'a', 'borrow', 'input'),
  row('r1', 'b', 'rate', 'input', 4),
  row('r1', 'c', 'borrow', 'target'),
  row('r1', 'd', 'rate', 'target', 5),
  row('r1', 'e', 'view', 'target'),
  row('r2', 'b', 'view', 'target'),
  row('r3', 'c', 'borrow', 'target'),
];

/** A model that always answers the same list (its "manifest" is its version and that list). */
function fixedRanker(version: string, list: string[]): ModelFilesRead {
  return { manifest: { version, list }, onnx: new Uint8Array(), checkpoint: new Uint8Array() };
}

const rankers: RankerLoader = {
  load: async (files) => {
    const { version, list } = files.manifest as { version: string; list: string[] };
    const ranker: Ranker = {
      version,
      historyLength: 50,
      recommend: async (inputs, limit) =>
        inputs.map((input) =>
          list
            .filter((bookId) => !input.skip.has(bookId))
            .slice(0, limit)
            .map((bookId, i) => ({ bookId, score: -i, reason: { kind: 'popular' as const } })),
        ),
      release: async () => undefined,
    };
    return ranker;
  },
};

class InMemoryModels implements ModelRepository {
  readonly published: string[] = [];
  constructor(
    public current: ModelPointer | null,
    private readonly files_: Record<string, ModelFilesRead>,
  ) {}
  async pointer() {
    return this.current;
  }
  async files(pointer: ModelPointer) {
    const files = this.files_[pointer.prefix];
    if (!files) throw new Error(`no files at ${pointer.prefix}`);
    return files;
  }
  async publish(version: string) {
    this.published.push(version);
    return `policies/${version}/`;
  }
  async promote(version: string, options: { expectedVersion?: string | null }) {
    if ((this.current?.version ?? null) !== options.expectedVersion) return false;
    this.current = { version, prefix: `policies/${version}/`, promotedAt: 'now' };
    return true;
  }
}

const servingV1: ModelPointer = { version: 'v1', prefix: 'policies/v1/', promotedAt: 'earlier' };

describe('held-out window', () => {
  it('keeps readers with a history and a valued book after the cut, history most recent first', () => {
    // Act
    const cases = heldOutCases(window, 50);

    // Assess
    expect(cases).toHaveLength(1);
    expect(cases[0]?.history.map((entry) => entry.bookId)).toEqual(['b', 'a']);
    expect([...(cases[0]?.targets ?? [])]).toEqual(['c', 'd']);
  });

  it('computes NDCG@10 with binary relevance', () => {
    // Prepare: targets at ranks 1 and 3 of 2 possible → (1 + 1/log2(4)) / (1 + 1/log2(3)).
    const expected = (1 + 1 / 2) / (1 + 1 / Math.log2(3));

    // Act, Assess
    expect(ndcgAt(10, ['c', 'x', 'd'], new Set(['c', 'd']))).toBeCloseTo(expected, 12);
    expect(ndcgAt(10, ['x', 'y'], new Set(['c']))).toBe(0);
  });

  it('refuses artifacts outside the models bucket or compressed', () => {
    // Act, Assess
    expect(artifactsPrefix('s3://models/jobs/j1/output/model', 'models')).toBe('jobs/j1/output/model/');
    expect(() => artifactsPrefix('s3://other/jobs/j1/', 'models')).toThrow(ValidationError);
    expect(() => artifactsPrefix('s3://models/jobs/j1/model.tar.gz', 'models')).toThrow(ValidationError);
  });
});

describe('evaluateModels', () => {
  const heldOut = { rows: async () => window };

  it('finds a candidate better when it beats the serving model by the margin on the same readers', async () => {
    // Prepare: the candidate ranks c first (NDCG 0.6131), the serving model ranks neither target.
    const models = new InMemoryModels(servingV1, {
      'jobs/j1/': fixedRanker('v2', ['c', 'x']),
      'policies/v1/': fixedRanker('v1', ['x', 'y']),
    });

    // Act
    const result = await evaluateModels(
      { candidatePrefix: 'jobs/j1/', holdoutLocation: 's3://lake/h.csv', margin: 0.1 },
      {
        models,
        heldOut,
        rankers,
      },
    );

    // Assess
    expect(result).toMatchObject({ better: true, currentVersion: 'v1', readers: 1 });
    expect(result.candidate.ndcgAt10).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    expect(result.current?.ndcgAt10).toBe(0);
  });

  it('does not find a candidate better when it gains less than the margin', async () => {
    // Prepare: both rank c first.
    const models = new InMemoryModels(servingV1, {
      'jobs/j1/': fixedRanker('v2', ['c', 'd']),
      'policies/v1/': fixedRanker('v1', ['c', 'x', 'd']),
    });

    // Act
    const result = await evaluateModels(
      { candidatePrefix: 'jobs/j1/', holdoutLocation: 's3://lake/h.csv', margin: 0.5 },
      {
        models,
        heldOut,
        rankers,
      },
    );

    // Assess
    expect(result.better).toBe(false);
    expect(result.candidate.ndcgAt10).toBeGreaterThan(result.current?.ndcgAt10 ?? 1);
  });

  it('finds any candidate better when no model is serving', async () => {
    // Prepare
    const models = new InMemoryModels(null, { 'jobs/j1/': fixedRanker('v2', ['x']) });

    // Act
    const result = await evaluateModels(
      { candidatePrefix: 'jobs/j1/', holdoutLocation: 's3://lake/h.csv', margin: 0 },
      {
        models,
        heldOut,
        rankers,
      },
    );

    // Assess
    expect(result).toMatchObject({ better: true, current: null, currentVersion: null });
  });
});

describe('promoteModel', () => {
  const candidate = { manifest: { version: 'v2' }, onnx: new Uint8Array(), checkpoint: new Uint8Array() };

  it('publishes the candidate and moves the pointer from the version it was compared with', async () => {
    // Prepare
    const models = new InMemoryModels(servingV1, { 'jobs/j1/': candidate });
    models.files = async () => ({ ...candidate, manifest: validManifest('v2') });

    // Act
    const result = await promoteModel({ candidatePrefix: 'jobs/j1/', expectedVersion: 'v1', note: 'better' }, models);

    // Assess
    expect(result).toEqual({ promoted: 'v2', replaced: 'v1' });
    expect(models.published).toEqual(['v2']);
    expect(models.current?.version).toBe('v2');
  });

  it('fails and leaves the pointer when it moved since the evaluation', async () => {
    // Prepare
    const models = new InMemoryModels({ ...servingV1, version: 'v1b' }, {});
    models.files = async () => ({ ...candidate, manifest: validManifest('v2') });

    // Act, Assess
    await expect(
      promoteModel({ candidatePrefix: 'jobs/j1/', expectedVersion: 'v1', note: 'better' }, models),
    ).rejects.toThrow(PromotionConflictError);
    expect(models.current?.version).toBe('v1b');
  });
});

/** The smallest manifest `parseManifest` accepts, from the training export's schema. */
function validManifest(version: string): unknown {
  return {
    format: 'shelfwise-policy',
    schemaVersion: 1,
    version,
    createdAt: '2026-03-01T00:00:00.000Z',
    model: {
      file: 'policy.onnx',
      opset: 17,
      inputs: [],
      outputs: [],
    },
    itemIds: ['a'],
    dimension: 4,
    historyLength: 50,
    topK: 10,
    eventTypes: ['view'],
    ratingLevels: 6,
    embedder: { modelId: 'hashing', dimension: 4 },
    trainingData: { source: 't', interactions: 1, readers: 1, from: 'a', to: 'b' },
    metrics: {},
    training: {},
    checkpoint: { file: 'checkpoint.bin', config: {}, tensors: [] },
  };
}
