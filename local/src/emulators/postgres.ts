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

export async function startPostgres(options: { dataDir: string | undefined; port: number }): Promise<LocalPostgres> {
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } });
  // pglite-socket multiplexes connections onto the single PGlite session and keeps a transaction's queries together.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port, maxConnections: 32 });
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
