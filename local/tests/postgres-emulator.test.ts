import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type LocalPostgres } from '../src/emulators/postgres';

describe('local Postgres (PGlite over pglite-socket)', () => {
  let server: LocalPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    server = await startPostgres({ dataDir: undefined, port: 0 });
    pool = new pg.Pool({ connectionString: server.url, max: 8 });
  });

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  it('keeps each connection’s parse, bind and execute together when many connections query at once', async () => {
    // Prepare: statements with different parameter counts, so a Bind meeting another connection's Parse fails.
    const inTransaction = async (i: number) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const r = await client.query<{ v: string }>('SELECT $1::text || $2::text || $3::text || $4::text AS v', [
          'a',
          'b',
          'c',
          i,
        ]);
        await client.query('COMMIT');
        return r.rows[0]?.v === `abc${i}`;
      } finally {
        client.release();
      }
    };
    const queries = Array.from({ length: 300 }, (_, i) =>
      i % 4 === 3
        ? inTransaction(i)
        : i % 4 === 0
          ? pool.query<{ v: number }>('SELECT $1::int + $2::int AS v', [i, 1]).then((r) => r.rows[0]?.v === i + 1)
          : i % 4 === 1
            ? pool.query<{ v: string }>('SELECT $1::text AS v', [`t${i}`]).then((r) => r.rows[0]?.v === `t${i}`)
            : pool
                .query<{ v: number }>('SELECT $1::int * $2::int * $3::int AS v', [i, 2, 3])
                .then((r) => r.rows[0]?.v === i * 6),
    );

    // Act
    const results = await Promise.allSettled(queries);

    // Assess
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [(result.reason as Error).message] : result.value ? [] : ['wrong value'],
    );
    expect(failures).toEqual([]);
  });
});
