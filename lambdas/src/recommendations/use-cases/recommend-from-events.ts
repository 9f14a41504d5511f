/**
 * The recommender's work for one batch of reader events: update each reader's history (conditional writes, replays
 * ignored), then write each changed reader a fresh list — from the policy in one call for all readers with enough
 * history, else from fallbacks (content-similar after one interaction, popular before any) — never an empty one
 * while the catalogue has books, never a book the reader borrowed, finished, rated, listed or dismissed.
 *
 * A reader whose update fails is reported so that their events are retried; the others are done.
 */
import { applyEvents, booksToSkip, emptyHistory, likedBooks, type ReaderHistory } from '../domain/history';
import type { ReaderEvent } from '../domain/reader-event';
import {
  fallbackModelVersion,
  fillUp,
  popularItems,
  shuffleAmongTop,
  type Recommendation,
  type RecommendationList,
  type Strategy,
} from '../domain/recommendation';
import type { CatalogueSignals, Policy, PolicySource, ReaderStore } from '../ports';

export interface RecommenderDependencies {
  readonly store: ReaderStore;
  readonly policies: PolicySource;
  readonly catalogue: CatalogueSignals;
  readonly now: () => Date;
  readonly random: () => number;
  readonly newId: () => string;
}

export interface RecommenderSettings {
  /** Books per list. */
  readonly listSize: number;
  /** Interactions with books the model knows before the policy takes over from the content fallback. */
  readonly policyMinInteractions: number;
  /** How many popular books the popular fallback draws from. */
  readonly popularPool: number;
}

export const defaultRecommenderSettings: RecommenderSettings = {
  listSize: 20,
  policyMinInteractions: 3,
  popularPool: 60,
};

/** Weight an event adds to its book's popularity. */
const popularityWeights: Partial<Record<ReaderEvent['type'], number>> = {
  view: 0.5,
  open: 1,
  click: 1,
  'add-to-list': 2,
  borrow: 3,
  finish: 3,
  rate: 1,
};

export interface BatchOutcome {
  /** Readers whose events must be retried, with the error. */
  readonly failed: Map<string, Error>;
  /** Readers whose events were all applied before (a replay): nothing written. */
  readonly unchanged: number;
  /** Popularity could not be updated (logged; the batch is not retried for it). */
  readonly popularityError: Error | null;
  readonly lists: readonly RecommendationList[];
  readonly strategies: Readonly<Record<Strategy, number>>;
  /** Version of the policy used, if any. */
  readonly modelVersion: string | null;
  readonly inferenceMs: number;
}

export async function recommendFromEvents(
  deps: RecommenderDependencies,
  events: readonly ReaderEvent[],
  settings: RecommenderSettings = defaultRecommenderSettings,
): Promise<BatchOutcome> {
  const failed = new Map<string, Error>();
  const byReader = new Map<string, ReaderEvent[]>();
  for (const event of events) {
    const list = byReader.get(event.readerId) ?? [];
    list.push(event);
    byReader.set(event.readerId, list);
  }

  // 1. Histories, each written only if nobody wrote it since it was read (else read again and re-apply).
  const stored = await deps.store.histories([...byReader.keys()]);
  const changed: ReaderHistory[] = [];
  const applied: ReaderEvent[] = [];
  const unchangedReaders: ReaderHistory[] = [];
  let replayed = 0;
  await Promise.all(
    [...byReader].map(async ([readerId, readerEvents]) => {
      try {
        let base = stored.get(readerId) ?? emptyHistory(readerId);
        for (let attempt = 0; ; attempt++) {
          const next = applyEvents(base, readerEvents);
          if (!next.changed) {
            unchangedReaders.push(base);
            replayed += 1;
            return;
          }
          if (await deps.store.saveHistory(next.history)) {
            const saved = { ...next.history, version: next.history.version + 1 };
            // Impressions and searches alone are recorded but do not change the list the reader sees.
            if (next.tasteChanged) changed.push(saved);
            else unchangedReaders.push(saved);
            applied.push(...next.applied);
            return;
          }
          if (attempt >= 4) throw new Error(`History of reader ${readerId} kept changing under concurrent writes`);
          base = (await deps.store.histories([readerId])).get(readerId) ?? emptyHistory(readerId);
        }
      } catch (error) {
        failed.set(readerId, error as Error);
      }
    }),
  );

  // 2. Fresh lists for the readers whose taste changed, and for the others whose list is older than their last
  //    taste change (a previous attempt stored the history and then failed to write the list).
  const stale = await Promise.all(
    unchangedReaders.map(async (history) => {
      const tasteVersion = history.tasteVersion ?? history.version;
      if (tasteVersion === 0) return null;
      const list = await deps.store.recommendations(history.readerId);
      return !list || (list.historyVersion ?? 0) < tasteVersion ? history : null;
    }),
  );
  const targets = [...changed, ...stale.filter((history) => history !== null)];
  const made = await makeLists(deps, targets, settings);
  try {
    await deps.store.saveRecommendations(made.lists);
  } catch (error) {
    for (const list of made.lists) failed.set(list.readerId, error as Error);
  }

  // 3. Popularity from the newly applied events (a replay adds nothing). Popularity is a fallback signal: if this
  //    write fails the batch is not retried for it.
  const weights = new Map<string, number>();
  for (const event of applied) {
    const weight = popularityWeights[event.type] ?? 0;
    if ('bookId' in event && weight > 0) weights.set(event.bookId, (weights.get(event.bookId) ?? 0) + weight);
  }
  let popularityError: Error | null = null;
  try {
    await deps.catalogue.addPopularity(weights, deps.now());
  } catch (error) {
    popularityError = error as Error;
  }
  return { failed, unchanged: replayed, popularityError, ...made };
}

