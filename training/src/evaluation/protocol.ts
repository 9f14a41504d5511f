/**
 * The offline evaluation protocol. Readers of the test set are new to every model. For each, the last interaction
 * rated ≥ 4 is the target and the interactions before it are the input; every model ranks the whole catalogue except
 * the input books. Readers without such a target, without any input, or whose target is not in the catalogue (or is
 * already in their input) are left out and counted.
 */
import { hashString } from '../util/random';
import type { EncodedSequence } from '../policy/sequences';

export interface EvaluationCase {
  readonly userId: string;
  /** The input, in time order. */
  readonly items: Int32Array;
  readonly events: Int32Array;
  readonly ratings: Int32Array;
  readonly target: number;
}

export interface EvaluationCases {
  readonly cases: EvaluationCase[];
  /** Readers with no usable target or input. */
  readonly skipped: number;
}

export const minimumTargetRating = 4;

/**
 * Builds the cases from test sequences that are already restricted to the catalogue. `catalogueMisses` counts
 * readers whose last ≥ 4 interaction was with a book outside the catalogue (they were encoded without it).
 */
export function evaluationCases(sequences: readonly EncodedSequence[]): EvaluationCases {
  const cases: EvaluationCase[] = [];
  let skipped = 0;
  for (const sequence of sequences) {
    let target = -1;
    for (let position = sequence.items.length - 1; position >= 0; position--) {
      if (sequence.ratings[position]! >= minimumTargetRating) {
        target = position;
        break;
      }
    }
    const item = sequence.items[target];
    if (target < 1 || item === undefined || sequence.items.subarray(0, target).includes(item)) {
      skipped++;
      continue;
    }
    cases.push({
      userId: sequence.userId,
      items: sequence.items.slice(0, target),
      events: sequence.events.slice(0, target),
      ratings: sequence.ratings.slice(0, target),
      target: item,
    });
  }
  return { cases, skipped };
}

/** Deterministic reader split: a reader is held out when the hash of their id falls in the first `fraction`. */
export function isHeldOut(userId: string, fraction: number, salt = 0): boolean {
  return hashString(userId, salt) / 4294967296 < fraction;
}
