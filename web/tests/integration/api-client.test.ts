import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { bookPageSchema } from '../../src/features/catalogue/api/book-schemas';
import { bookSummarySchema } from '../../src/lib/book-summary-schema';
import { getBook } from '../../src/features/catalogue/api/get-book';
import { getBooks } from '../../src/features/catalogue/api/get-books';
import { streamChat } from '../../src/features/chat/api/post-chat';
import { ApiError, createApiClient, type ApiClient } from '../../src/lib/api-client';
import { bookDetail } from '../support/catalogue-fixtures';
import { sendJson, startHttpServer, type TestServer } from '../support/http-server';

const dune = {
  id: '7',
  title: 'Dune',
  authors: ['Frank Herbert'],
  year: 1965,
  languages: ['eng'],
  subjects: ['science fiction'],
  description: 'A desert planet.',
};
/** GET /books/{id} sends the summary and the rest of the book page. */
const duneDetail = bookDetail({
  ...dune,
  series: { id: '5', name: 'Dune', index: 1 },
  descriptionHtml: '<p>A desert planet.</p>',
});

describe('api client against a real HTTP server', () => {
  let server: TestServer;
  let client: ApiClient;
  const requests: string[] = [];

  beforeAll(async () => {
    server = await startHttpServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      requests.push(`${request.method} ${url.pathname}${url.search}`);
      switch (url.pathname) {
        case '/api/books':
          return sendJson(response, 200, {
            items: [dune],
            total: 1,
            limit: Number(url.searchParams.get('limit')),
            offset: Number(url.searchParams.get('offset')),
            nextCursor: null,
          });
        case '/api/books/7':
          return sendJson(response, 200, duneDetail);
        case '/api/books/malformed':
          return sendJson(response, 200, { ...dune, title: 42 });
        case '/api/books/html':
          response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>hello</p>');
          return;
        case '/api/echo': {
          const chunks: Buffer[] = [];
          request.on('data', (chunk: Buffer) => chunks.push(chunk));
          request.on('end', () =>
            sendJson(response, 200, {
              method: request.method,
              contentType: request.headers['content-type'],
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
            }),
          );
          return;
        }
        case '/api/chat': {
          // An event stream written in two pieces, 50 ms apart, with a Vietnamese character cut between them.
          const frame = Buffer.from('event: delta\ndata: {"text":"Truyện Kiều"}\n\n');
          const cut = frame.indexOf(Buffer.from('ệ')) + 1;
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write(frame.subarray(0, cut));
          setTimeout(() => response.end(frame.subarray(cut)), 50);
          return;
        }
        case '/api/chat-limited':
          return sendJson(response, 429, { message: 'Too many messages; wait a minute.' });
        case '/api/broken':
          response.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
          return;
        default:
          return sendJson(response, 404, { message: `Book ${url.pathname.split('/').at(-1)} was not found` });
      }
    });
    client = createApiClient({ baseUrl: `${server.url}/api/` });
  });

  afterAll(async () => {
    await server.close();
  });

  it('gets a page of books with the query string the API expects', async () => {
    // Act
    const page = await getBooks(client, { limit: 24, offset: 48, language: 'fra' });

    // Assess
    expect(page).toEqual({ items: [dune], total: 1, limit: 24, offset: 48, nextCursor: null });
    expect(requests).toContain('GET /api/books?limit=24&offset=48&language=fra');
  });

  it('leaves an undefined language out of the query string', async () => {
    // Act
    await getBooks(client, { limit: 24, offset: 0, language: undefined });

    // Assess
    expect(requests).toContain('GET /api/books?limit=24&offset=0');
  });

  it('gets one book, with its series and sanitised description', async () => {
    await expect(getBook(client, '7')).resolves.toEqual(duneDetail);
  });

  it('raises an ApiError with status 404 and the message of the server', async () => {
    // Act
    const error = await getBook(client, '999').catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'ApiError', status: 404, message: 'Book 999 was not found', isNotFound: true });
  });

  it('raises an ApiError with the status when the error body is not the API’s JSON', async () => {
    // Act
    const error = await client.get('/broken', bookPageSchema).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ status: 502, message: 'The API answered 502 Bad Gateway' });
  });

  it('rejects a body of the wrong shape, naming the wrong field', async () => {
    // Act
    const error = await client.get('/books/malformed', bookSummarySchema).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/GET \/books\/malformed returned a body of an unexpected shape/);
    expect((error as ApiError).message).toMatch(/expected string[\s\S]*title/);
  });

  it('rejects a body that is not JSON', async () => {
    await expect(client.get('/books/html', bookSummarySchema)).rejects.toThrow(
      'GET /books/html returned a body that is not JSON',
    );
  });

  it('posts JSON and parses the answer', async () => {
    // Prepare
    const echo = z.object({ method: z.string(), contentType: z.string(), body: z.unknown() });

    // Act
    const answer = await client.post('/echo', { events: [1, 2] }, echo, { keepalive: true });

    // Assess
    expect(answer).toEqual({ method: 'POST', contentType: 'application/json', body: { events: [1, 2] } });
    expect(client.urlOf('/events')).toBe(`${server.url}/api/events`);
  });

  it('raises an ApiError with status 0 when the API cannot be reached', async () => {
    // Prepare
    const unreachable = await startHttpServer(() => undefined);
    await unreachable.close();
    const offline = createApiClient({ baseUrl: unreachable.url });

    // Act
    const error = await offline.get('/health', bookPageSchema).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ name: 'ApiError', status: 0 });
  });

  it('streams POST /chat and parses its events as they arrive, a character cut between chunks included', async () => {
    // Act
    const events = [];
    for await (const event of streamChat(client, { readerId: 'anon-1', message: 'kieu' })) events.push(event);

    // Assess
    expect(events).toEqual([{ type: 'delta', text: 'Truyện Kiều' }]);
  });

  it('turns an error status of a stream into an ApiError with the API message', async () => {
    // Act
    const failure = client.postStream('/chat-limited', { message: 'x' }).catch((error: unknown) => error);

    // Assess
    const error = await failure;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, message: 'Too many messages; wait a minute.' });
  });
});
