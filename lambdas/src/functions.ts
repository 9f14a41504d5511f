/**
 * Every deployable function of Shelfwise: its entry file, what it may touch and what triggers it.
 *
 * The CDK app builds one `ShelfwiseFunction` per entry (granting exactly the access listed under `uses`), and
 * `npm start` invokes the very same handler modules for the same triggers. Add a function here, not in either place.
 */
import type { RouteAccess } from './identity/domain/access';
import type { BucketName, StreamName, TableName } from './shared/infrastructure';

export type Access = 'read' | 'write' | 'readWrite';

export type Trigger =
  | {
      readonly kind: 'http';
      readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
      readonly path: string;
      /** Who may call the route (lambdas/src/identity/domain/access.ts); CDK and the local gateway guard it. */
      readonly access: RouteAccess;
      /**
       * Largest request body, in bytes (default `defaultMaxBodyBytes`): a larger one is a 413, from `jsonBody`
       * (lambdas/src/shared/http.ts) in the handler and from `npm start`'s gateway before the handler runs.
       */
      readonly maxBodyBytes?: number;
      /** Requests per second (steady, burst) on this route in the cloud; tighter than the stage's default. */
      readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
    }
  | { readonly kind: 'kinesis'; readonly stream: StreamName; readonly batchSize: number }
  | { readonly kind: 's3'; readonly bucket: BucketName; readonly prefix: string };

export interface FunctionSpec {
  /** Stable id; the CDK construct id and the local runtime's name for the function. */
  readonly id: string;
  readonly description: string;
  /** Handler module, relative to the `lambdas/` folder; it exports `handler`. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly uses: {
    readonly database?: boolean;
    readonly buckets?: Partial<Record<BucketName, Access>>;
    readonly tables?: Partial<Record<TableName, Access>>;
    readonly streams?: Partial<Record<StreamName, Access>>;
    /**
     * Amazon Bedrock models chosen at deploy time (cdk/src/app.ts context): `embeddings` invokes the embedding model
     * (Titan Text Embeddings v2); `chat` also streams from the chat model. The CDK app grants invoking exactly those
     * model ids and sets the handler's EMBEDDER / CHAT_MODEL settings; `npm start` stays offline (hashing embedder,
     * offline composer).
     */
    readonly bedrock?: 'embeddings' | 'chat';
    /**
     * Runs the warehouse's named queries through Athena: the CDK app grants the pipelines' workgroup, the Glue
     * database's tables, reading the facts and dim_book and writing Athena's results in the lake, and sets
     * ATHENA_WORKGROUP / WAREHOUSE_DATABASE; `npm start` runs the same queries with DuckDB.
     */
    readonly warehouse?: 'query';
  };
  readonly triggers: readonly Trigger[];
  /**
   * Files the handler loads at run time from beside its bundle (e.g. a WASM binary), as package paths resolved from
   * `lambdas/` (`sql.js/dist/sql-wasm.wasm`). The CDK bundling copies each into the asset root, next to `index.mjs`;
   * `npm start` runs the sources and needs nothing copied.
   */
  readonly assetFiles?: readonly string[];
  /**
   * Packages with native binaries the bundle cannot inline (e.g. onnxruntime-node): kept external by the bundler and
   * shipped beside the bundle in `node_modules/`, with only the binaries of the function's platform.
   */
  readonly nativeModules?: readonly string[];
  /**
   * Settings of the handler that are not resource names (those come from `uses`), e.g. `MODEL_REFRESH_SECONDS`.
   * The CDK app sets them on the deployed function (a bind method refuses one that a `uses` entry sets).
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The request body limit of a route that sets no `maxBodyBytes`. */
export const defaultMaxBodyBytes = 32 * 1024;

