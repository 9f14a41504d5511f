/**
 * What readers read back: their current list with the books and the reasons ("because you read X"), or, for a
 * reader the recommender has not seen yet, a popular list made on the spot (never empty while the catalogue has
 * books); and the books similar to a book (content, then its series and authors, then popular).
 */
import type { BookSummary } from '../../catalogue/domain/book';
import { NotFoundError } from '../../shared/errors';
import { emptyHistory } from '../domain/history';
import {
  fillUp,
  popularItems,
  shuffleAmongTop,
  type Reason,
  type Recommendation,
  type RecommendationList,
} from '../domain/recommendation';
import type { CatalogueSignals, ReaderStore } from '../ports';
import { makeLists, type RecommenderSettings } from './recommend-from-events';

export interface ReadDependencies {
  readonly store: ReaderStore;
  readonly catalogue: CatalogueSignals & {
    summaries(bookIds: readonly string[]): Promise<Map<string, BookSummary>>;
  };
  readonly now: () => Date;
  readonly random: () => number;
  readonly newId: () => string;
}

export interface ServedBook {
  readonly book: BookSummary;
  readonly position: number;
  readonly score: number;
  readonly reason: Reason & { readonly because?: { readonly id: string; readonly title: string } };
}

export interface ServedList extends Omit<RecommendationList, 'items' | 'historyVersion'> {
  readonly items: readonly ServedBook[];
  /**
   * True when the reader has no stored list yet and this one was made on the spot (popular books): a list the
   * recommender writes from the reader's events is on its way if they have acted, so clients keep polling.
   */
  readonly provisional?: true;
}

export async function readRecommendations(
  deps: ReadDependencies,
  readerId: string,
  settings: RecommenderSettings,
  limit = settings.listSize,
): Promise<ServedList> {
  let list = await deps.store.recommendations(readerId);
  const provisional = !list || list.items.length === 0;
  if (provisional) {
    const made = await makeLists(
      { ...deps, policies: { current: async () => null } },
      [emptyHistory(readerId)],
      settings,
    );
    list = made.lists[0] ?? null;
  }
  if (!list) throw new Error('No list could be made');
  // Books withdrawn since the list was written are left out.
  const available = await deps.catalogue.availableBooks(list.items.map((item) => item.bookId));
  const items = list.items.filter((item) => available.has(item.bookId)).slice(0, limit);
  const { historyVersion: _historyVersion, ...rest } = list;
  return { ...rest, items: await serve(deps, items), ...(provisional ? { provisional: true as const } : {}) };
}

export async function similarBooks(
  deps: ReadDependencies,
  bookId: string,
  limit: number,
): Promise<{ readonly bookId: string; readonly items: readonly ServedBook[] }> {
  const [source] = [...(await deps.catalogue.availableBooks([bookId]))];
  if (!source) throw new NotFoundError(`No book with id ${bookId}`);
  const skip = new Set([bookId]);
  const similar: Recommendation[] = (await deps.catalogue.similarInContent([bookId], limit, skip)).map((book) => ({
    bookId: book.bookId,
    score: book.score,
    reason: { kind: 'similar', becauseBookId: bookId },
  }));
  let items = fillUp(similar, await deps.catalogue.sameAuthorOrSeries(bookId, limit, skip), limit, skip);
  if (items.length < limit) {
    const popular = popularItems(await deps.catalogue.popular(limit * 3));
    items = fillUp(items, shuffleAmongTop(popular, limit, deps.random), limit, skip);
  }
  return { bookId, items: await serve(deps, items) };
}

async function serve(deps: ReadDependencies, items: readonly Recommendation[]): Promise<ServedBook[]> {
  const because = items.flatMap((item) =>
    'becauseBookId' in item.reason && item.reason.becauseBookId ? [item.reason.becauseBookId] : [],
  );
  const summaries = await deps.catalogue.summaries([...items.map((item) => item.bookId), ...because]);
  return items.flatMap((item, position) => {
    const book = summaries.get(item.bookId);
    if (!book) return [];
    const becauseId = 'becauseBookId' in item.reason ? item.reason.becauseBookId : undefined;
    const becauseBook = becauseId ? summaries.get(becauseId) : undefined;
    return [
      {
        book,
        position,
        score: item.score,
        reason: becauseBook
          ? { ...item.reason, because: { id: becauseBook.id, title: becauseBook.title } }
          : item.reason,
      },
    ];
  });
}
