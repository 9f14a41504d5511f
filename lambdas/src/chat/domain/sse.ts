/** Server-sent events framing of chat events (`event: <type>` + one `data:` line of JSON). */
import type { ChatEvent } from './chat';

export function sseFrame(event: ChatEvent): string {
  const { type, ...data } = event;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}
