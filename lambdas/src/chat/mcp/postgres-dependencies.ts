/**
 * The catalogue tools' adapters on one Postgres pool: the chatbot's book search and the recommendations' similar
 * books (the same use case as `GET /books/{bookId}/similar`).
 */
import type pg from 'pg';
import { PostgresCatalogueSignals } from '../../recommendations/adapters/postgres-catalogue-signals';
import type { ReaderStore } from '../../recommendations/ports';
import { similarBooks } from '../../recommendations/use-cases/read-recommendations';
import type { Embedder } from '../../shared/embedding/embedder';
import { PostgresBookSearch } from '../adapters/postgres-book-search';
import type { CatalogueToolsDependencies } from './catalogue-mcp-server';

/** Similar books read no reader data: a reader store that refuses, so that stays true. */
const noReaderData: ReaderStore = {
  histories: () => Promise.reject(new Error('The catalogue tools read no reader data')),
  saveHistory: () => Promise.reject(new Error('The catalogue tools write no reader data')),
  saveRecommendations: () => Promise.reject(new Error('The catalogue tools write no reader data')),
  recommendations: () => Promise.reject(new Error('The catalogue tools read no reader data')),
};

export function postgresCatalogueTools(pool: pg.Pool, embedder: Embedder): CatalogueToolsDependencies {
  const catalogue = new PostgresCatalogueSignals(pool, { modelId: embedder.modelId, dimension: embedder.dimension });
  const readDependencies = {
    store: noReaderData,
    catalogue,
    now: () => new Date(),
    random: Math.random,
    newId: () => 'mcp',
  };
  return {
    search: new PostgresBookSearch(pool),
    embedder,
    similarBooks: (bookId, limit) => similarBooks(readDependencies, bookId, limit),
  };
}
