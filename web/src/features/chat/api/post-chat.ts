import { z } from 'zod';

import { ApiError, type ApiClient } from '../../../lib/api-client';
import { createSseParser, type SseMessage } from '../utils/sse-parser';
import { chatEventSchema, type ChatRequest, type ChatStreamEvent } from './chat-schemas';

/**
 * `POST /chat`: sends the reader's message and yields the answer's events as they arrive, parsing the
 * `text/event-stream` body incrementally from the response's ReadableStream. An event of an unexpected shape is an
 * ApiError; cancelling `signal` stops the stream.
 */
export async function* streamChat(
  client: ApiClient,
  request: ChatRequest,
  signal?: AbortSignal,
): AsyncGenerator<ChatStreamEvent> {
  const body = await client.postStream('/chat', request, { signal });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      // `stream: true` keeps a UTF-8 character cut between two chunks whole.
      const messages = done
        ? parser.push(decoder.decode()).concat(parser.end())
        : parser.push(decoder.decode(value, { stream: true }));
      for (const message of messages) yield toChatEvent(message);
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

function toChatEvent({ event, data }: SseMessage): ChatStreamEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new ApiError(`POST /chat sent a "${event}" event that is not JSON`, 200, '/chat', { cause: error });
  }
  const parsed = chatEventSchema.safeParse({ ...(value as object), type: event });
  if (!parsed.success) {
    throw new ApiError(
      `POST /chat sent an unexpected "${event}" event:\n${z.prettifyError(parsed.error)}`,
      200,
      '/chat',
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}
