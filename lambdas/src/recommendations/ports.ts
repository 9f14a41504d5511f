/**
 * What the recommendation use cases need from the outside world. Adapters: DynamoDB (histories, lists, the model
 * pointer), S3 + onnxruntime-node (the policy), Postgres (catalogue signals).
 */
import type { ReaderHistory } from './domain/history';
import type { Recommendation, RecommendationList } from './domain/recommendation';

export interface ReaderStore {
  /** The stored histories of these readers (absent readers are left out of the map). */
  histories(readerIds: readonly string[]): Promise<Map<string, ReaderHistory>>;
  /**
   * Stores `history` if the stored version is still `history.version` (0: none stored); the stored version becomes
   * version + 1. False when another writer got there first (read again and re-apply).
   */
  saveHistory(history: ReaderHistory): Promise<boolean>;
  saveRecommendations(lists: readonly RecommendationList[]): Promise<void>;
  recommendations(readerId: string): Promise<RecommendationList | null>;
}

/** One reader's input to the policy. */
export interface PolicyInput {
  readonly history: ReaderHistory;
  /** Books the answer must leave out. */
  readonly skip: ReadonlySet<string>;
}

/** A trained policy, loaded and checked against the catalogue. */
export interface Policy {
  readonly version: string;
  /** Book ids the policy can take as input or score (its training items and the books added after it). */
  knows(bookId: string): boolean;
  /** The `limit` best books for each input, best first, in one model call. */
  recommend(inputs: readonly PolicyInput[], limit: number): Promise<Recommendation[][]>;
  /** Books whose base vectors are nearest to `bookId`'s (cosine), best first. */
  similar(bookId: string, limit: number, skip: ReadonlySet<string>): Recommendation[];
}

export interface PolicySource {
  /** The policy to serve now (checks the model pointer at most every refresh period), or null before any model. */
  current(): Promise<Policy | null>;
}

export interface ScoredBook {
  readonly bookId: string;
  readonly score: number;
}

export interface CatalogueSignals {
  /** Most popular available books: time-decayed interaction weight, then the catalogue's ratings. */
  popular(limit: number): Promise<ScoredBook[]>;
  /** Available books nearest in content (text embedding) to any of `bookIds`, best first, with the nearest source. */
  similarInContent(
    bookIds: readonly string[],
    limit: number,
    skip: ReadonlySet<string>,
  ): Promise<(ScoredBook & { readonly becauseBookId: string })[]>;
  /** Available books by the same authors or in the same series as `bookId`, series order first. */
  sameAuthorOrSeries(bookId: string, limit: number, skip: ReadonlySet<string>): Promise<Recommendation[]>;
  /** Adds interaction weight to books at `at` (the decayed popularity `popular` reads). */
  addPopularity(weights: ReadonlyMap<string, number>, at: Date): Promise<void>;
  /** Which of these ids are available (not withdrawn) catalogue books. */
  availableBooks(bookIds: readonly string[]): Promise<Set<string>>;
}
