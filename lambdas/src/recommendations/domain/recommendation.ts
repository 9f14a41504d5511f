/**
 * A reader's recommendations as stored and served: one list per reader, with an id (impressions and clicks carry it
 * back), the model version that made it (or `fallback`), and why each book is there.
 */
import { z } from 'zod';

export const reasonSchema = z.discriminatedUnion('kind', [
  /** The policy ranked it for this history; `becauseBookId` is the history book most like it. */
  z.object({ kind: z.literal('policy'), becauseBookId: z.string().optional() }),
  /** Like a book the reader acted on, by content. */
  z.object({ kind: z.literal('similar'), becauseBookId: z.string() }),
  z.object({ kind: z.literal('same-series'), becauseBookId: z.string() }),
  z.object({ kind: z.literal('same-author'), becauseBookId: z.string() }),
  /** Popular in the library lately. */
  z.object({ kind: z.literal('popular') }),
]);

export type Reason = z.infer<typeof reasonSchema>;

export const recommendationSchema = z.object({
  bookId: z.string(),
  score: z.number(),
  reason: reasonSchema,
});

export type Recommendation = z.infer<typeof recommendationSchema>;

/** How the list was made: the policy, or which fallback (no model yet, too little history). */
export const strategies = ['policy', 'similar', 'popular'] as const;
export type Strategy = (typeof strategies)[number];

export const recommendationListSchema = z.object({
  readerId: z.string(),
  recommendationId: z.string(),
  /** The model's version for `policy` lists; `fallback` otherwise. */
  modelVersion: z.string(),
  strategy: z.enum(strategies),
  generatedAt: z.string(),
  /** Version of the reader's stored history the list was made from (0: no history). */
  historyVersion: z.number().int().nonnegative().optional(),
  items: z.array(recommendationSchema),
});

export type RecommendationList = z.infer<typeof recommendationListSchema>;

export const fallbackModelVersion = 'fallback';

/**
 * Appends `more` to `list` up to `limit`, skipping books already there or in `skip`. Scores are not comparable across
 * sources, so order is kept: the list first, then each source in turn.
 */
export function fillUp(
  list: readonly Recommendation[],
  more: readonly Recommendation[],
  limit: number,
  skip: ReadonlySet<string> = new Set(),
): Recommendation[] {
  const result = [...list];
  const present = new Set(result.map((item) => item.bookId));
  for (const item of more) {
    if (result.length >= limit) break;
    if (present.has(item.bookId) || skip.has(item.bookId)) continue;
    present.add(item.bookId);
    result.push(item);
  }
  return result.slice(0, limit);
}

/**
 * Popular books (best first, as the catalogue ranks them) as list items, scored by their weight relative to the most
 * popular one: 1 for the first, 0 before anything was read. The stored weights carry a factor that grows with the
 * clock (so that rows need no rewriting as popularity decays) and have exceeded Number.MAX_SAFE_INTEGER since
 * September 2026, which DynamoDB's marshaller refuses; the relative weight is the same for the decayed popularity,
 * keeps the order and stays between 0 and 1.
 */
export function popularItems(books: readonly { readonly bookId: string; readonly score: number }[]): Recommendation[] {
  const top = books[0]?.score ?? 0;
  return books.map((book) => ({
    bookId: book.bookId,
    score: top > 0 && Number.isFinite(top) ? book.score / top : 0,
    reason: { kind: 'popular' },
  }));
}

/**
 * `limit` books drawn from the `pool` (best first) without replacement, each with probability proportional to its
 * rank weight 1/(rank + 3): popular books lead, but two readers (or two visits) do not see the same list.
 */
export function shuffleAmongTop<T>(pool: readonly T[], limit: number, random: () => number): T[] {
  const remaining = pool.map((item, rank) => ({ item, weight: 1 / (rank + 3) }));
  const drawn: T[] = [];
  while (drawn.length < limit && remaining.length > 0) {
    const total = remaining.reduce((sum, entry) => sum + entry.weight, 0);
    let target = random() * total;
    let index = 0;
    for (; index < remaining.length - 1; index++) {
      target -= remaining[index]!.weight;
      if (target < 0) break;
    }
    drawn.push(remaining[index]!.item);
    remaining.splice(index, 1);
  }
  return drawn;
}
