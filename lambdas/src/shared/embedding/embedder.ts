/**
 * The embedding port: texts in, one L2-normalised vector per text out. Shared by the chatbot (semantic search) and
 * training (book vectors). Adapters: `HashingEmbedder` (offline, no weights: local runs and tests) and
 * `BedrockTitanEmbedder` (Amazon Titan Text Embeddings v2 in the cloud).
 */
export interface Embedder {
  /** Names the model and its settings; vectors from different ids are not comparable (store it beside them). */
  readonly modelId: string;
  /** Length of every vector `embed` returns. */
  readonly dimension: number;
  /** One vector per text, in order, each of length `dimension` and unit L2 norm (the zero vector for empty text). */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Scales `vector` in place to unit L2 norm (a zero vector stays zero) and returns it. */
export function l2Normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum > 0) {
    const scale = 1 / Math.sqrt(sum);
    for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) * scale;
  }
  return vector;
}

/** Dot product of two vectors of the same length: their cosine similarity when both are unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`Vectors differ in length: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
