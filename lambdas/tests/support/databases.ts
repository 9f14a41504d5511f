/**
 * The databases the database tests run against: always PGlite with pgvector (over the Postgres wire protocol, as
 * `npm start` serves it), and also a real PostgreSQL server when DATABASE_URL is set (CI sets it). Each test file
 * gets a fresh, empty database on the real server, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres } from '@shelfwise/local/emulators/postgres';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export interface DatabaseTarget {
  readonly name: string;
  create(): Promise<TestDatabase>;
}

const pglite: DatabaseTarget = {
  name: 'PGlite',
  async create() {
    const server = await startPostgres({ dataDir: undefined, port: 0 });
    return { name: 'PGlite', url: server.url, drop: server.stop };
  },
};

function realServer(adminUrl: string): DatabaseTarget {
  return {
    name: 'PostgreSQL server',
    async create() {
      const database = `shelfwise_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${database}`);
      } finally {
        await admin.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      return {
        name: 'PostgreSQL server',
        url: url.toString(),
        async drop() {
          const client = new pg.Client({ connectionString: adminUrl });
          await client.connect();
          try {
            // Wait for the test's connections to finish closing (pool.end() resolves before every socket is gone):
            // terminating them with FORCE mid-close made an idle client emit an uncaught "terminating connection".
            for (let attempt = 0; attempt < 50; attempt++) {
              const { rows } = await client.query<{ n: number }>(
                'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
                [database],
              );
              if ((rows[0]?.n ?? 0) === 0) break;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
            await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          } finally {
            await client.end();
          }
        },
      };
    },
  };
}

export const databaseTargets: DatabaseTarget[] = process.env.DATABASE_URL
  ? [pglite, realServer(process.env.DATABASE_URL)]
  : [pglite];
