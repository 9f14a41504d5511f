/** Configuration of the recommender and the recommendations API, read once at cold start. */
import { embedderSettingsFrom, type EmbedderSettings } from '../chat/config';
import { optionalInteger, requiredString, type Environment } from '../shared/config';
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';
import { buckets, tables } from '../shared/infrastructure';
import { defaultRecommenderSettings, type RecommenderSettings } from './use-cases/recommend-from-events';

export interface RecommendationsConfig {
  readonly database: DatabaseSettings;
  readonly readerTable: string;
  /** The embedder whose book vectors content similarity uses (the one the ingest stores: EMBEDDER…). */
  readonly embedder: EmbedderSettings;
  readonly settings: RecommenderSettings;
}

export interface RecommenderConfig extends RecommendationsConfig {
  readonly modelsBucket: string;
  /** The data lake, where every served list is archived for the warehouse. */
  readonly lakeBucket: string;
  /** How often the model pointer is checked (MODEL_REFRESH_SECONDS, default 30: a new version serves within a minute). */
  readonly modelRefreshSeconds: number;
  /** Least share of a model's books that must be catalogue books (MODEL_MIN_CATALOGUE_MATCH_PERCENT, default 50). */
  readonly minCatalogueMatch: number;
}

function settingsFrom(env: Environment): RecommenderSettings {
  return {
    listSize: optionalInteger(env, 'RECOMMENDATION_LIST_SIZE', defaultRecommenderSettings.listSize, 1),
    policyMinInteractions: optionalInteger(
      env,
      'RECOMMENDATION_POLICY_MIN_INTERACTIONS',
      defaultRecommenderSettings.policyMinInteractions,
      1,
    ),
    popularPool: optionalInteger(env, 'RECOMMENDATION_POPULAR_POOL', defaultRecommenderSettings.popularPool, 1),
  };
}

export function recommendationsConfigFrom(env: Environment): RecommendationsConfig {
  return {
    database: databaseSettingsFrom(env),
    readerTable: requiredString(env, tables.readers.envVar),
    embedder: embedderSettingsFrom(env),
    settings: settingsFrom(env),
  };
}

export function recommenderConfigFrom(env: Environment): RecommenderConfig {
  return {
    ...recommendationsConfigFrom(env),
    modelsBucket: requiredString(env, buckets.models.envVar),
    lakeBucket: requiredString(env, buckets.lake.envVar),
    modelRefreshSeconds: optionalInteger(env, 'MODEL_REFRESH_SECONDS', 30, 0),
    minCatalogueMatch: optionalInteger(env, 'MODEL_MIN_CATALOGUE_MATCH_PERCENT', 50, 0) / 100,
  };
}
