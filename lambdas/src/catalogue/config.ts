/** Configuration of the catalogue functions, read once at cold start. */
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';

export interface CatalogueConfig {
  readonly database: DatabaseSettings;
}

export function catalogueConfigFrom(env: NodeJS.ProcessEnv): CatalogueConfig {
  return { database: databaseSettingsFrom(env) };
}
