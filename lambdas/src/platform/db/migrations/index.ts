/**
 * Every migration, in order. The same list runs on PGlite (`npm start`, tests), a real PostgreSQL server (CI) and
 * Aurora (the migration custom resource). Add a file and a line here; never edit a migration that has shipped.
 */
import type { Migration } from 'kysely';
import * as catalogueBase from './0001-catalogue-base';
import * as calibreCatalogue from './0002-calibre-catalogue';
import * as bookEmbeddings from './0003-book-embeddings';
import * as bookPopularity from './0004-book-popularity';
import * as bookSourceHash from './0005-book-source-hash';
import * as loans from './0006-loans';
import * as readingProgress from './0007-reading-progress';
import * as bookCover from './0008-book-cover';

export const migrations: Record<string, Migration> = {
  '0001-catalogue-base': catalogueBase,
  '0002-calibre-catalogue': calibreCatalogue,
  '0003-book-embeddings': bookEmbeddings,
  '0004-book-popularity': bookPopularity,
  '0005-book-source-hash': bookSourceHash,
  '0006-loans': loans,
  '0007-reading-progress': readingProgress,
  '0008-book-cover': bookCover,
};
