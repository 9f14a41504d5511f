/**
 * The held-out window as the evaluation sees it (`sql/training-holdout.sql`): for each reader active in it, the
 * history before the cut (what a model is given, most recent first) and the books the reader then valued (what a
 * model should have ranked high): borrowed, finished or rated 4 stars or more, and not already in the history.
 */
import { z } from 'zod';
import type { HistoryEntry, HistoryEventType } from '../../recommendations/domain/history';

const historyEventTypes = [
  'view',
  'borrow',
  'finish',
  'rate',
  'dismiss',
] as const satisfies readonly HistoryEventType[];

/** One row of the `holdout` export (Athena's CSV: every value a string). */
export const heldOutRowSchema = z.object({
  user_id: z.string().min(1),
  book_id: z.string().min(1),
  rating: z.coerce.number().int().min(0).max(5),
  event: z.enum(historyEventTypes),
  part: z.enum(['input', 'target']),
});

export type HeldOutRow = z.infer<typeof heldOutRowSchema>;

export interface HeldOutCase {
  readonly readerId: string;
  /** Most recent first, at most `historyLength` entries. */
  readonly history: readonly HistoryEntry[];
  readonly targets: ReadonlySet<string>;
}

/** A held-out event that says the reader valued the book. */
export function isPositive(row: Pick<HeldOutRow, 'event' | 'rating'>): boolean {
  return row.event === 'borrow' || row.event === 'finish' || (row.event === 'rate' && row.rating >= 4);
}

/** The readers with both a history and a valued book after the cut, in order of first appearance. */
export function heldOutCases(rows: readonly HeldOutRow[], historyLength: number): HeldOutCase[] {
  const byReader = new Map<string, { inputs: HeldOutRow[]; targets: HeldOutRow[] }>();
  for (const row of rows) {
    const reader = byReader.get(row.user_id) ?? { inputs: [], targets: [] };
    (row.part === 'input' ? reader.inputs : reader.targets).push(row);
    byReader.set(row.user_id, reader);
  }
  const cases: HeldOutCase[] = [];
  for (const [readerId, { inputs, targets }] of byReader) {
    const seen = new Set(inputs.map((row) => row.book_id));
    const valued = new Set(
      targets.filter((row) => isPositive(row) && !seen.has(row.book_id)).map((row) => row.book_id),
    );
    if (inputs.length === 0 || valued.size === 0) continue;
    const history = inputs
      .slice(-historyLength)
      .reverse()
      .map((row, i) => ({
        eventId: `${readerId}-${i}`,
        bookId: row.book_id,
        type: row.event,
        rating: row.rating,
        occurredAt: '',
      }));
    cases.push({ readerId, history, targets: valued });
  }
  return cases;
}

/** NDCG@k of one ranked list with binary relevance (1 for each target). */
export function ndcgAt(k: number, ranked: readonly string[], targets: ReadonlySet<string>): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((bookId, i) => {
    if (targets.has(bookId)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, targets.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}
