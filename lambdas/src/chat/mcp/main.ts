/**
 * `npm run mcp`: the catalogue MCP server over stdio, for an AI assistant that starts it as a subprocess. It reads
 * DATABASE_URL (e.g. the local stack's Postgres that `npm start` prints) and the catalogue's EMBEDDER settings.
 *
 * Stdout carries the protocol only: the transport writes to its own stream on fd 1, and anything else written to
 * `process.stdout` (a log line) goes to stderr instead.
 */
import { createWriteStream } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createPool } from '../../shared/db/pool';
import { createEmbedder } from '../adapters/create-adapters';
import { createCatalogueMcpServer } from './catalogue-mcp-server';
import { mcpConfigFrom } from './config';
import { postgresCatalogueTools } from './postgres-dependencies';

const protocolOut = createWriteStream('', { fd: 1 });
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const config = mcpConfigFrom(process.env);
const pool = await createPool(config.database);
const server = createCatalogueMcpServer(postgresCatalogueTools(pool, createEmbedder(config.embedder)));
await server.connect(new StdioServerTransport(process.stdin, protocolOut));
process.stderr.write('Shelfwise catalogue MCP server on stdio (search_catalog, similar_books)\n');

const stop = async () => {
  await server.close();
  await pool.end();
  process.exit(0);
};
// When stdin ends, the answers in flight are still written; the process then exits once the pool's idle connections
// have timed out. A signal stops it at once.
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
