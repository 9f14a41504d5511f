/**
 * Runs evaluation requests through the real chatbot: the `answerChat` use case with the offline composer, hybrid
 * retrieval in Postgres (`PostgresBookSearch`) and the given embedder; conversations and the rate limit are in-memory
 * fakes of their ports. For each request it grades the last turn's answer (cited books, redirect, grounding, text),
 * and replays the retrieval query that answer used with lexical-only, vector-only and hybrid retrieval (Recall@10, MRR).
 */
import type pg from 'pg';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { loadLibrary } from '../../src/catalogue/use-cases/load-library';
import { OfflineComposer } from '../../src/chat/adapters/offline-composer';
import { PostgresBookEmbeddings } from '../../src/chat/adapters/postgres-book-embeddings';
import { PostgresBookSearch } from '../../src/chat/adapters/postgres-book-search';
import type { BookCard, ChatEvent, ConversationState, RetrievalQuery } from '../../src/chat/domain/chat';
import type { BookSearch, ConversationStore, RankedBook } from '../../src/chat/ports';
import { answerChat } from '../../src/chat/use-cases/answer-chat';
import { embedBooks } from '../../src/chat/use-cases/embed-books';
import { retrieveBooks } from '../../src/chat/use-cases/retrieve-books';
import { migrateToLatest } from '../../src/platform/db/migrate';
import type { Embedder } from '../../src/shared/embedding/embedder';
import { toCatalogueInput, type DemoBook } from '@shelfwise/local/demo/demo-catalogue';
import {
  isRelevant,
  meetsConstraints,
  precisionAt,
  recallAt,
  reciprocalRank,
  type EvalRequest,
  type PreviousTurn,
} from './eval-set';

export const retrievalModes = ['lexical', 'vector', 'hybrid'] as const;
export type RetrievalMode = (typeof retrievalModes)[number];

/** Books the offline composer cites at most; precision is taken at this depth. */
export const answerDepth = 3;
/** Depth of the retrieval metrics. */
export const retrievalDepth = 10;

export interface RequestResult {
  readonly request: EvalRequest;
  readonly redirected: boolean;
  /** Catalogue keys of the books the last turn cited (`#<id>` for an id the catalogue does not have). */
  readonly cited: readonly string[];
  /** Problems with citations over all turns: an id not in the catalogue, a text citation not in `citedIds`, … */
  readonly groundingProblems: readonly string[];
  /** Relevant books in the catalogue for the last turn. */
  readonly relevantBooks: number;
  /** Precision of the cited books at `answerDepth`; null when the request expects a redirect. */
  readonly precision: number | null;
  /** Cited books of the last turn that meet the request's constraints. */
  readonly withinConstraints: number;
  /** Patterns of `textMustNotMatch` the last answer's text matched. */
  readonly textProblems: readonly string[];
  /** Recall@10 and reciprocal rank of the replayed query per method; null when the request expects a redirect. */
  readonly retrieval: Readonly<Record<RetrievalMode, { recall: number; reciprocalRank: number }>> | null;
}

export interface EvalContext {
  readonly search: BookSearch;
  readonly embedder: Embedder;
  /** The loaded catalogue by database id. */
  readonly booksById: ReadonlyMap<string, DemoBook>;
  readonly catalogue: readonly DemoBook[];
}

/** Migrates an empty database, loads the catalogue as library "demo" and embeds every book. */
export async function prepareEvalDatabase(
  pool: pg.Pool,
  catalogue: readonly DemoBook[],
  embedder: Embedder,
): Promise<EvalContext> {
  await migrateToLatest(pool);
  await loadLibrary(new PostgresCatalogueWriter(pool), 'demo', catalogue.map(toCatalogueInput));
  await embedBooks({ store: new PostgresBookEmbeddings(pool), embedder });
  const rows = await pool.query<{ id: string; source_id: string }>(
    'SELECT id::text AS id, source_id FROM book WHERE withdrawn_at IS NULL',
  );
  const byKey = new Map(catalogue.map((book) => [book.key, book]));
  const booksById = new Map<string, DemoBook>();
  for (const row of rows.rows) {
    const book = byKey.get(row.source_id);
    if (book) booksById.set(row.id, book);
  }
  return { search: new PostgresBookSearch(pool), embedder, booksById, catalogue };
}

/** A `BookSearch` that remembers the last query it was asked (the one the answer's retrieval used). */
class RecordingSearch implements BookSearch {
  lastQuery: RetrievalQuery | undefined;
  constructor(private readonly inner: BookSearch) {}

  nearest(vector: Float32Array, modelId: string, query: RetrievalQuery): Promise<RankedBook[]> {
    return this.inner.nearest(vector, modelId, query);
  }

  lexical(query: RetrievalQuery): Promise<RankedBook[]> {
    this.lastQuery = query;
    return this.inner.lexical(query);
  }

  cards(ids: readonly string[]): Promise<BookCard[]> {
    return this.inner.cards(ids);
  }

  tagPaths(): Promise<readonly string[]> {
    return this.inner.tagPaths();
  }
}

/** One retrieval method alone: the other list is empty, so fusion keeps this list's order. */
function searchFor(mode: RetrievalMode, search: BookSearch): BookSearch {
  if (mode === 'hybrid') return search;
  return {
    nearest: (vector, modelId, query) =>
      mode === 'vector' ? search.nearest(vector, modelId, query) : Promise.resolve([]),
    lexical: (query) => (mode === 'lexical' ? search.lexical(query) : Promise.resolve([])),
    cards: (ids) => search.cards(ids),
    tagPaths: () => search.tagPaths(),
  };
}

