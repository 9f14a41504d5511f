import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BedrockTitanEmbedder, EmbeddingError } from '../../src/shared/embedding/bedrock-titan-embedder';
import { dot } from '../../src/shared/embedding/embedder';

interface SeenRequest {
  readonly path: string;
  readonly body: { inputText: string; dimensions: number; normalize: boolean };
}

/** A loopback stand-in for Bedrock Runtime's InvokeModel: answers a deterministic, unnormalised vector per text. */
class FakeBedrock {
  readonly seen: SeenRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failWith: number | undefined;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SeenRequest['body'];
    this.seen.push({ path: decodeURIComponent(request.url ?? ''), body });
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    if (this.failWith !== undefined) {
      response.writeHead(this.failWith, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ThrottlingException',
      });
      response.end(JSON.stringify({ message: 'Too many requests' }));
      return;
    }
    const embedding = Array.from({ length: body.dimensions }, (_, i) => ((body.inputText.length + i) % 7) + 1);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ embedding, inputTextTokenCount: body.inputText.split(' ').length }));
  }
}

describe('BedrockTitanEmbedder', () => {
  const bedrock = new FakeBedrock();
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    const endpoint = await bedrock.start();
    client = new BedrockRuntimeClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await bedrock.stop();
  });

  it('invokes Titan v2 once per text with the dimension and normalize flag, and returns unit vectors in order', async () => {
    // Prepare
    bedrock.seen.length = 0;
    const embedder = new BedrockTitanEmbedder({ client, dimension: 256, concurrency: 3 });
    const texts = Array.from({ length: 10 }, (_, i) => `book number ${'x'.repeat(i)}`);

    // Act
    const vectors = await embedder.embed(texts);

    // Assess
    expect(vectors).toHaveLength(10);
    for (const vector of vectors) {
      expect(vector).toHaveLength(256);
      expect(dot(vector, vector)).toBeCloseTo(1, 5);
    }
    expect(bedrock.seen).toHaveLength(10);
    expect(bedrock.seen[0]!.path).toBe('/model/amazon.titan-embed-text-v2:0/invoke');
    expect(bedrock.seen[0]!.body).toMatchObject({ dimensions: 256, normalize: true });
    expect(new Set(bedrock.seen.map((request) => request.body.inputText))).toEqual(new Set(texts));
    // The order of answers follows the order of texts, whatever order the server saw them in.
    const expected = Array.from({ length: 256 }, (_, i) => ((texts[4]!.length + i) % 7) + 1);
    expect(vectors[4]![0]! / vectors[4]![1]!).toBeCloseTo(expected[0]! / expected[1]!, 5);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    // Prepare
    bedrock.maxInFlight = 0;
    const embedder = new BedrockTitanEmbedder({ client, dimension: 512, concurrency: 2 });

    // Act
    await embedder.embed(Array.from({ length: 8 }, (_, i) => `text ${i}`));

    // Assess
    expect(bedrock.maxInFlight).toBeLessThanOrEqual(2);
    expect(bedrock.maxInFlight).toBeGreaterThan(0);
  });

  it('raises an EmbeddingError when Bedrock refuses', async () => {
    // Prepare
    bedrock.failWith = 429;
    const embedder = new BedrockTitanEmbedder({ client, dimension: 256 });

    // Act
    const result = embedder.embed(['anything']);

    // Assess
    await expect(result).rejects.toBeInstanceOf(EmbeddingError);
    bedrock.failWith = undefined;
  });

  it('rejects a dimension Titan v2 does not offer', () => {
    // Assess
    expect(() => new BedrockTitanEmbedder({ client, dimension: 300 as 256 })).toThrow(/256, 512 or 1024/);
  });
});
