import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { loadLibrary } from '../../src/catalogue/use-cases/load-library';
import { PostgresBookEmbeddings } from '../../src/chat/adapters/postgres-book-embeddings';
import { createCatalogueMcpServer } from '../../src/chat/mcp/catalogue-mcp-server';
import { postgresCatalogueTools } from '../../src/chat/mcp/postgres-dependencies';
import { embedBooks } from '../../src/chat/use-cases/embed-books';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { HashingEmbedder } from '../../src/shared/embedding/hashing-embedder';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { book } from '../support/records';

const shelf = [
  book({
    sourceId: 'dragon-jokes',
    title: 'The Dragon Who Told Jokes',
    authors: ['Mira Quill'],
    subjects: ['Fantasy', 'Humor'],
    audience: 'children',
    pageCount: 180,
    rating: 8,
    descriptionText: 'A funny fantasy about a young dragon whose terrible jokes save a kingdom of wizards.',
  }),
  book({
    sourceId: 'wizard-pranks',
    title: 'Wizard School Pranks',
    authors: ['Tom Barley'],
    subjects: ['Fantasy', 'Humor'],
    audience: 'young-adult',
    pageCount: 240,
    rating: 6,
    descriptionText: 'Two apprentice wizards play magical pranks at school; a comic fantasy adventure.',
  }),
  book({
    sourceId: 'grim-saga',
    title: 'The Grim Saga',
    authors: ['Ada Stone'],
    subjects: ['Fantasy', 'Epic'],
    pageCount: 900,
    descriptionText: 'A dark epic fantasy of war between ancient kingdoms.',
  }),
  book({
    sourceId: 'kieu',
    title: 'Truyện Kiều',
    authors: ['Nguyễn Du'],
    languages: ['vie'],
    subjects: ['Poetry'],
    descriptionText: 'Truyện thơ về số phận nàng Kiều, tài sắc mà bạc mệnh.',
  }),
  book({
    sourceId: 'kitchen',
    title: 'The Winter Kitchen',
    authors: ['Ola Berg'],
    subjects: ['Cooking'],
    descriptionText: 'Soups and breads for cold evenings.',
  }),
];

const withdrawn = book({
  sourceId: 'withdrawn-funny',
  title: 'The Withdrawn Funny Fantasy',
  subjects: ['Fantasy', 'Humor'],
  audience: 'children',
  rating: 10,
  descriptionText: 'A funny fantasy for children, no longer on the shelves.',
});

const bookSchema = z.object({ id: z.string(), title: z.string() });
const searchSchema = z.object({ books: z.array(bookSchema.extend({ matchedBy: z.array(z.string()) })) });
const similarSchema = z.object({ bookId: z.string(), books: z.array(bookSchema.extend({ reason: z.string() })) });

