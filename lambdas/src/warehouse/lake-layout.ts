/**
 * The data lake's layout: where raw reader events, served recommendations and the warehouse's Parquet facts live in
 * the lake bucket. The cloud writes raw objects with Kinesis Data Firehose (dynamic partitioning), `npm start` with
 * the local archiver; both use the keys made here, so one ETL reads either.
 *
 * ```
 * raw/events/dt=YYYY-MM-DD/hour=HH/<yyyymmddThhmmssZ>-<id>.json           reader events as received, one JSON per line
 * raw/recommendations/dt=YYYY-MM-DD/hour=HH/<yyyymmddThhmmssZ>-<id>.json  served lists, one row per listed book
 * raw/errors/events/dt=YYYY-MM-DD/hour=HH/<…>.json                        records that were not JSON ({ data, reason })
 * deletions/dt=YYYY-MM-DD/<yyyymmddThhmmssZ>-<uuid>.json                   the deletion log: one request per object
 * warehouse/<fact>/dt=YYYY-MM-DD/<file>.parquet                            ETL output: interactions, recommendations_served, outcomes
 * snapshots/dim_book/snapshot=<yyyymmddThhmmssZ>/part-0.parquet           catalogue snapshot, one per export (kept)
 * snapshots/dim_book/current/part-0.parquet                               the latest snapshot, what `dim_book` reads
 * snapshots/dim_book/latest.json                                          pointer to the latest snapshot
 * ```
 *
 * Raw partitions are the UTC hour the record ARRIVED (Firehose's `!{timestamp:…}`), not the hour the device says it
 * happened: a late event lands in a new partition and never rewrites an old one. Facts are partitioned by the UTC day
 * the event happened. Positions are 0-based, as in impression and click events.
 */
import { z } from 'zod';

export const rawDatasets = {
  events: 'raw/events',
  recommendations: 'raw/recommendations',
  eventErrors: 'raw/errors/events',
} as const;

export type RawDataset = keyof typeof rawDatasets;

/**
 * The deletion log (written by the reader-data API, identity/adapters/s3-deletion-log.ts): one object per request,
 * `{ readerId, requestedAt, reason: 'delete' | 'merge', mergedInto? }`, partitioned by the UTC day it was made (no
 * hour). The ETL applies it to every fact it builds; the raw objects stay until the bucket's lifecycle expires them.
 */
export const deletionLogPrefix = 'deletions';

/** Where the ETL writes the facts (one folder per fact, partitioned by `dt`). */
export const warehousePrefix = 'warehouse';
/** Where the catalogue snapshots go. */
export const dimBookPrefix = 'snapshots/dim_book';
/**
 * The latest snapshot again, at a fixed key: what the Glue table `dim_book` and DuckDB read (Athena cannot follow a
 * pointer, and a table over every snapshot would count each book once per export).
 */
export const dimBookCurrentPrefix = `${dimBookPrefix}/current`;
export const dimBookCurrentKey = `${dimBookCurrentPrefix}/part-0.parquet`;
/** Which snapshot is the latest (`DimBookPointer`), written last. */
export const dimBookLatestKey = `${dimBookPrefix}/latest.json`;

