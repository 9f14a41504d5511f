/**
 * The physical floor of the catalogue write: the library's book rows (the columns `PostgresCatalogueWriter` writes to
 * `book`, computed the same way) bulk-loaded into a plain table with no index, no constraint, no generated column and
 * no link tables, on the same engine:
 * - `COPY … FROM STDIN` over the wire (pg-copy-streams) on the PostgreSQL server;
 * - on PGlite, `COPY … FROM STDIN` through pglite-socket breaks the connection ("protocol synchronization was lost"),
 *   so the closest honest alternative is PGlite's own `COPY … FROM '/dev/blob'` on an in-process instance (same
 *   PGlite build and extensions, in memory, no wire protocol at all);
 * - on both, the writer's own mechanism into the same plain table: `INSERT … SELECT FROM jsonb_to_recordset($1)`,
 *   2,000 rows per statement in one transaction, over the wire, with the JSON built before the clock starts.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CatalogueRecord } from '../src/catalogue/domain/catalogue-record';
import { matchKey, titleSort } from '../src/catalogue/domain/names';

/** The `book` columns the writer fills, with their types as `jsonb_to_recordset` declares them. */
const COLUMNS = [
  ['library_id', 'bigint'],
  ['source_id', 'text'],
  ['title', 'text'],
  ['title_sort', 'text'],
  ['pub_year', 'int'],
  ['pubdate', 'date'],
  ['languages', 'text[]'],
  ['audience', 'text'],
  ['page_count', 'int'],
  ['series_id', 'bigint'],
  ['series_index', 'numeric'],
  ['publisher_id', 'bigint'],
  ['rating', 'smallint'],
  ['description_html', 'text'],
  ['description_text', 'text'],
  ['custom_columns', 'jsonb'],
  ['formats', 'text[]'],
  ['has_cover', 'boolean'],
  ['source_modified_at', 'timestamptz'],
  ['work_id', 'bigint'],
  ['content_hash', 'text'],
  ['search_title', 'text'],
  ['search_authors', 'text'],
  ['search_body', 'text'],
] as const;

export type FloorRow = Record<(typeof COLUMNS)[number][0], unknown>;

const TABLE = 'bench_copy_floor';
const COLUMN_LIST = COLUMNS.map(([name]) => name).join(', ');
const CREATE_TABLE = `DROP TABLE IF EXISTS ${TABLE};
  CREATE TABLE ${TABLE} (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`;

/** One book row as the writer computes it (ids of series, publisher and work are stand-ins: 1 when present). */
export function floorRow(record: CatalogueRecord): FloorRow {
  return {
    library_id: 1,
    source_id: record.sourceId,
    title: record.title,
    title_sort: record.titleSort ?? titleSort(record.title),
    pub_year: record.year,
    pubdate: record.pubdate,
    languages: record.languages,
    audience: record.audience,
    page_count: record.pageCount,
    series_id: record.series ? 1 : null,
    series_index: record.series?.index ?? null,
    publisher_id: record.publisher ? 1 : null,
    rating: record.rating,
    description_html: record.descriptionHtml,
    description_text: record.descriptionText,
    custom_columns: record.customColumns,
    formats: record.formats,
    has_cover: record.hasCover,
    source_modified_at: record.lastModified,
    work_id: 1,
    content_hash: createHash('sha256').update(JSON.stringify(record)).digest('base64url'),
    search_title: matchKey(record.title),
    search_authors: matchKey(record.authors.map((a) => a.name).join(' ')),
    search_body: matchKey(
      [record.descriptionText ?? '', record.subjects.join(' '), record.series?.name ?? '', record.publisher ?? ''].join(
        ' ',
      ),
    ),
  };
}

const escapeCopy = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeCopy(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return escapeCopy(
      `{${value.map((item) => `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`,
    );
  }
  return escapeCopy(JSON.stringify(value));
}

/** The rows in COPY text format, as chunks of about 1,000 rows. */
export function copyChunks(rows: readonly FloorRow[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < rows.length; start += 1000) {
    let text = '';
    for (const row of rows.slice(start, start + 1000)) {
      text += `${COLUMNS.map(([name]) => copyField(row[name])).join('\t')}\n`;
    }
    chunks.push(Buffer.from(text, 'utf8'));
  }
  return chunks;
}

export interface FloorMeasure {
  readonly method: string;
  readonly seconds: number;
  readonly rows: number;
  readonly bytes: number;
}

async function countRows(query: (sql: string) => Promise<{ rows: { n: unknown }[] }>): Promise<number> {
  const result = await query(`SELECT count(*) AS n FROM ${TABLE}`);
  return Number(result.rows[0]?.n ?? 0);
}

/** `COPY … FROM STDIN` over the wire (PostgreSQL server). */
export async function copyOverWire(url: string, chunks: readonly Buffer[]): Promise<FloorMeasure> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(CREATE_TABLE);
    const started = performance.now();
    await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${TABLE} (${COLUMN_LIST}) FROM STDIN`)));
    const seconds = (performance.now() - started) / 1000;
    const rows = await countRows((sql) => client.query(sql));
    await client.query(`DROP TABLE ${TABLE}`);
    return { method: 'COPY FROM STDIN (wire)', seconds, rows, bytes: byteLength(chunks) };
  } finally {
    await client.end();
  }
}

/** `COPY … FROM '/dev/blob'` on a fresh in-process PGlite (same build and extensions, no wire protocol). */
export async function copyInProcessPglite(chunks: readonly Buffer[]): Promise<FloorMeasure> {
  const db = await PGlite.create({ extensions: { vector } });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
    await db.exec(CREATE_TABLE);
    const blob = new Blob(chunks as Buffer[]);
    const started = performance.now();
    await db.query(`COPY ${TABLE} (${COLUMN_LIST}) FROM '/dev/blob'`, [], { blob });
    const seconds = (performance.now() - started) / 1000;
    const rows = await countRows((sql) => db.query<{ n: unknown }>(sql));
    return { method: "COPY FROM '/dev/blob' (in-process)", seconds, rows, bytes: byteLength(chunks) };
  } finally {
    await db.close();
  }
}

/** The writer's mechanism (jsonb_to_recordset, 2,000 rows a statement, one transaction) into the plain table. */
export async function jsonbBatchInsert(url: string, rows: readonly FloorRow[]): Promise<FloorMeasure> {
  const batches: string[] = [];
  for (let start = 0; start < rows.length; start += 2000) batches.push(JSON.stringify(rows.slice(start, start + 2000)));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(CREATE_TABLE);
    const statement = `INSERT INTO ${TABLE} (${COLUMN_LIST}) SELECT ${COLUMN_LIST}
      FROM jsonb_to_recordset($1::jsonb) AS x(${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`;
    const started = performance.now();
    await client.query('BEGIN');
    for (const batch of batches) await client.query(statement, [batch]);
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    const count = await countRows((sql) => client.query(sql));
    await client.query(`DROP TABLE ${TABLE}`);
    const bytes = batches.reduce((sum, batch) => sum + Buffer.byteLength(batch), 0);
    return { method: 'jsonb_to_recordset INSERT (wire)', seconds, rows: count, bytes };
  } finally {
    await client.end();
  }
}

function byteLength(chunks: readonly Buffer[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
}
