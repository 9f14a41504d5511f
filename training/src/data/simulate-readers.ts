/**
 * Simulated readers for the default model (`npm start` has no real readers yet). Seeded: the same catalogue, options
 * and seed give the same interactions.
 *
 * Each reader loves one to three subjects (drawn by how common they are in the catalogue) and likes the rest a
 * little; a third of the readers move on to a new favourite halfway through. Books have a hidden appeal. At each step
 * the reader picks an unread book with probability ∝ exp(3·affinity + appeal + 2·[next in a series they read]),
 * then the outcome follows how much they like it: dismissed, borrowed and dropped, or finished with 1–5 stars.
 * Readers also browse: before half of the steps they open a book drawn the same way and leave it (a `view`), as
 * readers of the web app do, so the model learns what opened books say about a reader.
 */
import type { EventType, Interaction } from './interactions';
import type { DemoBook } from './demo-catalogue';
import { createRandom, type Random } from '../util/random';

export interface SimulationOptions {
  readonly readers: number;
  readonly minEvents: number;
  readonly maxEvents: number;
  readonly seed: number;
}

export const simulationDefaults: SimulationOptions = { readers: 3000, minEvents: 4, maxEvents: 30, seed: 1 };

/** Subjects too broad to be a taste ("Fiction"). */
const broadSubjects = new Set(['Fiction']);

export function simulateReaders(books: readonly DemoBook[], options: Partial<SimulationOptions> = {}): Interaction[] {
  const settings = { ...simulationDefaults, ...options };
  const random = createRandom(settings.seed);
  const subjects = [...new Set(books.flatMap((book) => book.subjects))].filter((s) => !broadSubjects.has(s)).sort();
  const subjectIndex = new Map(subjects.map((subject, i) => [subject, i]));
  const subjectWeights = subjects.map((subject) => books.filter((book) => book.subjects.includes(subject)).length);
  const appeal = books.map(() => random.normal() * 0.6);
  const bookSubjects = books.map((book) =>
    book.subjects.map((subject) => subjectIndex.get(subject)).filter((i): i is number => i !== undefined),
  );
  const nextInSeries = seriesSuccessors(books);

  const sequences: Interaction[][] = [];
  for (let reader = 0; reader < settings.readers; reader++) {
    const userId = `sim-${String(reader).padStart(5, '0')}`;
    let taste = tasteOf(subjects.length, subjectWeights, random);
    const drifts = random.next() < 1 / 3;
    const length = settings.minEvents + random.int(settings.maxEvents - settings.minEvents + 1);
    const read = new Set<number>();
    const boosted = new Set<number>();
    const sequence: Interaction[] = [];
    let affinity = affinities(taste, bookSubjects);
    for (let step = 0; step < length && read.size < books.length; step++) {
      if (drifts && step === Math.floor(length / 2)) {
        taste = tasteOf(subjects.length, subjectWeights, random);
        affinity = affinities(taste, bookSubjects);
      }
      if (random.next() < 0.5 && read.size + 1 < books.length) {
        const browsed = pick(books.length, (b) => (read.has(b) ? -Infinity : 3 * affinity[b]! + appeal[b]!), random);
        read.add(browsed);
        sequence.push({ userId, itemId: books[browsed]!.id, event: 'view', rating: 0 });
      }
      const book = pick(
        books.length,
        (b) => (read.has(b) ? -Infinity : 3 * affinity[b]! + appeal[b]! + (boosted.has(b) ? 2 : 0)),
        random,
      );
      read.add(book);
      const next = nextInSeries.get(book);
      if (next !== undefined) boosted.add(next);
      const liking = affinity[book]! + 0.3 * appeal[book]! + random.normal() * 0.25;
      const { event, rating } = outcome(liking, random);
      sequence.push({ userId, itemId: books[book]!.id, event, rating });
    }
    sequences.push(sequence);
  }
  return interleave(sequences, random);
}

/** How much a reader with `taste` likes each book: the mean of its subjects' weights (scaled by 1/√count). */
function affinities(taste: Float64Array, bookSubjects: readonly number[][]): Float64Array {
  return Float64Array.from(bookSubjects, (own) => {
    if (own.length === 0) return 0.1;
    let sum = 0;
    for (const subject of own) sum += taste[subject]!;
    return sum / Math.sqrt(own.length);
  });
}

function tasteOf(count: number, weights: readonly number[], random: Random): Float64Array {
  const taste = new Float64Array(count).fill(0.05);
  const favourites = 1 + random.int(3);
  for (let i = 0; i < favourites; i++) taste[pick(count, (s) => Math.log(weights[s]! + 1), random)] = 1;
  return taste;
}

function outcome(liking: number, random: Random): { event: EventType; rating: number } {
  if (liking < 0.15) return { event: 'dismiss', rating: 0 };
  if (liking < 0.35) return random.next() < 0.5 ? { event: 'borrow', rating: 0 } : { event: 'rate', rating: 2 };
  const stars = Math.max(1, Math.min(5, Math.round(1.5 + 3 * liking + random.normal() * 0.5)));
  return { event: random.next() < 0.5 ? 'finish' : 'rate', rating: stars };
}

/** Samples index i with probability ∝ exp(score(i)) (−∞ excluded). */
function pick(count: number, score: (i: number) => number, random: Random): number {
  const scores = Float64Array.from({ length: count }, (_, i) => score(i));
  let max = -Infinity;
  for (const value of scores) max = Math.max(max, value);
  let total = 0;
  for (let i = 0; i < count; i++) {
    scores[i] = scores[i] === -Infinity ? 0 : Math.exp(scores[i]! - max);
    total += scores[i]!;
  }
  let threshold = random.next() * total;
  for (let i = 0; i < count; i++) {
    threshold -= scores[i]!;
    if (threshold <= 0 && scores[i]! > 0) return i;
  }
  return count - 1;
}

/** Book index → index of the next book of its series. */
function seriesSuccessors(books: readonly DemoBook[]): Map<number, number> {
  const successors = new Map<number, number>();
  books.forEach((book, i) => {
    if (!book.series) return;
    const next = books.findIndex(
      (other) => other.series?.name === book.series!.name && other.series.index === book.series!.index + 1,
    );
    if (next >= 0) successors.set(i, next);
  });
  return successors;
}

/** Merges the readers' sequences into one time-ordered log (each reader's order kept). */
function interleave(sequences: Interaction[][], random: Random): Interaction[] {
  const timed = sequences.flatMap((sequence) => {
    let time = random.next() * 30;
    return sequence.map((interaction) => {
      time += random.next() * 10;
      return { time, interaction };
    });
  });
  timed.sort((a, b) => a.time - b.time);
  return timed.map(({ interaction }) => interaction);
}
