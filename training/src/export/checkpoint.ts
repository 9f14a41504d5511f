/**
 * The training state a retraining run warm-starts from: every policy tensor, the books' base vectors and the text
 * projection, as little-endian float32 in one file, described by the manifest's `checkpoint` section.
 */
import { paramShapes, type ParamName, type PolicyConfig, type PolicyModel, type PolicyParams } from '../policy/model';
import type { Projection } from '../embeddings/triplet';
import type { Manifest } from './manifest';

export interface Checkpoint {
  readonly model: PolicyModel;
  readonly projection: Projection;
}

type CheckpointSection = Manifest['checkpoint'];

export function encodeCheckpoint(
  checkpoint: Checkpoint,
  file: string,
): { bytes: Uint8Array; section: CheckpointSection } {
  const { model, projection } = checkpoint;
  const shapes = paramShapes(model.config);
  const entries: [string, readonly number[], Float64Array][] = [
    ...(Object.keys(shapes) as ParamName[]).map((name): [string, readonly number[], Float64Array] => [
      name,
      shapes[name],
      model.params[name],
    ]),
    ['itemBase', [model.config.itemCount, model.config.dimension], model.itemBase],
    ['projection', [projection.outputDimension, projection.inputDimension], projection.weights],
  ];
  const total = entries.reduce((sum, [, , values]) => sum + values.length, 0);
  const data = new Float32Array(total);
  const tensors: CheckpointSection['tensors'] = [];
  let offset = 0;
  for (const [name, shape, values] of entries) {
    data.set(values, offset);
    tensors.push({ name, shape: [...shape], offset });
    offset += values.length;
  }
  const bytes = new Uint8Array(data.buffer);
  return { bytes: littleEndian(bytes), section: { file, config: { ...model.config }, tensors } };
}

export function decodeCheckpoint(
  bytes: Uint8Array,
  section: CheckpointSection,
  itemIds: readonly string[],
): Checkpoint {
  const config = section.config as unknown as PolicyConfig;
  const aligned = littleEndian(Uint8Array.from(bytes));
  const data = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  const tensor = (name: string): Float64Array => {
    const entry = section.tensors.find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`Checkpoint has no tensor ${name}`);
    const length = entry.shape.reduce((a, b) => a * b, 1);
    return Float64Array.from(data.subarray(entry.offset, entry.offset + length));
  };
  const shapes = paramShapes(config);
  const params = Object.fromEntries(
    (Object.keys(shapes) as ParamName[]).map((name) => [name, tensor(name)]),
  ) as unknown as PolicyParams;
  const projectionEntry = section.tensors.find((candidate) => candidate.name === 'projection');
  const [outputDimension = 0, inputDimension = 0] = projectionEntry?.shape ?? [];
  return {
    model: { config, itemIds: [...itemIds], itemBase: tensor('itemBase'), params },
    projection: { inputDimension, outputDimension, weights: tensor('projection') },
  };
}

/** Float32Array bytes are platform-endian; the file is little-endian (a no-op on x86 and ARM). */
function littleEndian(bytes: Uint8Array): Uint8Array {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] === 1) return bytes;
  for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  return bytes;
}
