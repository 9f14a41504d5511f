/** Builds the embedder and chat model named by config (one place, used by handlers and `npm start`). */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockTitanEmbedder } from '../../shared/embedding/bedrock-titan-embedder';
import type { Embedder } from '../../shared/embedding/embedder';
import { HashingEmbedder } from '../../shared/embedding/hashing-embedder';
import type { ChatModelSettings, EmbedderSettings } from '../config';
import type { ChatModel } from '../ports';
import { BedrockConverseChatModel } from './bedrock-converse-chat-model';
import { OfflineComposer } from './offline-composer';
import { OpenAiCompatibleChatModel } from './openai-compatible-chat-model';

export function createEmbedder(settings: EmbedderSettings): Embedder {
  return settings.kind === 'hashing'
    ? new HashingEmbedder({ dimension: settings.dimension })
    : new BedrockTitanEmbedder({ client: new BedrockRuntimeClient({}), dimension: settings.dimension });
}

export function createChatModel(settings: ChatModelSettings): ChatModel {
  switch (settings.kind) {
    case 'offline':
      return new OfflineComposer();
    case 'bedrock':
      return new BedrockConverseChatModel({ client: new BedrockRuntimeClient({}), modelId: settings.modelId });
    case 'openai-compatible':
      return new OpenAiCompatibleChatModel(settings);
  }
}
