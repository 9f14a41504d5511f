import type { EvaluationCase } from '../evaluation/protocol';

/** Anything that scores every catalogue book for a batch of inputs: row-major [cases, catalogue size]. */
export interface Scorer {
  readonly name: string;
  score(cases: readonly EvaluationCase[]): Float64Array | Promise<Float64Array>;
}

/** The distinct books each training reader interacted with (the implicit-feedback matrix, as index lists). */
export type ReaderItems = readonly Int32Array[];
