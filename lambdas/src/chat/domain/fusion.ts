/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): a book's score is the sum over the ranked lists of
 * 1 / (k + rank). Books with equal scores are ordered by rating (well-rated first), then by id for stability.
 */
/** What fusion needs of a ranked book. */
export interface Rankable {
  readonly id: string;
  readonly rating: number | null;
}

export const defaultRrfK = 60;

export interface Fused<T extends Rankable> {
  readonly book: T;
  readonly score: number;
  /** 1-based rank in each input list, or null where the list did not return the book. */
  readonly ranks: readonly (number | null)[];
}

export function fuseByReciprocalRank<T extends Rankable>(
  lists: readonly (readonly T[])[],
  k = defaultRrfK,
): Fused<T>[] {
  const fused = new Map<string, { book: T; score: number; ranks: (number | null)[] }>();
  lists.forEach((list, listIndex) => {
    list.forEach((book, position) => {
      const entry = fused.get(book.id) ?? { book, score: 0, ranks: lists.map(() => null) };
      if (entry.ranks[listIndex] !== null) return; // a list naming a book twice counts once
      entry.ranks[listIndex] = position + 1;
      entry.score += 1 / (k + position + 1);
      fused.set(book.id, entry);
    });
  });
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || (b.book.rating ?? -1) - (a.book.rating ?? -1) || compareIds(a.book.id, b.book.id),
  );
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
