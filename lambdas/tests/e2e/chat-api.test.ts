import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '@shelfwise/local/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePorts } from '../../../local/tests/support/free-ports';

const cardSchema = z.object({ id: z.string(), title: z.string(), authors: z.array(z.string()) });
const frameSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('books'), data: z.object({ books: z.array(cardSchema) }) }),
  z.object({ event: z.literal('delta'), data: z.object({ text: z.string() }) }),
  z.object({
    event: z.literal('done'),
    data: z.object({
      conversationId: z.string(),
      composer: z.string(),
      citedIds: z.array(z.string()),
      redirected: z.boolean(),
    }),
  }),
]);

/** Parses a `text/event-stream` body into its frames. */
function parseSse(body: string) {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1] ?? 'null';
      return frameSchema.parse({ event, data: JSON.parse(data) });
    });
}

/** Anonymous reader ids of the form the web app makes: the API serves only those without a token. */
const readers = [1, 2, 3, 4, 5].map(() => `anon-${randomUUID()}`);

describe('POST /api/chat on the local runtime', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-chat-'));
    const [port, postgres, s3, kinesis, dynamodb] = await freePorts(5);
    runtime = await startLocalRuntime({
      dataDir,
      port: port!,
      servicePorts: { postgres: postgres!, s3: s3!, kinesis: kinesis!, dynamodb: dynamodb! },
      reset: false,
      demoCatalogue: true,
    });
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const chat = (body: unknown) =>
    fetch(`${runtime.apiUrl}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers "a funny fantasy for a 12-year-old" with cited books that exist in the catalogue', async () => {
    // Act
    const response = await chat({ readerId: readers[0]!, message: 'a funny fantasy for a 12-year-old' });
    const frames = parseSse(await response.text());

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(frames.map((frame) => frame.event)).toEqual(['books', ...frames.slice(1, -1).map(() => 'delta'), 'done']);
    const books = frames[0]?.event === 'books' ? frames[0].data.books : [];
    const done = frames.at(-1);
    expect(books.length).toBeGreaterThan(0);
    expect(done?.event === 'done' && done.data).toMatchObject({ composer: 'offline', redirected: false });
    for (const book of books) {
      const found = await fetch(`${runtime.apiUrl}/books/${book.id}`);
      const detail = z
        .object({ title: z.string(), subjects: z.array(z.string()), audience: z.string().nullable() })
        .parse(await found.json());
      expect(found.status).toBe(200);
      expect(detail.title).toBe(book.title);
      expect(detail.subjects.some((subject) => /fantasy|humor/i.test(subject))).toBe(true);
      expect(['children', 'young-adult']).toContain(detail.audience);
    }
    const text = frames.flatMap((frame) => (frame.event === 'delta' ? [frame.data.text] : [])).join('');
    for (const book of books) expect(text).toContain(`[#${book.id}]`);
  });

  it('remembers the conversation: "not that one" never repeats the books just cited', async () => {
    // Prepare
    const first = parseSse(await (await chat({ readerId: readers[1]!, message: 'a fantasy for kids' })).text());
    const done = first.at(-1);
    if (done?.event !== 'done') throw new Error('no done frame');

    // Act
    const next = parseSse(
      await (
        await chat({ readerId: readers[1]!, message: 'not that one', conversationId: done.data.conversationId })
      ).text(),
    );

    // Assess
    const nextDone = next.at(-1);
    expect(nextDone?.event === 'done' && nextDone.data.citedIds.length).toBeGreaterThan(0);
    expect(nextDone?.event === 'done' && nextDone.data.citedIds.some((id) => done.data.citedIds.includes(id))).toBe(
      false,
    );
  });

  it('rejects an empty or over-long message with 400', async () => {
    // Act
    const empty = await chat({ readerId: readers[2]!, message: '' });
    const long = await chat({ readerId: readers[2]!, message: 'x'.repeat(501) });

    // Assess
    expect(empty.status).toBe(400);
    expect(long.status).toBe(400);
  });

  it('answers in the language the web app asks for, and refuses one it does not know', async () => {
    // Act
    const answer = await chat({ readerId: readers[3]!, message: 'a funny fantasy', language: 'vi' });
    const unknown = await chat({ readerId: readers[3]!, message: 'a funny fantasy', language: 'fr' });

    // Assess
    const frames = parseSse(await answer.text());
    const text = frames.flatMap((frame) => (frame.event === 'delta' ? [frame.data.text] : [])).join('');
    expect(answer.status).toBe(200);
    expect(text).toMatch(/^Đây là \d cuốn sách trên kệ của thư viện/);
    expect(unknown.status).toBe(400);
  });

  it("refuses a body over the route's size limit with 413, before the handler reads it", async () => {
    // Act
    const response = await chat({ readerId: readers[4]!, message: 'a fantasy', padding: 'x'.repeat(20_000) });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      message: expect.stringMatching(/POST \/chat accepts at most 16384 bytes/),
    });
  });
});
