/**
 * The stateful resources of Shelfwise, described once.
 *
 * The CDK stateful stack creates them in AWS and `npm start` creates the same ones in the local emulators, so a
 * table's keys or a stream's name can never drift between the cloud and one machine. Handlers learn the real names
 * from the environment variables named here (read only in each deployable's config module).
 */

export interface TableSpec {
  /** Environment variable that carries the table name to a function. */
  readonly envVar: string;
  /** Name used by the local emulators (CDK generates its own). */
  readonly localName: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Attribute holding an epoch-seconds expiry, if items expire. */
  readonly timeToLiveAttribute?: string;
  readonly description: string;
}

export interface BucketSpec {
  readonly envVar: string;
  readonly localName: string;
  readonly description: string;
}

export interface StreamSpec {
  readonly envVar: string;
  readonly localName: string;
  readonly shardCount: number;
  readonly retentionHours: number;
  readonly description: string;
}

export const tables = {
  readers: {
    envVar: 'READER_TABLE',
    localName: 'shelfwise-readers',
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
    description: "Each reader's recent history, current recommendations and shelf (single-table, pk = READER#<id>).",
  },
  conversations: {
    envVar: 'CONVERSATION_TABLE',
    localName: 'shelfwise-conversations',
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
    description: 'Chatbot conversation state per reader, expiring after a period of inactivity.',
  },
} as const satisfies Record<string, TableSpec>;

export const buckets = {
  ingest: {
    envVar: 'INGEST_BUCKET',
    localName: 'shelfwise-ingest',
    description: 'Calibre libraries and exports uploaded by librarians (calibre/<library>/...), and quarantine.',
  },
  lake: {
    envVar: 'LAKE_BUCKET',
    localName: 'shelfwise-lake',
    description: 'Raw reader events, served recommendations and warehouse tables (Parquet).',
  },
  models: {
    envVar: 'MODELS_BUCKET',
    localName: 'shelfwise-models',
    description: 'Trained ONNX models with their manifests, one prefix per version.',
  },
  web: {
    envVar: 'WEB_BUCKET',
    localName: 'shelfwise-web',
    description: 'The static reader web app, served through CloudFront.',
  },
  books: {
    envVar: 'BOOKS_BUCKET',
    localName: 'shelfwise-books',
    description: "Books' files (EPUB, PDF, …) keyed by content hash; readers get them only through signed URLs.",
  },
} as const satisfies Record<string, BucketSpec>;

export const streams = {
  readerEvents: {
    envVar: 'READER_EVENTS_STREAM',
    localName: 'shelfwise-reader-events',
    shardCount: 1,
    retentionHours: 24,
    description: 'Reader events from the events API, partitioned by reader id.',
  },
} as const satisfies Record<string, StreamSpec>;

export type TableName = keyof typeof tables;
export type BucketName = keyof typeof buckets;
export type StreamName = keyof typeof streams;

/** Environment variables through which a function finds the database. */
export const databaseEnv = {
  /** A full connection string; used by `npm start`, tests and LocalStack. */
  url: 'DATABASE_URL',
  /** In AWS: the Secrets Manager secret (JSON with host, port, username, password, dbname) of the cluster. */
  secretArn: 'DATABASE_SECRET_ARN',
} as const;
