/**
 * The interfaces the chatbot's use cases depend on. Adapters: Postgres (embeddings, hybrid retrieval), DynamoDB
 * (conversations, rate limit), and the chat models (offline composer, Bedrock Converse, OpenAI-compatible).
 */
import type { BookTextFields } from '../shared/embedding/book-text';
import type { AnswerLanguage, BookCard, ConversationState, RetrievalQuery, UnderstoodNote } from './domain/chat';

/** A book as the embedder sees it, with the hash of the text stored beside its embedding for this model. */
export interface EmbeddingCandidate {
  readonly bookId: string;
  readonly fields: BookTextFields;
  /** Null when the book has no embedding for the model yet. */
  readonly storedHash: string | null;
}

export interface BookEmbeddingStore {
  /** Books that are not withdrawn, by id, after `afterId`, at most `limit`. */
  candidates(modelId: string, afterId: string | undefined, limit: number): Promise<EmbeddingCandidate[]>;
  save(modelId: string, rows: readonly { bookId: string; contentHash: string; vector: Float32Array }[]): Promise<void>;
}

export interface RetrievedBook {
  readonly book: BookCard;
  /** 1-based ranks in each list; absent when the list did not return the book. */
  readonly vectorRank?: number;
  readonly lexicalRank?: number;
}

/** A book in a ranked list: enough to fuse lists (the rating breaks ties); its card is read once fused. */
export interface RankedBook {
  readonly id: string;
  readonly rating: number | null;
}

/** The two ranked lists hybrid retrieval fuses, and the cards of the books it keeps. */
export interface BookSearch {
  /** Nearest books to `vector` (cosine), filters applied, best first. */
  nearest(vector: Float32Array, modelId: string, query: RetrievalQuery): Promise<RankedBook[]>;
  /** Full-text matches, filters applied, best first. */
  lexical(query: RetrievalQuery): Promise<RankedBook[]>;
  /** The cards of these books, in the order given; ids that are not (or no longer) in the catalogue are left out. */
  cards(ids: readonly string[]): Promise<BookCard[]>;
  /** Catalogue tag paths (for matching subject words). */
  tagPaths(): Promise<readonly string[]>;
}

/** What a chat model is given: the reader's request and the retrieved books (untrusted data). */
export interface ChatPrompt {
  readonly request: string;
  readonly books: readonly BookCard[];
  /** What the rules understood (for the reasons the offline composer writes). */
  readonly understood: readonly UnderstoodNote[];
  /** The language to answer in; absent: a model answers in the request's language, the offline composer in English. */
  readonly language?: AnswerLanguage | undefined;
}

export interface ChatModel {
  readonly name: 'offline' | 'bedrock' | 'openai-compatible';
  /** Text chunks of the answer. Books are cited as `[#<id>]`. */
  stream(prompt: ChatPrompt): AsyncIterable<string>;
}

export interface ConversationStore {
  load(readerId: string, conversationId: string): Promise<ConversationState | undefined>;
  save(readerId: string, state: ConversationState): Promise<void>;
}

export interface RateLimiter {
  /** Counts one request for the reader; throws `RateLimitedError` when over the limit. */
  take(readerId: string): Promise<void>;
}
