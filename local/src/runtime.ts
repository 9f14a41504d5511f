/**
 * The whole of Shelfwise on one machine: the cloud services' local stand-ins on loopback, the database migrated and
 * loaded, the HTTP API and the event sources invoking the very handlers that the CDK app deploys, and the web app.
 *
 * Handlers find the emulators only through the SDK's standard AWS_ENDPOINT_URL_<SERVICE> variables and
 * DATABASE_URL, which this module sets before any handler module is imported.
 */
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import sirv from 'sirv';
import { identityEnv, identitySettingsFrom } from '@shelfwise/lambdas/identity/config';
import { jwtVerifier, type TokenVerifier } from '@shelfwise/lambdas/identity/token-verifier';
import { buckets, databaseEnv, streams, tables } from '@shelfwise/lambdas/shared/infrastructure';
import { warehouseEnv } from '@shelfwise/lambdas/warehouse/config';
import { createApiGateway } from './api-gateway';
import { ensureDefaultModel } from './default-model';
import { startDynamoDb } from './emulators/dynamodb';
import { startKinesis } from './emulators/kinesis';
import { closeServer, listenOnLoopback } from './emulators/listen';
import { startPostgres } from './emulators/postgres';
import { startS3 } from './emulators/s3';
import { DeadLetterFolder } from './event-sources/dead-letters';
import { KinesisPoller } from './event-sources/kinesis-poller';
import { S3Notifications } from './event-sources/s3-notifications';
import { handleLocalTokenRequest, localTokenPath } from './identity/token-route';
import { startTokenIssuer, type TokenIssuer } from './identity/token-issuer';
import { deployedFunctions, type LocalFunction } from './lambda/functions';
import { startLakeArchiver } from './lake-archiver';
import { provisionStreams, provisionTables } from './provision';
import { prepareDatabase, type DatabaseReport } from './database';
import { createLocalFiles, localFilesPath, type LocalFiles } from './reading/file-route';
import { storeDemoBookFiles } from './demo/demo-book-files';

export interface LocalRuntimeOptions {
  /** Where every emulator keeps its data across restarts. */
  readonly dataDir: string;
  /** Port of the web app and API (`/api`); 0 picks a free one. */
  readonly port: number;
  /** Ports of the emulators; 0 picks free ones (tests). */
  readonly servicePorts: {
    readonly postgres: number;
    readonly s3: number;
    readonly kinesis: number;
    readonly dynamodb: number;
    /** The local token issuer (OIDC discovery and JWKS). @default 0 (a free port) */
    readonly identity?: number;
  };
  /** Delete the data folder first. */
  readonly reset: boolean;
  /** Load the demo catalogue into the database. */
  readonly demoCatalogue: boolean;
  /** Where the demo catalogue's JSON files are (tests point this at generated data). */
  readonly demoCatalogueDir?: string;
  /** The built web app to serve, if any. */
  readonly webDist?: string;
  /** The functions to run; defaults to every function the CDK app deploys. */
  readonly functions?: readonly LocalFunction[];
  /**
   * Train (once, in a child process, kept in the data folder) and promote the default recommendation model when
   * none is promoted yet. The recommender serves its fallbacks until then.
   */
  readonly defaultModel?: boolean;
  /** Extra variables for the handlers (tests: e.g. MODEL_REFRESH_SECONDS). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface LocalRuntime {
  readonly url: string;
  readonly apiUrl: string;
  /** The variables the handlers see (endpoints, resource names, DATABASE_URL). */
  readonly environment: Readonly<Record<string, string>>;
  readonly database: DatabaseReport;
  /** The local token issuer: its issuer URL and audience, and tokens for any subject (`POST /local-auth/token`). */
  readonly identity: TokenIssuer;
  stop(): Promise<void>;
}

export const localRegion = 'us-east-1';

