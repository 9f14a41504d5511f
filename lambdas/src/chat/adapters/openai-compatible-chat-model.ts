/**
 * A chat model behind any OpenAI-compatible `/chat/completions` endpoint (a local Ollama, vLLM, …), streamed as
 * server-sent events. The base URL, model and optional API key come from config; `fetch` is injectable for tests.
 */
import { z } from 'zod';
import { systemPrompt, userPrompt } from '../domain/prompt';
import type { ChatModel, ChatPrompt } from '../ports';
import { ChatModelError } from './bedrock-converse-chat-model';

export interface OpenAiCompatibleOptions {
  /** e.g. `http://127.0.0.1:11434/v1` */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch;
}

const chunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).optional() })).default([]),
});

export class OpenAiCompatibleChatModel implements ChatModel {
  readonly name = 'openai-compatible' as const;

  constructor(private readonly options: OpenAiCompatibleOptions) {}

  async *stream(prompt: ChatPrompt): AsyncIterable<string> {
    const doFetch = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.options.model,
          stream: true,
          temperature: 0.2,
          max_tokens: 400,
          messages: [
            { role: 'system', content: systemPrompt(prompt.language) },
            { role: 'user', content: userPrompt(prompt) },
          ],
        }),
      });
    } catch (error) {
      throw new ChatModelError(`Chat endpoint ${this.options.baseUrl} could not be reached`, { cause: error });
    }
    if (!response.ok || !response.body) {
      throw new ChatModelError(`Chat endpoint ${this.options.baseUrl} answered ${response.status}`);
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(bytes, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const data = /^data:\s?(.*)$/.exec(line.trim())?.[1];
        if (!data || data === '[DONE]') continue;
        const parsed = chunkSchema.safeParse(JSON.parse(data));
        const text = parsed.success ? parsed.data.choices[0]?.delta?.content : undefined;
        if (text) yield text;
      }
    }
  }
}
