import { z } from 'zod';

import type { BookCard, ChatEvent, ChatRequest, Composer } from '@shelfwise/lambdas/chat/domain/chat';

/*
 * The chat API's events as `POST /chat` streams them (`books`, `delta`…, `done`), checked at the edge. The types come
 * from the lambdas workspace, type-only; `satisfies` makes `tsc` fail when the two drift apart.
 */

const audienceSchema = z.enum(['children', 'young-adult', 'adult']);

export const chatBookSchema = z.object({
  id: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  year: z.number().nullable(),
  languages: z.array(z.string()),
  subjects: z.array(z.string()),
  audience: audienceSchema.nullable(),
  pageCount: z.number().nullable(),
  rating: z.number().nullable(),
  description: z.string().nullable(),
}) satisfies z.ZodType<BookCard>;

export const composerSchema = z.enum(['offline', 'bedrock', 'openai-compatible']) satisfies z.ZodType<Composer>;

export const chatEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('books'), books: z.array(chatBookSchema) }),
  z.object({ type: z.literal('delta'), text: z.string() }),
  z.object({
    type: z.literal('done'),
    conversationId: z.string(),
    composer: composerSchema,
    citedIds: z.array(z.string()),
    redirected: z.boolean(),
  }),
]) satisfies z.ZodType<ChatEvent>;

export type ChatBook = z.infer<typeof chatBookSchema>;
export type ChatStreamEvent = z.infer<typeof chatEventSchema>;
export type { ChatRequest };
