/** Configuration of the catalogue MCP server (`npm run mcp`), read once at start. */
import type { Environment } from '../../shared/config';
import { databaseSettingsFrom, type DatabaseSettings } from '../../shared/db/pool';
import { embedderSettingsFrom, type EmbedderSettings } from '../config';

export interface McpConfig {
  /** DATABASE_URL (e.g. the one `npm start` prints), or DATABASE_SECRET_ARN. */
  readonly database: DatabaseSettings;
  /** EMBEDDER / EMBEDDER_DIMENSION: the catalogue's embedder, the same as the ingest's. */
  readonly embedder: EmbedderSettings;
}

export function mcpConfigFrom(env: Environment): McpConfig {
  return { database: databaseSettingsFrom(env), embedder: embedderSettingsFrom(env) };
}