describe.each(databaseTargets)('catalogue MCP tools ($name)', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let client: Client;
  const embedder = new HashingEmbedder();
  const idOf = async (sourceId: string) =>
    (await pool.query<{ id: string }>('SELECT id::text FROM book WHERE source_id = $1', [sourceId])).rows[0]?.id;

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await migrateToLatest(pool);
    const writer = new PostgresCatalogueWriter(pool);
    await loadLibrary(writer, 'sample', [...shelf, withdrawn]);
    await loadLibrary(writer, 'sample', shelf); // the last book is withdrawn now
    await embedBooks({ store: new PostgresBookEmbeddings(pool), embedder }, { batchSize: 16 });
    const server = createCatalogueMcpServer(postgresCatalogueTools(pool, embedder));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: 'test-assistant', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await pool?.end();
    await database?.drop();
  });

  it('lists search_catalog and similar_books with their input and output schemas', async () => {
    // Act
    const { tools } = await client.listTools();

    // Assess
    expect(tools.map((tool) => tool.name).sort()).toEqual(['search_catalog', 'similar_books']);
    const search = tools.find((tool) => tool.name === 'search_catalog');
    expect(Object.keys(search?.inputSchema.properties ?? {}).sort()).toEqual(
      ['audience', 'author', 'language', 'limit', 'maxPages', 'query', 'subject'].sort(),
    );
    expect(search?.outputSchema?.properties).toHaveProperty('books');
    expect(search?.annotations?.readOnlyHint).toBe(true);
  });

  it('searches with the hybrid retrieval and its filters, never returning a withdrawn book', async () => {
    // Act
    const funny = await client.callTool({
      name: 'search_catalog',
      arguments: { query: 'funny fantasy with jokes', audience: 'children' },
    });
    const bySubject = await client.callTool({
      name: 'search_catalog',
      arguments: { query: 'fantasy', subject: 'humor', maxPages: 200, limit: 5 },
    });
    const vietnamese = await client.callTool({ name: 'search_catalog', arguments: { language: 'vie' } });
    const byAuthor = await client.callTool({ name: 'search_catalog', arguments: { author: 'nguyen du' } });

    // Assess
    const found = searchSchema.parse(funny.structuredContent).books;
    expect(found.map((entry) => entry.id)).toEqual([await idOf('dragon-jokes')]);
    expect(found[0]?.matchedBy).toContain('full-text');
    expect(JSON.stringify(funny.content)).toContain(`[#${await idOf('dragon-jokes')}] The Dragon Who Told Jokes`);
    expect(searchSchema.parse(bySubject.structuredContent).books.map((entry) => entry.title)).toEqual([
      'The Dragon Who Told Jokes',
    ]);
    expect(searchSchema.parse(vietnamese.structuredContent).books.map((entry) => entry.title)).toEqual(['Truyện Kiều']);
    expect(searchSchema.parse(byAuthor.structuredContent).books.map((entry) => entry.title)).toEqual(['Truyện Kiều']);
  });

  it('answers a subject the catalogue does not have, or invalid input, with a tool error', async () => {
    // Act
    const unknownSubject = await client.callTool({ name: 'search_catalog', arguments: { subject: 'Astrology' } });
    const badLimit = await client.callTool({ name: 'search_catalog', arguments: { query: 'x', limit: 500 } });

    // Assess
    expect(unknownSubject.isError).toBe(true);
    expect(JSON.stringify(unknownSubject.content)).toContain('No catalogue subject is named \\"Astrology\\"');
    expect(badLimit.isError).toBe(true);
  });

  it('gives the books similar to a book, as GET /books/{bookId}/similar does, and an error for an unknown id', async () => {
    // Prepare
    const dragon = await idOf('dragon-jokes');

    // Act
    const similar = await client.callTool({ name: 'similar_books', arguments: { bookId: dragon, limit: 3 } });
    const unknown = await client.callTool({ name: 'similar_books', arguments: { bookId: '999999' } });

    // Assess
    const result = similarSchema.parse(similar.structuredContent);
    expect(result.bookId).toBe(dragon);
    expect(result.books).toHaveLength(3);
    expect(result.books.map((entry) => entry.id)).not.toContain(dragon);
    expect(result.books.map((entry) => entry.title)).not.toContain('The Withdrawn Funny Fantasy');
    expect(result.books[0]).toMatchObject({ title: 'Wizard School Pranks', reason: 'similar' });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain('No book with id 999999');
  });

  it('serves the same tools over stdio (`npm run mcp`), with nothing but the protocol on stdout', async () => {
    // Prepare
    const lambdas = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/chat/mcp/main.ts'],
      cwd: lambdas,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, POWERTOOLS_LOG_LEVEL: 'DEBUG' },
      stderr: 'ignore',
    });
    const stdio = new Client({ name: 'stdio-assistant', version: '1.0.0' });
    // A line on the server's stdout that is not JSON-RPC (a log line) would be reported here.
    const errors: unknown[] = [];
    stdio.onerror = (error) => errors.push(error);

    // Act
    await stdio.connect(transport);
    const result = await stdio.callTool({ name: 'search_catalog', arguments: { query: 'poetry', limit: 1 } });
    await stdio.close();

    // Assess
    expect(searchSchema.parse(result.structuredContent).books.map((entry) => entry.title)).toEqual(['Truyện Kiều']);
    expect(errors).toEqual([]);
  }, 30_000);
});
