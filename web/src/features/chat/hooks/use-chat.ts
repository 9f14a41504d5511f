import { useCallback, useEffect, useRef, useState } from 'react';

import { useApiClient } from '../../../lib/api-client-context';
import { useEvents } from '../../../lib/events-context';
import { useLocale } from '../../../lib/i18n';
import type { ChatBook } from '../api/chat-schemas';
import { streamChat } from '../api/post-chat';

/** One question of the reader and the answer, as far as it has arrived. */
export interface ChatTurn {
  id: number;
  question: string;
  answer: string;
  /** The books the answer was written from (cited ones are shown as cards). */
  books: ChatBook[];
  /** Known once the answer is complete. */
  citedIds: string[] | undefined;
  composer: 'offline' | 'bedrock' | 'openai-compatible' | undefined;
  status: 'streaming' | 'done' | 'error';
  error?: unknown;
}

/**
 * A conversation with the library's chat: `send` posts a message in the reader's UI language (with the conversation id
 * of the previous answer, so "not that one" works) and updates the last turn as each event arrives. Leaving cancels an answer in progress.
 */
export function useChat() {
  const api = useApiClient();
  const { readerId } = useEvents();
  const { locale } = useLocale();
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  const conversationId = useRef<string | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);
  const nextId = useRef(1);

  useEffect(() => () => controller.current?.abort(), []);

  const send = useCallback(
    async (message: string) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const id = nextId.current++;
      const update = (change: (turn: ChatTurn) => Partial<ChatTurn>) =>
        setTurns((all) => all.map((turn) => (turn.id === id ? { ...turn, ...change(turn) } : turn)));
      setTurns((all) => [
        ...all,
        { id, question: message, answer: '', books: [], citedIds: undefined, composer: undefined, status: 'streaming' },
      ]);
      try {
        const request = {
          readerId,
          message,
          // The answer comes in the UI's language (the offline composer's lines too).
          language: locale,
          ...(conversationId.current ? { conversationId: conversationId.current } : {}),
        };
        for await (const event of streamChat(api, request, abort.signal)) {
          if (event.type === 'books') update(() => ({ books: event.books }));
          else if (event.type === 'delta') update((turn) => ({ answer: turn.answer + event.text }));
          else {
            conversationId.current = event.conversationId;
            update(() => ({ citedIds: [...event.citedIds], composer: event.composer, status: 'done' }));
          }
        }
        update((turn) => (turn.status === 'streaming' ? { status: 'done' } : {}));
      } catch (error) {
        if (abort.signal.aborted) return;
        update(() => ({ status: 'error', error }));
      }
    },
    [api, readerId, locale],
  );

  const busy = turns.at(-1)?.status === 'streaming';
  return { turns, send, busy };
}
