/**
 * The manifest that travels with every exported model (written by `training/`). The recommender Lambda reads it
 * (and checks it with this schema) before it loads the ONNX file: input names and shapes, the item-id order of the model's indices, the
 * dimension, K, the data the model was trained on, its offline metrics and a version.
 */
import { z } from 'zod';

export const manifestFormat = 'shelfwise-policy';
export const manifestSchemaVersion = 1;

const tensorSpecSchema = z.object({
  name: z.string(),
  type: z.enum(['int64', 'float32']),
  /** Numbers are fixed sizes; "batch" is dynamic. */
  shape: z.array(z.union([z.number().int().positive(), z.literal('batch')])),
  description: z.string(),
});

const checkpointTensorSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  /** Offset in float32 elements from the start of the checkpoint file. */
  offset: z.number().int().nonnegative(),
});

export const manifestSchema = z.object({
  format: z.literal(manifestFormat),
  schemaVersion: z.literal(manifestSchemaVersion),
  version: z.string().min(1),
  createdAt: z.string().datetime(),
  model: z.object({
    file: z.string(),
    opset: z.number().int(),
    inputs: z.array(tensorSpecSchema),
    outputs: z.array(tensorSpecSchema),
  }),
  /** Item index i of the model is book `itemIds[i]`. */
  itemIds: z.array(z.string()),
  dimension: z.number().int().positive(),
  historyLength: z.number().int().positive(),
  topK: z.number().int().positive(),
  /** Index of each event type in `history_events`. */
  eventTypes: z.array(z.string()),
  /** `history_ratings` holds 0 (no rating) to ratingLevels − 1 stars. */
  ratingLevels: z.number().int().positive(),
  embedder: z.object({ modelId: z.string(), dimension: z.number().int().positive() }),
  trainingData: z.object({
    source: z.string(),
    interactions: z.number().int().nonnegative(),
    readers: z.number().int().nonnegative(),
    /** First and last interaction used (a timestamp, or a row description when the data has no clock). */
    from: z.string(),
    to: z.string(),
  }),
  metrics: z.record(z.string(), z.number()),
  training: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  checkpoint: z.object({
    file: z.string(),
    config: z.record(z.string(), z.number()),
    tensors: z.array(checkpointTensorSchema),
  }),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type TensorSpec = z.infer<typeof tensorSpecSchema>;

export function parseManifest(json: unknown): Manifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid model manifest: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