/** s3rver accepts only this key pair; dynalite and kinesalite accept any. */
const localCredentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  if (options.reset) await rm(options.dataDir, { recursive: true, force: true });
  const folder = (name: string) => path.join(options.dataDir, name);
  await Promise.all(
    ['postgres', 's3', 'kinesis', 'dynamodb', 'event-sources'].map((name) => mkdir(folder(name), { recursive: true })),
  );

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => log('Error while stopping', { error: String(error) }));
    }
  };

  try {
    const [postgres, s3, kinesis, dynamodb, identity] = await Promise.all([
      startPostgres({ dataDir: folder('postgres'), port: options.servicePorts.postgres }),
      startS3({
        directory: folder('s3'),
        port: options.servicePorts.s3,
        buckets: Object.values(buckets).map((b) => b.localName),
      }),
      startKinesis({ path: folder('kinesis'), port: options.servicePorts.kinesis }),
      startDynamoDb({ path: folder('dynamodb'), port: options.servicePorts.dynamodb }),
      startTokenIssuer({ port: options.servicePorts.identity ?? 0 }),
    ]);
    stops.push(postgres.stop, s3.stop, kinesis.stop, dynamodb.stop, identity.stop);
    log('Emulators started', {
      postgres: postgres.url,
      s3: s3.endpoint,
      kinesis: kinesis.endpoint,
      dynamodb: dynamodb.endpoint,
      identity: identity.issuer,
    });

    // Book files behind signed URLs, as the books distribution serves them (the signing secret is new every start).
    const localFiles = createLocalFiles({ s3Endpoint: s3.endpoint, region: localRegion });
    stops.push(async () => localFiles.stop());

    const environment: Record<string, string> = {
      AWS_REGION: localRegion,
      AWS_DEFAULT_REGION: localRegion,
      ...localCredentials,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      [databaseEnv.url]: postgres.url,
      [identityEnv.issuer]: identity.issuer,
      [identityEnv.audience]: identity.audience,
      DATABASE_POOL_MAX: '4',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      ...Object.fromEntries(Object.values(tables).map((spec) => [spec.envVar, spec.localName])),
      ...Object.fromEntries(Object.values(buckets).map((spec) => [spec.envVar, spec.localName])),
      ...Object.fromEntries(Object.values(streams).map((spec) => [spec.envVar, spec.localName])),
      ...localFiles.environment,
      // The insights API runs the named queries with DuckDB over this folder's lake and facts (`npm run pipeline`).
      [warehouseEnv.localDataDir]: path.resolve(options.dataDir),
      ...options.environment,
    };
    // One process hosts every function, so they share one environment (in AWS each gets only what it is bound to).
    Object.assign(process.env, environment);

    const kinesisClient = new KinesisClient({
      region: localRegion,
      endpoint: kinesis.endpoint,
      requestHandler: new NodeHttpHandler(),
    });
    const dynamoClient = new DynamoDBClient({ region: localRegion, endpoint: dynamodb.endpoint });
    stops.push(async () => {
      kinesisClient.destroy();
      dynamoClient.destroy();
    });
    await Promise.all([provisionTables(dynamoClient), provisionStreams(kinesisClient)]);

    const database = await prepareDatabase(postgres.url, {
      demoCatalogue: options.demoCatalogue,
      demoCatalogueDir: options.demoCatalogueDir,
    });
    log('Database ready', { ...database });
    if (options.demoCatalogue) {
      // A few demo books get an EPUB made by the project, so that `npm start` has books to read.
      const files = await storeDemoBookFiles({
        databaseUrl: postgres.url,
        s3Endpoint: s3.endpoint,
        region: localRegion,
        catalogueDir: options.demoCatalogueDir,
      });
      log('Demo book files ready', { ...files });
    }

    const fns = options.functions ?? deployedFunctions();
    const deadLetters = new DeadLetterFolder(folder('dead-letters'));
    const onError = (error: unknown) => log('Event source error', { error: (error as Error).stack ?? String(error) });
    for (const fn of fns) {
      for (const trigger of fn.spec.triggers) {
        if (trigger.kind === 'kinesis') {
          const poller = new KinesisPoller({
            client: kinesisClient,
            fn,
            streamName: streams[trigger.stream].localName,
            batchSize: trigger.batchSize,
            region: localRegion,
            checkpointDir: folder('event-sources'),
            deadLetters,
            onError,
          });
          await poller.start();
          stops.push(() => poller.stop());
        } else if (trigger.kind === 's3') {
          const notifications = new S3Notifications({
            fn,
            bucket: buckets[trigger.bucket].localName,
            prefix: trigger.prefix,
            region: localRegion,
            deadLetters,
            onError,
          });
          s3.onObjectEvent(notifications.handle);
          stops.push(() => notifications.stop());
        }
      }
    }

    const archiver = await startLakeArchiver({
      kinesis: kinesisClient,
      s3Endpoint: s3.endpoint,
      region: localRegion,
      checkpointDir: folder('event-sources'),
      deadLetters,
      onError,
    });
    stops.push(() => archiver.stop());

    if (options.defaultModel) {
      log('Recommendation model: checking (the fallbacks serve until one is promoted)');
      ensureDefaultModel(environment, folder('models'), { inChildProcess: true }).then(
        (result) => log(`Recommendation model ${result.version}: ${result.action}, serving`),
        (error: unknown) => log('Recommendation model not available; fallbacks keep serving', { error: String(error) }),
      );
    }

    const server = createHttpServer({
      functions: fns,
      webDist: options.webDist,
      log,
      identity,
      files: localFiles,
      // The deployed authorizers' settings (JWT and reader authorizer): the local issuer, audience and key set.
      authorizer: jwtVerifier(identitySettingsFrom(environment)),
    });
    const port = await listenOnLoopback(server, options.port, 'the web app and API');
    stops.push(() => closeServer(server));
    const url = `http://127.0.0.1:${port}`;
    Object.assign(environment, localFiles.serveAt(url));
    return { url, apiUrl: `${url}/api`, environment, database, identity, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const apiBasePath = '/api';

function createHttpServer(options: {
  functions: readonly LocalFunction[];
  webDist: string | undefined;
  log: NonNullable<LocalRuntimeOptions['log']>;
  identity: TokenIssuer;
  files: LocalFiles;
  authorizer: TokenVerifier;
}): Server {
  const api = createApiGateway({
    functions: options.functions,
    region: localRegion,
    authorizer: options.authorizer,
    onError: (error, routeKey) =>
      options.log('Handler failed', { routeKey, error: (error as Error).stack ?? String(error) }),
  });
  const web = options.webDist ? sirv(options.webDist, { single: true, etag: true }) : undefined;
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === apiBasePath || url.pathname.startsWith(`${apiBasePath}/`)) {
      void api(request, response, url.pathname.slice(apiBasePath.length) || '/', url);
      return;
    }
    if (url.pathname.startsWith(`${localFilesPath}/`)) {
      void options.files.route(request, response, url);
      return;
    }
    if (url.pathname === localTokenPath) {
      void handleLocalTokenRequest(request, response, options.identity);
      return;
    }
    if (url.pathname === '/config.json') {
      // The runtime configuration the web app reads at start (in AWS, CDK writes the same file next to the build).
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ apiUrl: apiBasePath, localTokenUrl: localTokenPath }));
      return;
    }
    if (!web) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('The web app is not built: run `npm run build -w web`.');
      return;
    }
    web(request, response);
  });
}
