/**
 * Postgres connections. The same code reaches PGlite (through pglite-socket), a real PostgreSQL server and Aurora:
 * only the connection settings differ, and they come from the environment (`DATABASE_URL`, or in AWS the cluster's
 * Secrets Manager secret named by `DATABASE_SECRET_ARN`).
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import pg from 'pg';
import { z } from 'zod';
import { optionalInteger, optionalString, type Environment } from '../config';
import { ConfigurationError } from '../errors';
import { databaseEnv } from '../infrastructure';
import { logger } from '../observability';

export type DatabaseSettings =
  | { readonly kind: 'url'; readonly url: string; readonly poolMax: number }
  | { readonly kind: 'secret'; readonly secretArn: string; readonly poolMax: number };

export function databaseSettingsFrom(env: Environment): DatabaseSettings {
  const poolMax = optionalInteger(env, 'DATABASE_POOL_MAX', 2, 1);
  const url = optionalString(env, databaseEnv.url);
  if (url) return { kind: 'url', url, poolMax };
  const secretArn = optionalString(env, databaseEnv.secretArn);
  if (secretArn) return { kind: 'secret', secretArn, poolMax };
  throw new ConfigurationError(
    `Environment variable ${databaseEnv.url} or ${databaseEnv.secretArn} is required to reach the database`,
  );
}

const rdsSecretSchema = z.object({
  host: z.string(),
  port: z.coerce.number().int(),
  username: z.string(),
  password: z.string(),
  dbname: z.string().default('postgres'),
});

/** Builds a pool; for the secret form, fetches the secret once (Powertools caches it). */
export async function createPool(settings: DatabaseSettings): Promise<pg.Pool> {
  const pool = await newPool(settings);
  // An idle connection that the server closes (failover, restart) is dropped from the pool and replaced on next use;
  // without a listener its error would crash the process.
  pool.on('error', (error) => logger.warn('Idle database connection lost', { error: error.message }));
  return pool;
}

async function newPool(settings: DatabaseSettings): Promise<pg.Pool> {
  if (settings.kind === 'url') {
    return new pg.Pool({ connectionString: settings.url, max: settings.poolMax });
  }
  const raw = await getSecret(settings.secretArn, { transform: 'json' });
  const parsed = rdsSecretSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigurationError(
      `The database secret ${settings.secretArn} does not hold host, port, username and password`,
      {
        cause: parsed.error,
      },
    );
  }
  const secret = parsed.data;
  return new pg.Pool({
    host: secret.host,
    port: secret.port,
    user: secret.username,
    password: secret.password,
    database: secret.dbname,
    max: settings.poolMax,
    // Aurora requires TLS; the Lambda runtime trusts the RDS CAs through NODE_EXTRA_CA_CERTS.
    ssl: { rejectUnauthorized: true },
  });
}

/** A pool created on first use and shared by every invocation of a container. */
export function lazyPool(settings: () => DatabaseSettings): () => Promise<pg.Pool> {
  let pool: Promise<pg.Pool> | undefined;
  return () => {
    pool ??= createPool(settings()).catch((error: unknown) => {
      pool = undefined;
      throw error;
    });
    return pool;
  };
}