/** `20260301T090000Z`: ISO 8601 basic format, to the second (names sort by time). */
export function compactTime(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `snapshots/dim_book/snapshot=20260301T090000Z/part-0.parquet` */
export function dimBookSnapshotKey(exportedAt: Date): string {
  return `${dimBookPrefix}/snapshot=${compactTime(exportedAt)}/part-0.parquet`;
}

/** The body of `latest.json`. */
export const dimBookPointerSchema = z.object({
  /** `20260301T090000Z` */
  snapshot: z.string(),
  /** The snapshot's key in the lake bucket. */
  key: z.string(),
  /** ISO 8601, UTC. */
  exportedAt: z.string(),
  books: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});

export type DimBookPointer = z.infer<typeof dimBookPointerSchema>;

export interface LakePartition {
  /** UTC day, `YYYY-MM-DD`. */
  readonly dt: string;
  /** UTC hour, `00`–`23`. */
  readonly hour: string;
}

export function partitionOf(at: Date): LakePartition {
  const iso = at.toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/** `raw/events/dt=2026-03-01/hour=09/` */
export function partitionPrefix(dataset: RawDataset, partition: LakePartition): string {
  return `${rawDatasets[dataset]}/dt=${partition.dt}/hour=${partition.hour}/`;
}

/** The key of one raw object: its partition, then the time of its first record and an id (names sort by time). */
export function rawObjectKey(dataset: RawDataset, firstAt: Date, id: string): string {
  return `${partitionPrefix(dataset, partitionOf(firstAt))}${compactTime(firstAt)}-${id}.json`;
}

/** Newline-delimited JSON, one value per line (the body of every raw object). */
export function toNdjson(values: readonly unknown[]): string {
  return values.map((value) => `${JSON.stringify(value)}\n`).join('');
}

/** Groups items by the raw partition of their time, keeping their order; one object is written per group. */
export function groupByPartition<T>(
  items: readonly T[],
  timeOf: (item: T) => Date,
): { readonly partition: LakePartition; readonly firstAt: Date; readonly items: T[] }[] {
  const groups = new Map<string, { partition: LakePartition; firstAt: Date; items: T[] }>();
  for (const item of items) {
    const at = timeOf(item);
    const partition = partitionOf(at);
    const key = `${partition.dt}/${partition.hour}`;
    const group = groups.get(key) ?? { partition, firstAt: at, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** One listed book of a served recommendation list: what `raw/recommendations` holds, one per line. */
export const servedRecommendationRowSchema = z.object({
  recommendationId: z.string(),
  readerId: z.string(),
  /** The model's version, or `fallback`. */
  modelVersion: z.string(),
  /** `policy`, or the fallback that made the list (`similar`, `popular`). */
  strategy: z.string(),
  /** 0-based, as impressions and clicks report it. */
  position: z.number().int().nonnegative(),
  bookId: z.string(),
  /** ISO 8601, UTC. */
  generatedAt: z.string(),
});

export type ServedRecommendationRow = z.infer<typeof servedRecommendationRowSchema>;

export type RawColumnType = 'string' | 'int';

export interface RawColumn {
  /** Column name in SQL. */
  readonly name: string;
  /** JSON field it comes from. */
  readonly field: string;
  readonly type: RawColumnType;
}

/** The partition columns of a raw table's keys, outermost first (`dt=…/hour=…/`). */
export type RawPartitionColumn = 'dt' | 'hour';

export interface RawTable {
  /** Key prefix in the lake bucket, without the trailing slash. */
  readonly prefix: string;
  /** The `name=value` folders under the prefix, outermost first. */
  readonly partitions: readonly RawPartitionColumn[];
  readonly columns: readonly RawColumn[];
}

/**
 * The raw tables as SQL sees them: snake_case columns mapped from the JSON fields. The DuckDB binding reads the
 * files with these columns; the Glue tables (JSON SerDe `mapping.<column>` properties, partition projection on
 * `partitions`) declare the same.
 */
export const rawTables = {
  raw_events: {
    prefix: rawDatasets.events,
    partitions: ['dt', 'hour'],
    columns: [
      { name: 'event_id', field: 'eventId', type: 'string' },
      { name: 'reader_id', field: 'readerId', type: 'string' },
      { name: 'event_type', field: 'type', type: 'string' },
      { name: 'occurred_at', field: 'occurredAt', type: 'string' },
      { name: 'book_id', field: 'bookId', type: 'string' },
      { name: 'rating', field: 'rating', type: 'int' },
      { name: 'list_name', field: 'list', type: 'string' },
      { name: 'search_query', field: 'query', type: 'string' },
      { name: 'recommendation_id', field: 'recommendationId', type: 'string' },
      { name: 'position', field: 'position', type: 'int' },
      { name: 'model_version', field: 'modelVersion', type: 'string' },
    ],
  },
  raw_recommendations: {
    prefix: rawDatasets.recommendations,
    partitions: ['dt', 'hour'],
    columns: [
      { name: 'recommendation_id', field: 'recommendationId', type: 'string' },
      { name: 'reader_id', field: 'readerId', type: 'string' },
      { name: 'model_version', field: 'modelVersion', type: 'string' },
      { name: 'strategy', field: 'strategy', type: 'string' },
      { name: 'position', field: 'position', type: 'int' },
      { name: 'book_id', field: 'bookId', type: 'string' },
      { name: 'generated_at', field: 'generatedAt', type: 'string' },
    ],
  },
  raw_deletions: {
    prefix: deletionLogPrefix,
    partitions: ['dt'],
    columns: [
      { name: 'reader_id', field: 'readerId', type: 'string' },
      { name: 'requested_at', field: 'requestedAt', type: 'string' },
      { name: 'reason', field: 'reason', type: 'string' },
      { name: 'merged_into', field: 'mergedInto', type: 'string' },
    ],
  },
} as const satisfies Record<string, RawTable>;

export type RawTableName = keyof typeof rawTables;
