// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import ChatPanel from '../../src/features/chat/components/chat-panel';
import { LocaleProvider } from '../../src/lib/i18n';
import { renderWithApp } from '../support/render-app';

const book = (id: string, title: string) => ({
  id,
  title,
  authors: ['Lewis Carroll'],
  year: 1865,
  languages: ['eng'],
  subjects: ['Fantasy'],
  audience: 'children',
  pageCount: 128,
  rating: null,
  description: null,
});

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** A fake POST /api/chat whose event stream the test writes a piece at a time. */
function chatApi() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const bodies: unknown[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://shelfwise.test');
    if (url.pathname !== '/api/chat') return Response.json({ accepted: 0, duplicates: 0, rejected: [] });
    bodies.push(JSON.parse(String(init?.body)));
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    bodies,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

describe('ChatPanel', () => {
  afterEach(cleanup);

  it('shows the answer as it streams, then the cited books as cards and the offline label', async () => {
    // Prepare
    const api = chatApi();
    renderWithApp(<ChatPanel onClose={() => undefined} />, { fetch: api.fetch });
    const user = userEvent.setup();

    // Act: the reader asks; the books and the first part of the answer arrive (a citation cut in two, a frame cut).
    await user.type(screen.getByRole('textbox', { name: 'Your message' }), 'a funny fantasy{Enter}');
    await waitFor(() => expect(api.bodies).toHaveLength(1));
    const stream =
      frame('books', { books: [book('7', 'Alice in Wonderland'), book('9', 'Sylvie and Bruno')] }) +
      frame('delta', { text: 'Here is a book:\n- Alice in Wonderland [#' }) +
      frame('delta', { text: '7]: a rabbit hole.' }) +
      frame('done', { conversationId: 'c-1', composer: 'offline', citedIds: ['7'], redirected: false });
    const cut = stream.indexOf('rabbit');
    api.write(stream.slice(0, cut));

    // Assess: the words so far, without the half-received citation, and no label yet.
    const log = screen.getByRole('log');
    await within(log).findByText('Here is a book:');
    expect(within(log).queryByText(/\[#/)).toBeNull();
    expect(screen.queryByText('Written from our catalogue, without a language model')).toBeNull();

    // Act: the rest arrives.
    api.write(stream.slice(cut));
    api.end();

    // Assess: the citation is a numbered link, the cited book (only) a card, the composer labelled.
    await screen.findByText('Written from our catalogue, without a language model');
    expect(screen.getByRole('link', { name: 'Book 1: Alice in Wonderland' }).getAttribute('href')).toBe('/books/7');
    const cards = within(screen.getByRole('region', { name: 'Books in this answer' })).getAllByRole('link');
    expect(cards.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Alice in Wonderland', '/books/7'],
    ]);
    expect(api.bodies[0]).toMatchObject({ message: 'a funny fantasy', readerId: expect.stringMatching(/^anon-/) });
  });

  it('sends the conversation id with the next message', async () => {
    // Prepare
    const api = chatApi();
    renderWithApp(<ChatPanel onClose={() => undefined} />, { fetch: api.fetch });
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Your message' }), 'a fantasy{Enter}');
    await waitFor(() => expect(api.bodies).toHaveLength(1));
    api.write(frame('books', { books: [] }) + frame('delta', { text: 'None.' }));
    api.write(frame('done', { conversationId: 'c-42', composer: 'bedrock', citedIds: [], redirected: false }));
    api.end();
    await screen.findByText('Written by a language model from our catalogue');

    // Act
    await user.type(screen.getByRole('textbox', { name: 'Your message' }), 'not that one{Enter}');

    // Assess
    await waitFor(() => expect(api.bodies).toHaveLength(2));
    expect(api.bodies[1]).toMatchObject({ message: 'not that one', conversationId: 'c-42' });
    expect(api.bodies[0]).toMatchObject({ message: 'a fantasy', language: 'en' });
  });

  it('asks for the answer in the UI language', async () => {
    // Prepare
    const api = chatApi();
    renderWithApp(
      <LocaleProvider initial="vi">
        <ChatPanel onClose={() => undefined} />
      </LocaleProvider>,
      { fetch: api.fetch },
    );
    const user = userEvent.setup();

    // Act
    await user.type(screen.getByRole('textbox'), 'truyện kỳ ảo{Enter}');

    // Assess
    await waitFor(() => expect(api.bodies).toHaveLength(1));
    expect(api.bodies[0]).toMatchObject({ message: 'truyện kỳ ảo', language: 'vi' });
  });
});
