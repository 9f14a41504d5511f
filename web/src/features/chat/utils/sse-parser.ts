/** One server-sent event: its `event:` name ("message" when none) and its `data:` lines joined by "\n". */
export interface SseMessage {
  event: string;
  data: string;
}

/**
 * An incremental `text/event-stream` parser (the WHATWG rules the chat needs: `event:` and `data:` fields, comments,
 * CRLF or LF line ends, a blank line ends an event). Feed it text as it arrives, cut anywhere; each `push` returns the
 * events completed so far, and `end` the last one when the stream stops without a blank line.
 */
export function createSseParser() {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let hasData = false;

  function line(text: string, out: SseMessage[]) {
    if (text === '') {
      if (hasData) out.push({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      hasData = false;
      return;
    }
    if (text.startsWith(':')) return; // a comment (keep-alive)
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') {
      data.push(value);
      hasData = true;
    }
  }

  return {
    push(chunk: string): SseMessage[] {
      buffer += chunk;
      const out: SseMessage[] = [];
      let newline = /\r\n|\r|\n/.exec(buffer);
      // A lone "\r" at the end may be the first half of "\r\n": wait for the next chunk.
      while (newline && !(newline[0] === '\r' && newline.index === buffer.length - 1)) {
        line(buffer.slice(0, newline.index), out);
        buffer = buffer.slice(newline.index + newline[0].length);
        newline = /\r\n|\r|\n/.exec(buffer);
      }
      return out;
    },
    end(): SseMessage[] {
      const out: SseMessage[] = [];
      if (buffer) line(buffer, out);
      buffer = '';
      line('', out);
      return out;
    },
  };
}