export const functions = [
  {
    id: 'CatalogueApi',
    description: 'Reader-facing catalogue API: health, books (list, search, detail), authors and series.',
    entry: 'src/catalogue/handlers/catalogue-api.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    uses: { database: true },
    triggers: [
      { kind: 'http', method: 'GET', path: '/health', access: 'public' },
      { kind: 'http', method: 'GET', path: '/books', access: 'public' },
      { kind: 'http', method: 'GET', path: '/books/{bookId}', access: 'public' },
      { kind: 'http', method: 'GET', path: '/authors', access: 'public' },
      { kind: 'http', method: 'GET', path: '/series/{seriesId}', access: 'public' },
    ],
  },
  {
    id: 'LibrarianApi',
    description: "Librarians' API: ingest runs with their counts and reports.",
    entry: 'src/catalogue/handlers/librarian-api.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    uses: { database: true },
    triggers: [
      { kind: 'http', method: 'GET', path: '/librarian/ingest-runs', access: 'librarian' },
      { kind: 'http', method: 'GET', path: '/librarian/ingest-runs/{runId}', access: 'librarian' },
    ],
  },
  {
    id: 'CatalogueIngest',
    description: 'Ingests Calibre libraries uploaded under calibre/<library>/ into Postgres; quarantines bad files.',
    entry: 'src/catalogue/handlers/ingest-calibre.ts',
    // The 100,000-book library fits in 1.5 GB; the rest is headroom for the zip of a whole library folder.
    memoryMb: 2048,
    timeoutSeconds: 900,
    // Book files of a library zip or folder are copied to the books bucket (keyed by content hash); the catalogue
    // snapshot (snapshots/dim_book/) goes to the lake after each successful ingest.
    uses: {
      database: true,
      buckets: { ingest: 'readWrite', books: 'readWrite', lake: 'write' },
      bedrock: 'embeddings',
    },
    triggers: [{ kind: 's3', bucket: 'ingest', prefix: 'calibre/' }],
    // sql.js (metadata.db reader) loads its WASM from beside the bundle.
    assetFiles: ['sql.js/dist/sql-wasm.wasm'],
    // The V8 heap capped at 1 GiB of the function's 2 GiB: a 100,000-book library then peaks at about 0.9 GiB instead
    // of 1.5–1.6 GiB that were mostly garbage not yet collected, at the same speed (lambdas/bench/RESULTS.md).
    environment: { NODE_OPTIONS: '--enable-source-maps --max-old-space-size=1024' },
  },
  {
    id: 'InsightsApi',
    description:
      "Librarians' insights: the warehouse's named queries (click-through, coverage, fallbacks, retention, A/B).",
    entry: 'src/warehouse/handlers/insights-api.ts',
    memoryMb: 512,
    timeoutSeconds: 29,
    uses: { warehouse: 'query' },
    triggers: [{ kind: 'http', method: 'GET', path: '/librarian/insights/{query}', access: 'librarian' }],
    // The named queries' SQL, read beside the bundle (warehouse/config.ts); domain/insights.ts lists them.
    assetFiles: ['ctr-by-model', 'coverage', 'fallback-share', 'retention', 'ab-compare'].map(
      (name) => `./src/warehouse/sql/${name}.sql`,
    ),
  },
  {
    id: 'ChatApi',
    description: "Readers' chatbot: books from the catalogue for a request in their own words, with reasons (SSE).",
    entry: 'src/chat/handlers/chat-api.ts',
    memoryMb: 1024,
    timeoutSeconds: 29,
    uses: { database: true, tables: { conversations: 'readWrite' }, bedrock: 'chat' },
    // A message is at most 500 characters; each answer costs retrieval and possibly a model call.
    triggers: [
      {
        kind: 'http',
        method: 'POST',
        path: '/chat',
        access: 'reader',
        maxBodyBytes: 16 * 1024,
        throttle: { rateLimit: 10, burstLimit: 20 },
      },
    ],
  },
  {
    id: 'ReaderEventsApi',
    description:
      "Readers' events (views, loans, ratings, impressions, clicks…): validated, then put on the event stream.",
    entry: 'src/recommendations/handlers/events-api.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    // The readers table for the readers who paused their history (their events are not recorded).
    uses: { streams: { readerEvents: 'write' }, tables: { readers: 'read' } },
    // The web app sends 20 events a batch (a few KB); 256 KiB holds a few hundred typical events.
    triggers: [
      {
        kind: 'http',
        method: 'POST',
        path: '/events',
        access: 'reader',
        maxBodyBytes: 256 * 1024,
        throttle: { rateLimit: 25, burstLimit: 50 },
      },
    ],
  },
  {
    id: 'Recommender',
    description:
      "Keeps each reader's recent history and writes fresh recommendations from the ONNX policy per event batch.",
    entry: 'src/recommendations/handlers/recommender.ts',
    // onnxruntime-node with a 100,000-book model, the catalogue snapshot and a batch of readers.
    memoryMb: 2048,
    timeoutSeconds: 60,
    uses: { database: true, tables: { readers: 'readWrite' }, buckets: { models: 'read', lake: 'write' } },
    triggers: [{ kind: 'kinesis', stream: 'readerEvents', batchSize: 100 }],
    nativeModules: ['onnxruntime-node'],
  },
  {
    id: 'RecommendationsApi',
    description: "Readers' current recommendations (with reasons) and books similar to a book.",
    entry: 'src/recommendations/handlers/recommendations-api.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    uses: { database: true, tables: { readers: 'read' } },
    triggers: [
      { kind: 'http', method: 'GET', path: '/readers/{readerId}/recommendations', access: 'reader' },
      { kind: 'http', method: 'GET', path: '/books/{bookId}/similar', access: 'public' },
    ],
  },
  {
    id: 'ReaderDataApi',
    description:
      "Readers' own data: merge an anonymous history into the account on sign-in, pause, resume and delete history.",
    entry: 'src/identity/handlers/reader-data-api.ts',
    memoryMb: 512,
    timeoutSeconds: 29,
    uses: {
      // The reader's reading records (progress, ended loans and holds), deleted with their history.
      database: true,
      tables: { readers: 'readWrite', conversations: 'readWrite' },
      // The deletion log (deletions/ in the lake), which the warehouse ETL applies to the lake.
      buckets: { lake: 'write' },
    },
    triggers: [
      { kind: 'http', method: 'POST', path: '/readers/{readerId}/merge', access: 'signed-in' },
      { kind: 'http', method: 'POST', path: '/readers/{readerId}/history/pause', access: 'reader' },
      { kind: 'http', method: 'POST', path: '/readers/{readerId}/history/resume', access: 'reader' },
      { kind: 'http', method: 'DELETE', path: '/readers/{readerId}/history', access: 'reader' },
    ],
  },
  {
    id: 'LoansApi',
    description:
      "Readers' loans and holds: borrow, return, hold, list, short-lived signed URLs of borrowed files, reading progress.",
    entry: 'src/reading/handlers/loans-api.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    // Borrow, return and hold are reader events; the readers table for the readers who paused their history.
    uses: { database: true, streams: { readerEvents: 'write' }, tables: { readers: 'read' } },
    // Signed in: anonymous ids cost nothing to make, so lending limits per reader would mean nothing for them.
    triggers: [
      { kind: 'http', method: 'GET', path: '/readers/{readerId}/loans', access: 'signed-in' },
      { kind: 'http', method: 'POST', path: '/readers/{readerId}/loans', access: 'signed-in' },
      { kind: 'http', method: 'DELETE', path: '/readers/{readerId}/loans/{loanId}', access: 'signed-in' },
      { kind: 'http', method: 'GET', path: '/readers/{readerId}/loans/{loanId}/file', access: 'signed-in' },
      // Reading progress follows the account from device to device; finishing a book is a `finish` event.
      { kind: 'http', method: 'GET', path: '/readers/{readerId}/loans/{loanId}/progress', access: 'signed-in' },
      { kind: 'http', method: 'PUT', path: '/readers/{readerId}/loans/{loanId}/progress', access: 'signed-in' },
      { kind: 'http', method: 'POST', path: '/readers/{readerId}/holds', access: 'signed-in' },
    ],
  },
  {
    id: 'OpdsApi',
    description: 'OPDS 1.2 catalogue for e-reader apps: new, popular, search, authors, series; loans when signed in.',
    entry: 'src/reading/handlers/opds-api.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    uses: { database: true, streams: { readerEvents: 'write' }, tables: { readers: 'read' } },
    triggers: [
      { kind: 'http', method: 'GET', path: '/opds', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/new', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/popular', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/search', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/opensearch.xml', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/authors/{authorId}', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/series/{seriesId}', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/books/{bookId}', access: 'public' },
      { kind: 'http', method: 'GET', path: '/opds/loans', access: 'signed-in' },
      { kind: 'http', method: 'POST', path: '/opds/books/{bookId}/borrow', access: 'signed-in' },
    ],
  },
] as const satisfies readonly FunctionSpec[];

/**
 * The database migration function, run by a CloudFormation custom resource on every deploy (not by a trigger).
 * Locally, `npm start` calls the same migration code directly.
 */
export const migrationFunction = {
  id: 'DatabaseMigrations',
  description: 'Applies the database migrations (including CREATE EXTENSION vector) on deploy.',
  entry: 'src/platform/handlers/migrate-database.ts',
  memoryMb: 512,
  timeoutSeconds: 300,
  uses: { database: true },
  triggers: [],
} as const satisfies FunctionSpec;

/**
 * The HTTP API's Lambda authorizer for `reader` routes (lambdas/src/identity/handlers/reader-authorizer.ts): lets
 * anonymous readers through and verifies a bearer token when one is sent. Invoked by API Gateway, not a trigger;
 * locally, the API gateway runs the same decision (`authorizeReader`).
 */
export const readerAuthorizerFunction = {
  id: 'ReaderAuthorizer',
  description: "Authorizer of the readers' routes: anonymous readers pass, a bearer token is verified when sent.",
  entry: 'src/identity/handlers/reader-authorizer.ts',
  memoryMb: 256,
  timeoutSeconds: 5,
  uses: {},
  triggers: [],
} as const satisfies FunctionSpec;

/**
 * Task functions of the Step Functions pipelines (cdk/src/pipelines-stack.ts), invoked by a state machine rather
 * than a trigger; locally, `npm run pipeline` invokes the same handler modules for the same states.
 */
export const evaluateModelsFunction = {
  id: 'EvaluateModels',
  description: 'Retrain pipeline: NDCG@10 of the retrained candidate and of the serving model on the held-out window.',
  entry: 'src/pipelines/handlers/evaluate-models.ts',
  // Two models of up to 100,000 books loaded one after the other, and the held-out readers.
  memoryMb: 3008,
  timeoutSeconds: 600,
  uses: { buckets: { models: 'read', lake: 'read' }, tables: { readers: 'read' } },
  triggers: [],
  nativeModules: ['onnxruntime-node'],
} as const satisfies FunctionSpec;

export const promoteModelFunction = {
  id: 'PromoteModel',
  description: 'Retrain pipeline: publishes a better candidate and moves the model pointer if it has not moved.',
  entry: 'src/pipelines/handlers/promote-model.ts',
  memoryMb: 512,
  timeoutSeconds: 120,
  uses: { buckets: { models: 'readWrite' }, tables: { readers: 'readWrite' } },
  triggers: [],
} as const satisfies FunctionSpec;

export const pipelineFunctions = [evaluateModelsFunction, promoteModelFunction] as const;
