/**
 * Logged interactions, the input of policy training and evaluation. Rows are in time order; a reader's sequence is
 * their rows in that order.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/** Event types, in the order of their index in the model's event-type embedding (append only). */
export const eventTypes = ['rate', 'borrow', 'finish', 'dismiss', 'view'] as const;
export type EventType = (typeof eventTypes)[number];

export interface Interaction {
  readonly userId: string;
  readonly itemId: string;
  readonly event: EventType;
  /** 1–5 stars, or 0 when the event carries no rating. */
  readonly rating: number;
}

const rowSchema = z.object({
  user_id: z.string().min(1),
  book_id: z.string().min(1),
  rating: z.coerce.number().int().min(0).max(5).optional(),
  event: z.enum(eventTypes).optional(),
});

/**
 * Reads a goodbooks-layout CSV (`user_id,book_id,rating`, header first, rows in time order). An optional `event`
 * column names the event type (default `rate`).
 */
export async function readInteractionsCsv(file: string): Promise<Interaction[]> {
  return parseInteractionsCsv(await readFile(file, 'utf8'), file);
}

export function parseInteractionsCsv(text: string, source = 'CSV'): Interaction[] {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return records.map((record, i) => {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${source} row ${i + 2} is invalid: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const { user_id: userId, book_id: itemId, rating = 0, event = 'rate' } = parsed.data;
    return { userId, itemId, event, rating };
  });
}

/** Each reader's interactions in time order, readers in order of first appearance. */
export function sequencesByUser(interactions: readonly Interaction[]): Map<string, Interaction[]> {
  const sequences = new Map<string, Interaction[]>();
  for (const interaction of interactions) {
    const sequence = sequences.get(interaction.userId);
    if (sequence) sequence.push(interaction);
    else sequences.set(interaction.userId, [interaction]);
  }
  return sequences;
}
