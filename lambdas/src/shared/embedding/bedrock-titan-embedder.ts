/**
 * Amazon Titan Text Embeddings v2 through Bedrock Runtime's InvokeModel. One request per text (the model takes one
 * `inputText`), sent with bounded concurrency. The client is injected, so the same code runs against AWS or a local
 * stand-in (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, or `endpoint` on the client).
 */
import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { ShelfwiseError } from '../errors';
import { l2Normalise, type Embedder } from './embedder';

export const titanTextEmbeddingsV2 = 'amazon.titan-embed-text-v2:0';

/** The output sizes Titan Text Embeddings v2 supports. */
export type TitanDimension = 256 | 512 | 1024;

export interface BedrockTitanEmbedderOptions {
  /** A Bedrock Runtime client (region, credentials and endpoint are its business). */
  readonly client: Pick<BedrockRuntimeClient, 'send'>;
  /** Default `amazon.titan-embed-text-v2:0`. */
  readonly modelId?: string;
  /** Default 1024. */
  readonly dimension?: TitanDimension;
  /** Requests in flight at once (default 4; Bedrock's per-account quotas are per minute, keep it small). */
  readonly concurrency?: number;
}

/** Titan v2 rejects inputs longer than 50,000 characters. */
export const maxTitanInputChars = 50_000;

const responseSchema = z.object({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number().optional(),
});

/** Bedrock refused or answered something that is not an embedding of the size asked for. */
export class EmbeddingError extends ShelfwiseError {}

export class BedrockTitanEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: TitanDimension;
  private readonly client: Pick<BedrockRuntimeClient, 'send'>;
  private readonly concurrency: number;

  constructor(options: BedrockTitanEmbedderOptions) {
    this.client = options.client;
    this.modelId = options.modelId ?? titanTextEmbeddingsV2;
    this.dimension = options.dimension ?? 1024;
    this.concurrency = options.concurrency ?? 4;
    if (![256, 512, 1024].includes(this.dimension)) {
      throw new RangeError(`Titan v2 dimension must be 256, 512 or 1024, got ${String(this.dimension)}`);
    }
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${this.concurrency}`);
    }
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors = new Array<Float32Array>(texts.length);
    let next = 0;
    const worker = async () => {
      while (next < texts.length) {
        const index = next++;
        vectors[index] = await this.embedOne(texts[index] ?? '');
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, texts.length) }, worker));
    return vectors;
  }

  private async embedOne(text: string): Promise<Float32Array> {
    if (text.trim() === '') return new Float32Array(this.dimension);
    const body = JSON.stringify({
      inputText: text.slice(0, maxTitanInputChars),
      dimensions: this.dimension,
      normalize: true,
    });
    let raw: string;
    try {
      const response = await this.client.send(
        new InvokeModelCommand({
          modelId: this.modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body,
        }),
      );
      raw = new TextDecoder().decode(response.body);
    } catch (error) {
      throw new EmbeddingError(`Bedrock InvokeModel failed for model ${this.modelId}`, { cause: error });
    }
    let parsed: z.infer<typeof responseSchema>;
    try {
      parsed = responseSchema.parse(JSON.parse(raw));
    } catch (error) {
      throw new EmbeddingError(`Bedrock model ${this.modelId} answered something that is not an embedding`, {
        cause: error,
      });
    }
    if (parsed.embedding.length !== this.dimension) {
      throw new EmbeddingError(
        `Bedrock model ${this.modelId} returned ${parsed.embedding.length} dimensions, expected ${this.dimension}`,
      );
    }
    // Titan normalises already (`normalize: true`); normalising again costs nothing and guarantees the port's contract.
    return l2Normalise(Float32Array.from(parsed.embedding));
  }
}
