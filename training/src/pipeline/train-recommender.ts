/**
 * The whole training pipeline, used by the evaluation, the SageMaker entry point and the default model:
 *   1. embed every book's text (`Embedder` port; offline hashing embedder by default);
 *   2. triplet-pretrain the projection to `dimension` on the books' top tags (skipped on a warm start, which keeps
 *      the saved projection so that known books keep their vectors);
 *   3. base vectors of the catalogue, then the REINFORCE policy (warm-started from a checkpoint when given).
 * Pure apart from the embedder: same inputs, options and seed give the same model.
 */
import type { Embedder } from '@shelfwise/lambdas/shared/embedding/embedder';
import { HashingEmbedder } from '@shelfwise/lambdas/shared/embedding/hashing-embedder';
import { topTagLabels, type CatalogueBook } from '../data/books';
import type { Interaction } from '../data/interactions';
import { initialProjection, trainProjection, type Projection, type TripletOptions } from '../embeddings/triplet';
import type { Checkpoint } from '../export/checkpoint';
import { encodeSequences } from '../policy/sequences';
import { trainPolicy, type PolicyTrainingOptions, type PolicyTrainingResult } from '../policy/train-policy';
import { createRandom } from '../util/random';
import { embedBooks, itemBaseVectors } from './book-vectors';

export interface RecommenderTrainingInput {
  readonly interactions: readonly Interaction[];
  /** Book metadata (text for the embeddings); books not listed get id-seeded vectors. */
  readonly books?: readonly CatalogueBook[];
  /** The catalogue order; default: the books, then any other book the interactions name, in first-seen order. */
  readonly itemIds?: readonly string[];
}

export interface RecommenderTrainingOptions {
  readonly embedder: Embedder;
  readonly dimension: number;
  readonly triplet: Partial<Omit<TripletOptions, 'outputDimension'>>;
  readonly policy: Partial<PolicyTrainingOptions>;
  /** A previous model to warm-start from (its projection is kept). */
  readonly warmStart?: Checkpoint;
  readonly seed: number;
}

export interface RecommenderTrainingResult {
  readonly checkpoint: Checkpoint;
  readonly tripletLosses: readonly number[];
  readonly policy: PolicyTrainingResult;
}

export const recommenderDefaults: Omit<RecommenderTrainingOptions, 'warmStart'> = {
  embedder: new HashingEmbedder({ dimension: 1024 }),
  dimension: 64,
  triplet: {},
  policy: {},
  seed: 1,
};

export async function trainRecommender(
  input: RecommenderTrainingInput,
  options: Partial<RecommenderTrainingOptions> = {},
): Promise<RecommenderTrainingResult> {
  const settings = { ...recommenderDefaults, ...options };
  const books = input.books ?? [];
  const itemIds = input.itemIds ?? catalogueOrder(books, input.interactions);
  const features = await embedBooks(books, settings.embedder);
  const featureRow = new Map(books.map((book, i) => [book.id, i]));

  let projection: Projection;
  let tripletLosses: readonly number[] = [];
  if (settings.warmStart) {
    projection = settings.warmStart.projection;
    if (projection.inputDimension !== settings.embedder.dimension) {
      throw new Error(
        `Cannot warm-start: the saved projection reads ${projection.inputDimension}-d text vectors, the embedder gives ${settings.embedder.dimension}`,
      );
    }
  } else if (books.length > 0) {
    const { labels } = topTagLabels(books);
    const result = trainProjection(
      { features, inputDimension: settings.embedder.dimension, labels },
      { seed: settings.seed, ...settings.triplet, outputDimension: settings.dimension },
    );
    projection = result.projection;
    tripletLosses = result.losses;
  } else {
    projection = initialProjection(settings.embedder.dimension, settings.dimension, createRandom(settings.seed));
  }

  const itemBase = itemBaseVectors(itemIds, featureRow, features, projection);
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const policy = await trainPolicy(
    { itemIds, itemBase, dimension: settings.dimension, sequences: encodeSequences(input.interactions, index) },
    { seed: settings.seed, ...settings.policy, warmStart: settings.warmStart?.model },
  );
  return { checkpoint: { model: policy.model, projection }, tripletLosses, policy };
}

/** The books in order, then other books named by the interactions, in the order they first appear. */
export function catalogueOrder(books: readonly CatalogueBook[], interactions: readonly Interaction[]): string[] {
  const ids = new Set(books.map((book) => book.id));
  for (const interaction of interactions) ids.add(interaction.itemId);
  return [...ids];
}
