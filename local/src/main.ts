/**
 * `npm start`: the whole of Shelfwise on this machine, no Docker and no cloud account.
 *
 *   npm start                       demo catalogue, data kept in .shelfwise/ across restarts
 *   npm start -- --reset            start empty (the data folder is deleted first)
 *   npm start -- --calibre <path>   load a Calibre library (folder with metadata.db, or an export) instead of the demo
 *   npm start -- --port 3000 --data-dir .shelfwise
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { uploadCalibreLibrary } from './calibre-upload';
import { localAccounts } from './identity/token-issuer';
import { localTokenPath } from './identity/token-route';
import { startLocalRuntime } from './runtime';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function fail(message: string): never {
  console.error(`shelfwise: ${message}`);
  process.exit(2);
}

function portOption(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--${flag} must be a port number, got "${value}"`);
  return port;
}

async function main(): Promise<void> {
  // This machine runs Node 20; the deployed functions run Node 22, where the SDK has nothing to warn about.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      reset: { type: 'boolean', default: false },
      calibre: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'postgres-port': { type: 'string' },
      's3-port': { type: 'string' },
      'kinesis-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'identity-port': { type: 'string' },
    },
    strict: true,
  });
  const webDist = path.join(repoRoot, 'web/dist');
  const started = Date.now();
  console.log('Starting Shelfwise on this machine…');
  const runtime = await startLocalRuntime({
    dataDir: path.resolve(values['data-dir'] ?? path.join(repoRoot, '.shelfwise')),
    port: portOption(values.port, 3000, 'port'),
    servicePorts: {
      postgres: portOption(values['postgres-port'], 5433, 'postgres-port'),
      s3: portOption(values['s3-port'], 4569, 's3-port'),
      kinesis: portOption(values['kinesis-port'], 4567, 'kinesis-port'),
      dynamodb: portOption(values['dynamodb-port'], 4568, 'dynamodb-port'),
      identity: portOption(values['identity-port'], 4570, 'identity-port'),
    },
    reset: values.reset ?? false,
    demoCatalogue: values.calibre === undefined,
    defaultModel: values.calibre === undefined,
    webDist: existsSync(path.join(webDist, 'index.html')) ? webDist : undefined,
    log: (message, details) => console.log(details ? `${message} ${JSON.stringify(details)}` : message),
  });
  if (values.calibre !== undefined) {
    console.log(`Ingesting the Calibre library at ${values.calibre}…`);
    const run = await uploadCalibreLibrary(runtime, values.calibre);
    console.log(
      `Ingest ${run.status}: ${JSON.stringify(run.counts)}${run.report.error ? ` (${run.report.error})` : ''}`,
    );
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\nShelfwise is running (started in ${seconds} s):\n`);
  console.log(`  Web app   ${runtime.url}`);
  console.log(`  API       ${runtime.apiUrl}   (try: curl ${runtime.apiUrl}/books)`);
  console.log(`  Postgres  ${runtime.environment.DATABASE_URL}`);
  console.log(`  S3        ${runtime.environment.AWS_ENDPOINT_URL_S3}   (key pair S3RVER / S3RVER)`);
  console.log(`  Kinesis   ${runtime.environment.AWS_ENDPOINT_URL_KINESIS}`);
  console.log(`  DynamoDB  ${runtime.environment.AWS_ENDPOINT_URL_DYNAMODB}`);
  console.log(`  Tokens    ${runtime.identity.issuer}   (issuer; audience ${runtime.identity.audience})`);
  console.log('\nAccounts (local token issuer; anonymous readers need none):');
  for (const [name, account] of Object.entries(localAccounts)) {
    const groups = account.groups.length > 0 ? `, groups ${account.groups.join(', ')}` : '';
    console.log(`  ${name.padEnd(9)} ${account.username}   (sub ${account.sub}${groups})`);
  }
  console.log(
    `  A token:  curl -s -X POST ${runtime.url}${localTokenPath} -d '{"username":"librarian"}'` +
      `   then  -H "authorization: Bearer <access_token>"`,
  );
  console.log('\nPress Ctrl-C to stop.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Shelfwise…`);
    runtime.stop().then(
      () => {
        console.log('Stopped. The data is kept for the next start.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Error while stopping:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => fail((error as Error).stack ?? String(error)));
