/**
 * Use case: promote a retrained candidate that the evaluation found better (`evaluate-models.ts`).
 *
 * 1. Read the candidate's files from the training job's output prefix and check its manifest.
 * 2. Publish them under `policies/<version>/` in the models bucket.
 * 3. Move the pointer to it — only if the pointer still names the model it was compared against (a concurrent
 *    promotion makes this fail with `PromotionConflictError`, and the pointer stays where it was).
 */
import { ShelfwiseError } from '../shared/errors';
import { parseManifest } from '../shared/model-manifest';
import type { ModelRepository } from './ports';

/** The pointer moved between the evaluation and the promotion: nothing was promoted by this run. */
export class PromotionConflictError extends ShelfwiseError {}

export interface PromoteModelRequest {
  /** Key prefix of the candidate's files in the models bucket, ending in `/`. */
  readonly candidatePrefix: string;
  /** The version the candidate was compared against (null: none was serving). */
  readonly expectedVersion: string | null;
  /** Why (kept on the pointer). */
  readonly note: string;
}

export interface PromoteModelResult {
  readonly promoted: string;
  readonly replaced: string | null;
}

export async function promoteModel(request: PromoteModelRequest, models: ModelRepository): Promise<PromoteModelResult> {
  const files = await models.files({ version: 'candidate', prefix: request.candidatePrefix, promotedAt: '' });
  const { version } = parseManifest(files.manifest);
  await models.publish(version, {
    manifest: JSON.stringify(files.manifest),
    onnx: files.onnx,
    checkpoint: files.checkpoint,
  });
  const moved = await models.promote(version, { expectedVersion: request.expectedVersion, note: request.note });
  if (!moved) {
    throw new PromotionConflictError(
      `The model pointer no longer names ${request.expectedVersion ?? 'no model'}; ${version} was not promoted`,
    );
  }
  return { promoted: version, replaced: request.expectedVersion };
}
