/** Configuration of the chat function (and of the embedder the ingest shares), read once at cold start. */
import { optionalInteger, optionalString, requiredString, type Environment } from '../shared/config';
import { databaseSettingsFrom, type DatabaseSettings } from '../shared/db/pool';
import { ConfigurationError } from '../shared/errors';
import { tables } from '../shared/infrastructure';

export type EmbedderSettings =
  | { readonly kind: 'hashing'; readonly dimension: number }
  | { readonly kind: 'bedrock-titan'; readonly dimension: 256 | 512 | 1024 };

export type ChatModelSettings =
  | { readonly kind: 'offline' }
  | { readonly kind: 'bedrock'; readonly modelId: string }
  | {
      readonly kind: 'openai-compatible';
      readonly baseUrl: string;
      readonly model: string;
      readonly apiKey: string | undefined;
    };

export interface ChatConfig {
  readonly database: DatabaseSettings;
  readonly conversationTable: string;
  readonly embedder: EmbedderSettings;
  readonly model: ChatModelSettings;
  /** Requests per reader per window (CHAT_RATE_LIMIT, default 20 per 60 s). */
  readonly rateLimit: number;
  readonly rateWindowSeconds: number;
  /** Conversation state lifetime after the last message (CHAT_CONVERSATION_TTL_SECONDS, default one day). */
  readonly conversationTtlSeconds: number;
}

/** EMBEDDER = hashing (default; offline, EMBEDDER_DIMENSION default 384) | bedrock-titan (dimension default 1024). */
export function embedderSettingsFrom(env: Environment): EmbedderSettings {
  const kind = optionalString(env, 'EMBEDDER') ?? 'hashing';
  if (kind === 'hashing') return { kind, dimension: optionalInteger(env, 'EMBEDDER_DIMENSION', 384, 2) };
  if (kind === 'bedrock-titan') {
    const dimension = optionalInteger(env, 'EMBEDDER_DIMENSION', 1024, 1);
    if (dimension !== 256 && dimension !== 512 && dimension !== 1024) {
      throw new ConfigurationError(`Environment variable EMBEDDER_DIMENSION must be 256, 512 or 1024 for Titan`);
    }
    return { kind, dimension };
  }
  throw new ConfigurationError(`Environment variable EMBEDDER must be "hashing" or "bedrock-titan", got "${kind}"`);
}

/** CHAT_MODEL = offline (default) | bedrock (CHAT_MODEL_ID) | openai-compatible (CHAT_OPENAI_BASE_URL, CHAT_MODEL_ID). */
export function chatModelSettingsFrom(env: Environment): ChatModelSettings {
  const kind = optionalString(env, 'CHAT_MODEL') ?? 'offline';
  if (kind === 'offline') return { kind };
  if (kind === 'bedrock') return { kind, modelId: requiredString(env, 'CHAT_MODEL_ID') };
  if (kind === 'openai-compatible') {
    return {
      kind,
      baseUrl: requiredString(env, 'CHAT_OPENAI_BASE_URL'),
      model: requiredString(env, 'CHAT_MODEL_ID'),
      apiKey: optionalString(env, 'CHAT_OPENAI_API_KEY'),
    };
  }
  throw new ConfigurationError(
    `Environment variable CHAT_MODEL must be "offline", "bedrock" or "openai-compatible", got "${kind}"`,
  );
}

export function chatConfigFrom(env: Environment): ChatConfig {
  return {
    database: databaseSettingsFrom(env),
    conversationTable: requiredString(env, tables.conversations.envVar),
    embedder: embedderSettingsFrom(env),
    model: chatModelSettingsFrom(env),
    rateLimit: optionalInteger(env, 'CHAT_RATE_LIMIT', 20, 1),
    rateWindowSeconds: optionalInteger(env, 'CHAT_RATE_WINDOW_SECONDS', 60, 1),
    conversationTtlSeconds: optionalInteger(env, 'CHAT_CONVERSATION_TTL_SECONDS', 86_400, 60),
  };
}
