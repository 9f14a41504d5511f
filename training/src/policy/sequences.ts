/**
 * Readers' interactions as index sequences over a catalogue, and the histories the policy reads from them
 * (most recent first, at most H events, masked).
 */
import { eventTypes, sequencesByUser, type Interaction } from '../data/interactions';
import type { HistoryBatch } from './model';

export interface EncodedSequence {
  readonly userId: string;
  readonly items: Int32Array;
  readonly events: Int32Array;
  readonly ratings: Int32Array;
}

export const eventIndex: ReadonlyMap<string, number> = new Map(eventTypes.map((event, i) => [event, i]));

/** Each reader's interactions with books of the catalogue, in time order (interactions with other books dropped). */
export function encodeSequences(
  interactions: readonly Interaction[],
  itemIndex: ReadonlyMap<string, number>,
): EncodedSequence[] {
  const encoded: EncodedSequence[] = [];
  for (const [userId, sequence] of sequencesByUser(interactions)) {
    const known = sequence.filter((interaction) => itemIndex.has(interaction.itemId));
    if (known.length === 0) continue;
    encoded.push({
      userId,
      items: Int32Array.from(known, (interaction) => itemIndex.get(interaction.itemId)!),
      events: Int32Array.from(known, (interaction) => eventIndex.get(interaction.event)!),
      ratings: Int32Array.from(known, (interaction) => interaction.rating),
    });
  }
  return encoded;
}

/** Writes the history before position `end` of `sequence` (most recent first) into row `row` of `batch`. */
export function writeHistory(
  batch: HistoryBatch,
  row: number,
  sequence: Pick<EncodedSequence, 'items' | 'events' | 'ratings'>,
  end: number,
  historyLength: number,
): void {
  const start = row * historyLength;
  for (let j = 0; j < historyLength; j++) {
    const position = end - 1 - j;
    const slot = start + j;
    if (position < 0) {
      batch.items[slot] = 0;
      batch.events[slot] = 0;
      batch.ratings[slot] = 0;
      batch.mask[slot] = 0;
      continue;
    }
    batch.items[slot] = sequence.items[position]!;
    batch.events[slot] = sequence.events[position]!;
    batch.ratings[slot] = sequence.ratings[position]!;
    batch.mask[slot] = 1;
  }
}

/** Whether `item` is among the `historyLength` events before `end`. */
export function inHistory(sequence: EncodedSequence, end: number, historyLength: number, item: number): boolean {
  for (let position = end - 1; position >= Math.max(0, end - historyLength); position--) {
    if (sequence.items[position] === item) return true;
  }
  return false;
}
