import { describe, expect, it } from 'vitest';

import { createSseParser } from '../../src/features/chat/utils/sse-parser';

const stream =
  'event: books\ndata: {"books":[]}\n\nevent: delta\ndata: {"text":"Hello"}\n\n: keep-alive\n\nevent: done\ndata: {"x":1}\n\n';

describe('createSseParser', () => {
  it('parses whole frames into events', () => {
    // Act
    const events = createSseParser().push(stream);

    // Assess
    expect(events).toEqual([
      { event: 'books', data: '{"books":[]}' },
      { event: 'delta', data: '{"text":"Hello"}' },
      { event: 'done', data: '{"x":1}' },
    ]);
  });

  it('gives the same events when the text arrives one character at a time', () => {
    // Prepare
    const parser = createSseParser();

    // Act
    const events = [...stream].flatMap((character) => parser.push(character));

    // Assess
    expect(events.map((event) => event.event)).toEqual(['books', 'delta', 'done']);
    expect(events[1]?.data).toBe('{"text":"Hello"}');
  });

  it('handles CRLF line ends split between chunks, multi-line data and a last frame without a blank line', () => {
    // Prepare
    const parser = createSseParser();

    // Act
    const events = [
      ...parser.push('data: one\r'),
      ...parser.push('\ndata: two\r\n\r\nevent: done\ndata:'),
      ...parser.push(' {}'),
      ...parser.end(),
    ];

    // Assess
    expect(events).toEqual([
      { event: 'message', data: 'one\ntwo' },
      { event: 'done', data: '{}' },
    ]);
  });
});