class MemoryConversations implements ConversationStore {
  private readonly states = new Map<string, ConversationState>();
  load(readerId: string, conversationId: string) {
    return Promise.resolve(this.states.get(`${readerId}/${conversationId}`));
  }
  save(readerId: string, state: ConversationState) {
    this.states.set(`${readerId}/${state.conversationId}`, state);
    return Promise.resolve();
  }
}

interface Turn {
  readonly events: readonly ChatEvent[];
  readonly text: string;
  readonly citedIds: readonly string[];
  readonly redirected: boolean;
  readonly conversationId: string;
}

async function ask(
  deps: Parameters<typeof answerChat>[0],
  message: string,
  conversationId: string | undefined,
): Promise<Turn> {
  const events: ChatEvent[] = [];
  for await (const event of answerChat(deps, { readerId: 'eval-reader', message, conversationId })) {
    events.push(event);
  }
  const done = events.find((event) => event.type === 'done');
  if (done?.type !== 'done') throw new Error(`No done event for "${message}"`);
  const text = events.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('');
  return { events, text, citedIds: done.citedIds, redirected: done.redirected, conversationId: done.conversationId };
}

/** What is wrong with a turn's citations: every cited id must be a catalogue book, in the text and the cards. */
function groundingProblems(turn: Turn, booksById: ReadonlyMap<string, DemoBook>): string[] {
  const problems: string[] = [];
  for (const id of turn.citedIds) if (!booksById.has(id)) problems.push(`cited #${id} is not in the catalogue`);
  const inText = [...turn.text.matchAll(/\[#(\d+)\]/g)].map((match) => match[1] ?? '');
  for (const id of inText) if (!turn.citedIds.includes(id)) problems.push(`text cites #${id}, not in citedIds`);
  const cards = turn.events.flatMap((event) => (event.type === 'books' ? event.books.map((book) => book.id) : []));
  if (cards.join(',') !== turn.citedIds.join(',')) problems.push(`book cards [${cards}] ≠ citedIds`);
  if (turn.redirected && turn.citedIds.length > 0) problems.push('a redirect cited books');
  return problems;
}

/** Runs one request, all its turns in one conversation, and grades the last turn. */
export async function evaluateRequest(context: EvalContext, request: EvalRequest): Promise<RequestResult> {
  const search = new RecordingSearch(context.search);
  const deps = {
    search,
    embedder: context.embedder,
    model: new OfflineComposer(),
    conversations: new MemoryConversations(),
    rateLimiter: { take: () => Promise.resolve() },
  };
  const keyOf = (id: string) => context.booksById.get(id)?.key ?? `#${id}`;
  const problems: string[] = [];
  let previous: PreviousTurn | undefined;
  let conversationId: string | undefined;
  let last: Turn | undefined;
  for (const [index, message] of request.turns.entries()) {
    if (last) {
      const books = last.citedIds.flatMap((id) => context.booksById.get(id) ?? []);
      const pages = books.map((book) => book.pages);
      previous = { keys: books.map((book) => book.key), longestPages: pages.length > 0 ? Math.max(...pages) : null };
    }
    search.lastQuery = undefined;
    last = await ask(deps, message, conversationId);
    conversationId = last.conversationId;
    problems.push(...groundingProblems(last, context.booksById).map((problem) => `turn ${index + 1}: ${problem}`));
  }
  if (!last) throw new Error(`Request ${request.id} has no turns`);

  const { expect } = request;
  const cited = last.citedIds.map(keyOf);
  const citedBooks = last.citedIds.flatMap((id) => context.booksById.get(id) ?? []);
  const relevant = new Set(
    context.catalogue.filter((book) => isRelevant(book, request, previous)).map((book) => book.key),
  );
  const textProblems = (expect.textMustNotMatch ?? []).filter((pattern) => new RegExp(pattern, 'i').test(last.text));

  let retrieval: RequestResult['retrieval'] = null;
  if (!expect.redirect) {
    const query = search.lastQuery;
    const scores = await Promise.all(
      retrievalModes.map(async (mode) => {
        if (!query) return [mode, { recall: 0, reciprocalRank: 0 }] as const;
        const fused = await retrieveBooks(
          { search: searchFor(mode, context.search), embedder: context.embedder },
          { ...query, limit: retrievalDepth },
        );
        const ranked = fused.map((entry) => keyOf(entry.book.id));
        return [
          mode,
          {
            recall: recallAt(retrievalDepth, ranked, relevant),
            reciprocalRank: reciprocalRank(retrievalDepth, ranked, relevant),
          },
        ] as const;
      }),
    );
    retrieval = Object.fromEntries(scores) as Record<RetrievalMode, { recall: number; reciprocalRank: number }>;
  }

  return {
    request,
    redirected: last.redirected,
    cited,
    groundingProblems: problems,
    relevantBooks: relevant.size,
    precision: expect.redirect ? null : precisionAt(answerDepth, cited, relevant),
    withinConstraints: citedBooks.filter((book) => meetsConstraints(book, expect.constraints, previous)).length,
    textProblems,
    retrieval,
  };
}

/** Whether the request's answer is right on every count. */
export function passed(result: RequestResult): boolean {
  const { expect } = result.request;
  if (result.groundingProblems.length > 0 || result.textProblems.length > 0) return false;
  if (result.redirected !== expect.redirect) return false;
  if (expect.redirect) return true;
  return result.cited.length > 0 && result.withinConstraints === result.cited.length && (result.precision ?? 0) > 0;
}
