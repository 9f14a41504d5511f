/** Configuration of the platform functions (database migrations), read once at cold start. */
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';

export interface PlatformConfig {
  readonly database: DatabaseSettings;
}

export function platformConfigFrom(env: NodeJS.ProcessEnv): PlatformConfig {
  return { database: databaseSettingsFrom(env) };
}
