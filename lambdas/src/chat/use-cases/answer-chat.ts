import { randomUUID } from 'node:crypto';
import type { Embedder } from '../../shared/embedding/embedder';
import { phrasesFor } from '../domain/answer-phrases';
import type { BookCard, ChatEvent, ChatFilters, ChatRequest, ConversationState, UnderstoodNote } from '../domain/chat';
import { groundCitations } from '../domain/grounding';
import { understandRequest, type UnderstoodRequest } from '../domain/request-rules';
import type { BookSearch, ChatModel, ConversationStore, RateLimiter } from '../ports';
import { retrieveBooks } from './retrieve-books';

export interface AnswerChatDependencies {
  readonly search: BookSearch;
  readonly embedder: Embedder;
  readonly model: ChatModel;
  readonly conversations: ConversationStore;
  readonly rateLimiter: RateLimiter;
  /** Books given to the model (default 5). */
  readonly booksForModel?: number;
}

/** Default page limit for "shorter" when the last request had none. */
const shorterDefault = 250;

/**
 * Answer one chat message with books from the catalogue.
 * 1. Count the request against the reader's rate limit (refused with `RateLimitedError`).
 * 2. Load the conversation, if any; understand the message by rules (filters, follow-up, topic).
 * 3. Off-topic: a polite redirect, no books, in the request's `language` (English when none).
 * 4. A follow-up ("shorter", "in Vietnamese", "not that one") refines the last request: its words and filters, with
 *    the new filters on top; "not that one" excludes the books cited last.
 * 5. Retrieve (hybrid: pgvector kNN + full-text, fused by reciprocal rank, filters applied, withdrawn excluded).
 * 6. Stream the model's answer, written in the request's `language`, through grounding: only retrieved ids survive
 *    as citations.
 * 7. Yield `books` (the cards of the cited books), the text `delta`s, and `done`; save the conversation state.
 * The offline composer cites before it writes, so its `books` event comes first; a language model's citations are
 * known only at the end, so `books` then comes after the last `delta`.
 */
export async function* answerChat(deps: AnswerChatDependencies, request: ChatRequest): AsyncGenerator<ChatEvent> {
  await deps.rateLimiter.take(request.readerId);
  const conversationId = request.conversationId ?? randomUUID();
  const previous = request.conversationId
    ? await deps.conversations.load(request.readerId, request.conversationId)
    : undefined;
  const understood = understandRequest(request.message, await deps.search.tagPaths());

  if (!understood.onTopic && !(previous && understood.refinement)) {
    yield { type: 'books', books: [] };
    yield { type: 'delta', text: phrasesFor(request.language).offTopic };
    yield { type: 'done', conversationId, composer: deps.model.name, citedIds: [], redirected: true };
    return;
  }

  const refined = refine(previous, understood);
  const { text } = refined;
  const limit = deps.booksForModel ?? 5;
  const candidates = relaxations(refined.filters, understood.filters);
  let filters = refined.filters;
  let books: BookCard[] = [];
  for (const candidate of candidates) {
    filters = candidate;
    const fused = await retrieveBooks({ search: deps.search, embedder: deps.embedder }, { text, filters, limit });
    books = fused.map((entry) => entry.book);
    if (books.length > 0) break;
  }
  const byId = new Map(books.map((book) => [book.id, book]));
  const grounded = groundCitations(
    deps.model.stream({
      request: request.message,
      books,
      understood: describe(filters, understood, filters !== candidates[0]),
      language: request.language,
    }),
    new Set(byId.keys()),
  );
  const cards = () => grounded.cited.map((id) => byId.get(id)).filter((book): book is BookCard => !!book);

  if (deps.model.name === 'offline') {
    // The composer's text is a pure function of the books; collect it so the cited cards lead the stream.
    const chunks: string[] = [];
    for await (const chunk of grounded.chunks) chunks.push(chunk);
    yield { type: 'books', books: cards() };
    for (const chunk of chunks) yield { type: 'delta', text: chunk };
  } else {
    for await (const chunk of grounded.chunks) yield { type: 'delta', text: chunk };
    yield { type: 'books', books: cards() };
  }
  const state: ConversationState = { conversationId, text, filters, lastCitedIds: [...grounded.cited] };
  await deps.conversations.save(request.readerId, state);
  yield {
    type: 'done',
    conversationId,
    composer: deps.model.name,
    citedIds: [...grounded.cited],
    redirected: false,
  };
}

/** The search of this message: a new request, or the previous one refined. */
export function refine(
  previous: ConversationState | undefined,
  understood: UnderstoodRequest,
): { text: string; filters: ChatFilters } {
  if (!previous || !understood.refinement) return { text: understood.text, filters: understood.filters };
  const filters: MutableFilters = {
    ...previous.filters,
    ...understood.filters,
  };
  if (understood.shorter) {
    const limit = previous.filters.maxPages ?? shorterDefault;
    filters.maxPages = Math.max(50, Math.round(limit * 0.7));
    delete filters.minPages;
  }
  if (understood.excludeLast) {
    filters.excludeIds = [...new Set([...(previous.filters.excludeIds ?? []), ...previous.lastCitedIds])];
  }
  const text = [previous.text, understood.text].filter(Boolean).join(' ').trim();
  return { text, filters };
}

type MutableFilters = { -readonly [K in keyof ChatFilters]: ChatFilters[K] };

/**
 * The filters to try in turn when nothing matches: all of them, then without the subjects, then also without the
 * audience and length, except those the latest message itself asked for. Exclusions and language always stay.
 */
export function relaxations(filters: ChatFilters, asked: ChatFilters): ChatFilters[] {
  const steps: (keyof ChatFilters)[][] = [[], ['tags'], ['tags', 'audiences', 'maxPages', 'minPages']];
  const seen = new Set<string>();
  return steps.flatMap((drop) => {
    const relaxed: MutableFilters = { ...filters };
    for (const key of drop) if (asked[key] === undefined) delete relaxed[key];
    const key = JSON.stringify(relaxed);
    if (seen.has(key)) return [];
    seen.add(key);
    return [relaxed];
  });
}

function describe(filters: ChatFilters, understood: UnderstoodRequest, relaxed: boolean): UnderstoodNote[] {
  const notes = [...understood.understood];
  if (relaxed) notes.push({ kind: 'relaxed' });
  if (understood.shorter && filters.maxPages) notes.push({ kind: 'up-to-pages', pages: filters.maxPages });
  if (understood.excludeLast) notes.push({ kind: 'not-shown-before' });
  return notes;
}
