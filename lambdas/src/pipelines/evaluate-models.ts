/**
 * Use case: evaluate a retrained candidate against the serving model on the same held-out window.
 *
 * 1. Read the held-out window (`holdout` export) and turn it into cases: each reader's history before the cut and
 *    the books they valued after it (`domain/held-out-window.ts`).
 * 2. Load the candidate (the training job's output prefix) and the model the pointer names, with the recommender's
 *    own policy code.
 * 3. Give both the same histories, ask each for 10 books (history books left out) and average NDCG@10.
 * 4. The candidate is better when nothing is serving, or when its NDCG@10 beats the serving model's by at least
 *    `margin` on at least one reader. The decision and the version compared against go back to the state machine,
 *    which promotes only a better candidate (`promote-model.ts`). Nothing is changed here.
 */
import { ShelfwiseError } from '../shared/errors';
import { heldOutCases, ndcgAt, type HeldOutCase } from './domain/held-out-window';
import type { HeldOutWindowSource, ModelFilesRead, ModelRepository, RankerLoader } from './ports';

/** How many books each model ranks per reader. */
export const evaluationCutoff = 10;

export const defaultPromotionMargin = 0.005;

export class EvaluationError extends ShelfwiseError {}

export interface EvaluateModelsRequest {
  /** Key prefix of the candidate's files in the models bucket, ending in `/`. */
  readonly candidatePrefix: string;
  /** Where the `holdout` export is (an `s3://` URI). */
  readonly holdoutLocation: string;
  /** How much higher the candidate's NDCG@10 must be. */
  readonly margin: number;
}

export interface ModelScore {
  readonly version: string;
  readonly ndcgAt10: number;
}

export interface EvaluateModelsResult {
  readonly candidate: ModelScore;
  /** null when no model was serving. */
  readonly current: ModelScore | null;
  /** The serving version compared against (what promotion expects the pointer to name), or null. */
  readonly currentVersion: string | null;
  /** Readers of the held-out window both models were scored on. */
  readonly readers: number;
  readonly margin: number;
  readonly better: boolean;
  readonly reason: string;
}

export interface EvaluateModelsDependencies {
  readonly models: ModelRepository;
  readonly heldOut: HeldOutWindowSource;
  readonly rankers: RankerLoader;
}

async function score(
  files: ModelFilesRead,
  rows: Parameters<typeof heldOutCases>[0],
  rankers: RankerLoader,
): Promise<{ version: string; ndcgAt10: number; readers: number }> {
  const ranker = await rankers.load(files);
  try {
    const cases: HeldOutCase[] = heldOutCases(rows, ranker.historyLength);
    if (cases.length === 0) return { version: ranker.version, ndcgAt10: 0, readers: 0 };
    const lists = await ranker.recommend(
      cases.map((c) => ({
        history: { readerId: c.readerId, entries: c.history, excluded: [], appliedEventIds: [], version: 0 },
        skip: new Set(c.history.map((entry) => entry.bookId)),
      })),
      evaluationCutoff,
    );
    const total = cases.reduce(
      (sum, c, i) =>
        sum +
        ndcgAt(
          evaluationCutoff,
          (lists[i] ?? []).map((r) => r.bookId),
          c.targets,
        ),
      0,
    );
    return { version: ranker.version, ndcgAt10: total / cases.length, readers: cases.length };
  } finally {
    await ranker.release();
  }
}

export async function evaluateModels(
  request: EvaluateModelsRequest,
  { models, heldOut, rankers }: EvaluateModelsDependencies,
): Promise<EvaluateModelsResult> {
  const rows = await heldOut.rows(request.holdoutLocation);
  const candidateFiles = await models.files({ version: 'candidate', prefix: request.candidatePrefix, promotedAt: '' });
  const candidate = await score(candidateFiles, rows, rankers);
  const pointer = await models.pointer();
  const base = { candidate: { version: candidate.version, ndcgAt10: candidate.ndcgAt10 }, margin: request.margin };
  if (!pointer) {
    return {
      ...base,
      current: null,
      currentVersion: null,
      readers: candidate.readers,
      better: true,
      reason: 'no model was serving',
    };
  }
  if (pointer.version === candidate.version) {
    throw new EvaluationError(`The candidate has the serving model's version ${pointer.version}`);
  }
  const current = await score(await models.files(pointer), rows, rankers);
  const readers = Math.min(candidate.readers, current.readers);
  const better = readers > 0 && candidate.ndcgAt10 >= current.ndcgAt10 + request.margin;
  const comparison = `NDCG@10 ${candidate.ndcgAt10.toFixed(4)} vs ${current.ndcgAt10.toFixed(4)} on ${readers} held-out readers`;
  const reason =
    readers === 0
      ? 'no held-out reader to compare on'
      : better
        ? `${comparison}: better by ${request.margin} or more`
        : `${comparison}: not better by ${request.margin}`;
  return {
    ...base,
    current: { version: current.version, ndcgAt10: current.ndcgAt10 },
    currentVersion: pointer.version,
    readers,
    better,
    reason,
  };
}
