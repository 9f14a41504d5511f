/**
 * The chatbot's types and edge schemas. The web app imports them type-only.
 */
import { z } from 'zod';

/** Longest message a reader may send, in characters. */
export const maxMessageChars = 500;

/** The languages an answer can be written in (the web app's UI languages). */
export const answerLanguages = ['en', 'vi'] as const;
export type AnswerLanguage = (typeof answerLanguages)[number];

export const chatRequestSchema = z.object({
  readerId: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[\w.@:-]+$/, 'letters, digits and . _ @ : - only'),
  message: z.string().trim().min(1).max(maxMessageChars),
  conversationId: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional(),
  /**
   * The reader's language: the answer is written in it. Absent: a language model answers in the request's language,
   * the offline composer in English.
   */
  language: z.enum(answerLanguages).optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export type Audience = 'children' | 'young-adult' | 'adult';

/** What the rules understood from the reader's words. */
export interface ChatFilters {
  /** ISO 639-2 codes, as the catalogue stores them. */
  readonly languages?: readonly string[];
  readonly audiences?: readonly Audience[];
  readonly maxPages?: number;
  readonly minPages?: number;
  /** Tag paths; a book matches if it has any of them or a sub-tag. */
  readonly tags?: readonly string[];
  /** An author name, matched accent-insensitively on the author's name or aliases. */
  readonly author?: string;
  /** Book ids never returned (e.g. "not that one"). */
  readonly excludeIds?: readonly string[];
}

/**
 * One thing the rules understood from a request, or the use case did with it; phrased in the answer's language by
 * `domain/answer-phrases.ts`.
 */
export type UnderstoodNote =
  | { readonly kind: 'author'; readonly name: string }
  /** ISO 639-2 code. */
  | { readonly kind: 'language'; readonly code: string }
  | { readonly kind: 'age'; readonly age: number }
  | { readonly kind: 'audience'; readonly audience: 'children' | 'young-adult' }
  | { readonly kind: 'under-pages'; readonly pages: number }
  | { readonly kind: 'short'; readonly maxPages: number }
  | { readonly kind: 'long'; readonly minPages: number }
  /** Tag leaves ("Fantasy", "Humor"). */
  | { readonly kind: 'subjects'; readonly names: readonly string[] }
  /** "shorter": the new page limit. */
  | { readonly kind: 'up-to-pages'; readonly pages: number }
  | { readonly kind: 'not-shown-before' }
  | { readonly kind: 'relaxed' };

export interface RetrievalQuery {
  /** The words searched for (filter words removed). */
  readonly text: string;
  readonly filters: ChatFilters;
  readonly limit: number;
}

/** A book as the chatbot shows it. */
export interface BookCard {
  readonly id: string;
  readonly title: string;
  readonly authors: readonly string[];
  readonly year: number | null;
  readonly languages: readonly string[];
  readonly subjects: readonly string[];
  readonly audience: Audience | null;
  readonly pageCount: number | null;
  readonly rating: number | null;
  /** Untrusted text from the catalogue: data, never instructions. */
  readonly description: string | null;
}

export type Composer = 'offline' | 'bedrock' | 'openai-compatible';

/** What `POST /chat` streams, in order: `books`, then `delta`s, then `done`. */
export type ChatEvent =
  | { readonly type: 'books'; readonly books: readonly BookCard[] }
  | { readonly type: 'delta'; readonly text: string }
  | {
      readonly type: 'done';
      readonly conversationId: string;
      readonly composer: Composer;
      readonly citedIds: readonly string[];
      readonly redirected: boolean;
    };

/** What is remembered between two messages of one conversation. */
export interface ConversationState {
  readonly conversationId: string;
  /** The search words of the last request. */
  readonly text: string;
  readonly filters: ChatFilters;
  readonly lastCitedIds: readonly string[];
}
