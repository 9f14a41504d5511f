/**
 * A chat model on Amazon Bedrock through the Converse streaming API (any Converse-capable model id from config).
 * The client is injected: in AWS the default one; against a stand-in, `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` (and
 * `requestHandler: new NodeHttpHandler()` for an HTTP/1.1 server).
 */
import { ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ShelfwiseError } from '../../shared/errors';
import { systemPrompt, userPrompt } from '../domain/prompt';
import type { ChatModel, ChatPrompt } from '../ports';

/** The model failed or could not be reached. */
export class ChatModelError extends ShelfwiseError {}

export interface BedrockConverseOptions {
  readonly client: Pick<BedrockRuntimeClient, 'send'>;
  readonly modelId: string;
  readonly maxTokens?: number;
}

export class BedrockConverseChatModel implements ChatModel {
  readonly name = 'bedrock' as const;

  constructor(private readonly options: BedrockConverseOptions) {}

  async *stream(prompt: ChatPrompt): AsyncIterable<string> {
    let response;
    try {
      response = await this.options.client.send(
        new ConverseStreamCommand({
          modelId: this.options.modelId,
          system: [{ text: systemPrompt(prompt.language) }],
          messages: [{ role: 'user', content: [{ text: userPrompt(prompt) }] }],
          inferenceConfig: { maxTokens: this.options.maxTokens ?? 400, temperature: 0.2 },
        }),
      );
    } catch (error) {
      throw new ChatModelError(`Bedrock ConverseStream failed for model ${this.options.modelId}`, { cause: error });
    }
    if (!response.stream) return;
    for await (const event of response.stream) {
      const text = event.contentBlockDelta?.delta?.text;
      if (text) yield text;
      if (event.internalServerException ?? event.modelStreamErrorException ?? event.throttlingException) {
        throw new ChatModelError(`Bedrock model ${this.options.modelId} failed while streaming`);
      }
    }
  }
}
