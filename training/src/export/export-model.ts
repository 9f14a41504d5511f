/**
 * Writes a trained model as a folder the recommender Lambda loads: `policy.onnx`, `manifest.json` and
 * `checkpoint.bin` (what retraining warm-starts from); and reads such a folder back. This module and
 * `onnx-policy.ts` are the only ones that know the export format.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eventTypes } from '../data/interactions';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './checkpoint';
import { manifestFormat, manifestSchemaVersion, parseManifest, type Manifest } from './manifest';
import { onnxOpset, policyInputs, policyOutputs, policyToOnnx } from './onnx-policy';

export const modelFile = 'policy.onnx';
export const manifestFile = 'manifest.json';
export const checkpointFile = 'checkpoint.bin';

/**
 * Books the exported graph returns per reader: more than a page, so the recommender can still fill a list after it
 * drops books the reader must not see again (older than the history window) or that were withdrawn.
 */
export const servingTopK = 100;

export interface ExportDetails {
  readonly version: string;
  readonly createdAt: string;
  readonly topK: number;
  readonly embedder: Manifest['embedder'];
  readonly trainingData: Manifest['trainingData'];
  readonly metrics: Manifest['metrics'];
  readonly training: Manifest['training'];
}

/** Writes the three files into `directory` (created if missing) and returns the manifest. */
export async function exportModel(
  directory: string,
  checkpoint: Checkpoint,
  details: ExportDetails,
): Promise<Manifest> {
  const { model } = checkpoint;
  const topK = Math.min(details.topK, model.config.itemCount);
  const onnxBytes = await policyToOnnx(model, topK);
  const { bytes, section } = encodeCheckpoint(checkpoint, checkpointFile);
  const manifest: Manifest = parseManifest({
    format: manifestFormat,
    schemaVersion: manifestSchemaVersion,
    version: details.version,
    createdAt: details.createdAt,
    model: {
      file: modelFile,
      opset: onnxOpset,
      inputs: policyInputs(model.config.historyLength),
      outputs: policyOutputs(topK, model.config.dimension),
    },
    itemIds: model.itemIds,
    dimension: model.config.dimension,
    historyLength: model.config.historyLength,
    topK,
    eventTypes: [...eventTypes],
    ratingLevels: model.config.ratingLevels,
    embedder: details.embedder,
    trainingData: details.trainingData,
    metrics: details.metrics,
    training: details.training,
    checkpoint: section,
  });
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, modelFile), onnxBytes);
  await writeFile(path.join(directory, checkpointFile), bytes);
  await writeFile(path.join(directory, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads a folder written by `exportModel`: its manifest and the checkpoint to warm-start from. */
export async function readExportedModel(directory: string): Promise<{ manifest: Manifest; checkpoint: Checkpoint }> {
  const manifest = parseManifest(JSON.parse(await readFile(path.join(directory, manifestFile), 'utf8')));
  const bytes = await readFile(path.join(directory, manifest.checkpoint.file));
  return { manifest, checkpoint: decodeCheckpoint(bytes, manifest.checkpoint, manifest.itemIds) };
}
