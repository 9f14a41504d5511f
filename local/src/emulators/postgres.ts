/**
 * PostgreSQL with pgvector for one machine: PGlite (WASM Postgres) keeping its data in a folder, served over the
 * Postgres wire protocol by pglite-socket so the handlers' ordinary `pg` code reaches it by DATABASE_URL.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface LocalPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/** Protocol messages that end an extended-protocol group (Sync) or are a whole query on their own (Query). */
const groupEnds = new Set(['S'.charCodeAt(0), 'Q'.charCodeAt(0)]);

/**
 * The PGlite session as pglite-socket's queue sees it, reporting "in a transaction" also while a connection is in the
 * middle of an extended-protocol group (Parse, Bind, Describe, Execute … Sync).
 *
 * pglite-socket multiplexes every connection onto the one PGlite session and queues their messages one by one; it
 * keeps serving the same connection only while a transaction is open. Without this, a connection's Parse and its Bind
 * could be split by another connection's statements, which replace the unnamed prepared statement ("bind message
 * supplies 2 parameters, but prepared statement "" requires 3"): with a transaction starting between them, most
 * concurrent queries failed (local/tests/postgres-emulator.test.ts).
 */
function groupAwareSession(db: PGlite): PGlite {
  let midGroup = false;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'isInTransaction') return () => midGroup || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return async (message: Uint8Array, ...rest: unknown[]) => {
          const type = message[0];
          if (type !== undefined) midGroup = !groupEnds.has(type);
          return (target.execProtocolRawStream as (...args: unknown[]) => Promise<unknown>)(message, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export async function startPostgres(options: { dataDir: string | undefined; port: number }): Promise<LocalPostgres> {
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } });
  // pglite-socket multiplexes connections onto the single PGlite session and keeps a transaction's queries together;
  // the proxy makes it keep an extended-protocol group together too.
  const server = new PGLiteSocketServer({
    db: groupAwareSession(db),
    host: '127.0.0.1',
    port: options.port,
    maxConnections: 32,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw new Error(`Could not start local Postgres on 127.0.0.1:${options.port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const port = Number(server.getServerConn().split(':').at(-1));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