/** Lists for these histories (also used to answer a reader the recommender has not seen yet). */
export async function makeLists(
  deps: Omit<RecommenderDependencies, 'store'>,
  histories: readonly ReaderHistory[],
  settings: RecommenderSettings = defaultRecommenderSettings,
): Promise<Omit<BatchOutcome, 'failed' | 'unchanged' | 'popularityError'>> {
  const strategies: Record<Strategy, number> = { policy: 0, similar: 0, popular: 0 };
  if (histories.length === 0) return { lists: [], strategies, modelVersion: null, inferenceMs: 0 };
  const { listSize } = settings;
  const policy = await deps.policies.current();
  const popular = popularItems(await deps.catalogue.popular(settings.popularPool));

  const drafts = new Map<string, { items: Recommendation[]; strategy: Strategy }>();
  const forPolicy = policy
    ? histories.filter((history) => knownInteractions(policy, history) >= settings.policyMinInteractions)
    : [];
  let inferenceMs = 0;
  if (policy && forPolicy.length > 0) {
    const started = performance.now();
    const ranked = await policy.recommend(
      forPolicy.map((history) => ({ history, skip: booksToSkip(history) })),
      listSize,
    );
    inferenceMs = performance.now() - started;
    forPolicy.forEach((history, i) => drafts.set(history.readerId, { items: ranked[i] ?? [], strategy: 'policy' }));
  }

  for (const history of histories) {
    const skip = booksToSkip(history);
    let draft = drafts.get(history.readerId);
    const liked = likedBooks(history);
    if (!draft && liked.length > 0) {
      const similar = await deps.catalogue.similarInContent(liked.slice(0, 5), listSize, skip);
      let items: Recommendation[] = similar.map((book) => ({
        bookId: book.bookId,
        score: book.score,
        reason: { kind: 'similar', becauseBookId: book.becauseBookId },
      }));
      if (items.length < listSize && liked[0]) {
        // A book without a text embedding (or with few neighbours): its series and authors.
        items = fillUp(items, await deps.catalogue.sameAuthorOrSeries(liked[0], listSize, skip), listSize, skip);
      }
      draft = { items, strategy: 'similar' };
    }
    draft ??= { items: [], strategy: 'popular' };
    if (draft.items.length < listSize) {
      const available = popular.filter((book) => !skip.has(book.bookId));
      draft.items = fillUp(draft.items, shuffleAmongTop(available, listSize, deps.random), listSize, skip);
    }
    drafts.set(history.readerId, draft);
  }

  // Books withdrawn since the model or the popularity table saw them are dropped (then filled from popular).
  const available = await deps.catalogue.availableBooks([
    ...new Set([
      ...[...drafts.values()].flatMap((draft) => draft.items.map((item) => item.bookId)),
      ...popular.map((book) => book.bookId),
    ]),
  ]);
  const lists: RecommendationList[] = histories.map((history) => {
    const draft = drafts.get(history.readerId)!;
    const skip = booksToSkip(history);
    const items = fillUp(
      draft.items.filter((item) => available.has(item.bookId)),
      popular.filter((book) => available.has(book.bookId)),
      listSize,
      skip,
    );
    strategies[draft.strategy] += 1;
    return {
      readerId: history.readerId,
      recommendationId: deps.newId(),
      historyVersion: history.version,
      modelVersion: draft.strategy === 'policy' && policy ? policy.version : fallbackModelVersion,
      strategy: draft.strategy,
      generatedAt: deps.now().toISOString(),
      items,
    };
  });
  return { lists, strategies, modelVersion: policy?.version ?? null, inferenceMs };
}

function knownInteractions(policy: Policy, history: ReaderHistory): number {
  return history.entries.filter((entry) => entry.type !== 'dismiss' && policy.knows(entry.bookId)).length;
}
