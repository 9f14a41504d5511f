/**
 * What the pipelines' use cases need from the outside world. Adapters: `ModelStore` (models bucket + pointer),
 * `S3HeldOutWindow` (the holdout export), `OnnxRankerLoader` (onnxruntime-node).
 */
import type { ModelPointer } from '../recommendations/adapters/model-store';
import type { PolicyInput } from '../recommendations/ports';
import type { Recommendation } from '../recommendations/domain/recommendation';
import type { HeldOutRow } from './domain/held-out-window';

export interface ModelFilesRead {
  /** manifest.json, parsed (checked by the use case). */
  readonly manifest: unknown;
  readonly onnx: Uint8Array;
  readonly checkpoint: Uint8Array;
}

/** The models bucket and the serving pointer (`ModelStore` implements it). */
export interface ModelRepository {
  pointer(): Promise<ModelPointer | null>;
  /** The three files under `pointer.prefix` (a version's prefix, or a training job's output prefix). */
  files(pointer: ModelPointer): Promise<ModelFilesRead>;
  publish(version: string, files: { manifest: string; onnx: Uint8Array; checkpoint: Uint8Array }): Promise<string>;
  promote(version: string, options: { expectedVersion?: string | null; note?: string }): Promise<boolean>;
}

/** The rows of a `holdout` export (an Athena result CSV in the cloud). */
export interface HeldOutWindowSource {
  rows(location: string): Promise<HeldOutRow[]>;
}

/** A model loaded for ranking: the recommender's own policy code, so it is scored as it would serve. */
export interface Ranker {
  readonly version: string;
  readonly historyLength: number;
  recommend(inputs: readonly PolicyInput[], limit: number): Promise<Recommendation[][]>;
  release(): Promise<void>;
}

export interface RankerLoader {
  load(files: ModelFilesRead): Promise<Ranker>;
}
