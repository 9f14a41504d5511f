/**
 * Writes a source library into the catalogue, in one transaction under a per-library advisory lock (two ingests of
 * the same library wait for each other instead of interleaving):
 * - only books whose content hash changed are written, so re-ingesting an unchanged library writes no rows;
 * - authors, aliases, series, tags, publishers and works are inserted only when missing;
 * - books gone from the source are marked withdrawn (never deleted: loans and history may refer to them), and come
 *   back if the source lists them again.
 * Plain SQL over `pg`, batched through jsonb_to_recordset: the same statements run on PGlite, PostgreSQL and Aurora.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { CatalogueRecord } from '../domain/catalogue-record';
import { matchKey, titleSort } from '../domain/names';
import type { PreparedLibrary } from '../domain/prepare-library';
import type { CatalogueWriter, IngestCounts } from '../ports';

const batchSize = 2000;

function hashOf(record: CatalogueRecord): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('base64url');
}

function chunks<T>(items: readonly T[], size = batchSize): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export class PostgresCatalogueWriter implements CatalogueWriter {
  constructor(private readonly pool: pg.Pool) {}

  async ingestLibrary(library: string, prepared: PreparedLibrary): Promise<IngestCounts> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`shelfwise:ingest:${library}`]);
      const counts = await writeLibrary(client, library, prepared);
      await client.query('COMMIT');
      return counts;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}

interface ExistingBook {
  source_id: string;
  content_hash: string | null;
  withdrawn: boolean;
}

async function writeLibrary(client: pg.PoolClient, library: string, prepared: PreparedLibrary): Promise<IngestCounts> {
  const libraryId = await libraryIdOf(client, library);
  const existing = new Map(
    (
      await client.query<ExistingBook>(
        'SELECT source_id, content_hash, withdrawn_at IS NOT NULL AS withdrawn FROM book WHERE library_id = $1',
        [libraryId],
      )
    ).rows.map((row) => [row.source_id, row]),
  );
  const hashed = prepared.records.map((record) => ({ record, hash: hashOf(record) }));
  const changed = hashed.filter(({ record, hash }) => {
    const before = existing.get(record.sourceId);
    return !before || before.content_hash !== hash || before.withdrawn;
  });
  const present = new Set(prepared.records.map((record) => record.sourceId));
  const toWithdraw = [...existing.values()].filter((book) => !book.withdrawn && !present.has(book.source_id));
  const added = changed.filter(({ record }) => !existing.has(record.sourceId)).length;
  const counts: IngestCounts = {
    added,
    updated: changed.length - added,
    unchanged: prepared.records.length - changed.length,
    withdrawn: toWithdraw.length,
  };
  if (changed.length === 0 && toWithdraw.length === 0) return counts;

  const records = changed.map(({ record }) => record);
  const ids = await insertMissingEntities(client, records, prepared);
  for (const batch of chunks(changed)) {
    await upsertBooks(client, libraryId, batch, ids);
  }
  if (toWithdraw.length > 0) {
    await client.query(
      'UPDATE book SET withdrawn_at = now(), updated_at = now() WHERE library_id = $1 AND source_id = ANY ($2::text[])',
      [libraryId, toWithdraw.map((book) => book.source_id)],
    );
  }
  await client.query('UPDATE library SET updated_at = now() WHERE id = $1', [libraryId]);
  return counts;
}

async function libraryIdOf(client: pg.PoolClient, library: string): Promise<string> {
  const found = await client.query<{ id: string }>('SELECT id::text FROM library WHERE name = $1', [library]);
  if (found.rows[0]) return found.rows[0].id;
  const created = await client.query<{ id: string }>('INSERT INTO library (name) VALUES ($1) RETURNING id::text', [
    library,
  ]);
  return (created.rows[0] as { id: string }).id;
}

interface EntityIds {
  readonly authors: Map<string, string>;
  readonly series: Map<string, string>;
  readonly tags: Map<string, string>;
  readonly publishers: Map<string, string>;
  readonly works: Map<string, string>;
}

/** Inserts what is missing (by key) and returns key → id for everything the records use. */
async function ensure(
  client: pg.PoolClient,
  table: string,
  keyColumn: string,
  rows: readonly Record<string, string>[],
  columns: readonly string[],
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const keys = rows.map((row) => row[keyColumn] as string);
  const found = await client.query<{ id: string; key: string }>(
    `SELECT id::text, ${keyColumn} AS key FROM ${table} WHERE ${keyColumn} = ANY ($1::text[])`,
    [keys],
  );
  const ids = new Map(found.rows.map((row) => [row.key, row.id]));
  const missing = rows.filter((row) => !ids.has(row[keyColumn] as string));
  for (const batch of chunks(missing, 5000)) {
    const inserted = await client.query<{ id: string; key: string }>(
      `INSERT INTO ${table} (${columns.join(', ')})
       SELECT ${columns.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${columns.map((c) => `${c} text`).join(', ')})
       ON CONFLICT (${keyColumn}) DO NOTHING
       RETURNING id::text, ${keyColumn} AS key`,
      [JSON.stringify(batch)],
    );
    for (const row of inserted.rows) ids.set(row.key, row.id);
  }
  return ids;
}

function uniqueBy<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.values()];
}

async function insertMissingEntities(
  client: pg.PoolClient,
  records: readonly CatalogueRecord[],
  prepared: PreparedLibrary,
): Promise<EntityIds> {
  const authors = await ensure(
    client,
    'author',
    'name_key',
    uniqueBy(
      records.flatMap((record) => record.authors.map((a) => ({ name: a.name, sort: a.sort, name_key: a.key }))),
      (a) => a.name_key,
    ),
    ['name', 'sort', 'name_key'],
  );
  const aliases = [...authors.entries()].flatMap(([key, authorId]) =>
    (prepared.aliases.get(key) ?? []).map((alias) => ({ author_id: authorId, alias })),
  );
  for (const batch of chunks(aliases, 5000)) {
    await client.query(
      `INSERT INTO author_alias (author_id, alias)
       SELECT author_id::bigint, alias FROM jsonb_to_recordset($1::jsonb) AS x(author_id text, alias text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(batch)],
    );
  }
  const series = await ensure(
    client,
    'series',
    'name_key',
    uniqueBy(
      records.flatMap((r) => (r.series ? [{ name: r.series.name, name_key: matchKey(r.series.name) }] : [])),
      (s) => s.name_key,
    ),
    ['name', 'name_key'],
  );
  const tags = await ensure(
    client,
    'tag',
    'path',
    uniqueBy(
      records.flatMap((r) => r.subjects.map((path) => ({ path }))),
      (t) => t.path,
    ),
    ['path'],
  );
  const publishers = await ensure(
    client,
    'publisher',
    'name_key',
    uniqueBy(
      records.flatMap((r) => (r.publisher ? [{ name: r.publisher, name_key: matchKey(r.publisher) }] : [])),
      (p) => p.name_key,
    ),
    ['name', 'name_key'],
  );
  const works = await ensure(
    client,
    'work',
    'work_key',
    uniqueBy(
      records.map((r) => ({ work_key: r.workKey })),
      (w) => w.work_key,
    ),
    ['work_key'],
  );
  return { authors, series, tags, publishers, works };
}

async function upsertBooks(
  client: pg.PoolClient,
  libraryId: string,
  batch: readonly { record: CatalogueRecord; hash: string }[],
  ids: EntityIds,
): Promise<void> {
  const rows = batch.map(({ record, hash }) => ({
    source_id: record.sourceId,
    title: record.title,
    title_sort: record.titleSort ?? titleSort(record.title),
    pub_year: record.year,
    pubdate: record.pubdate,
    languages: record.languages,
    audience: record.audience,
    page_count: record.pageCount,
    series_id: record.series ? ids.series.get(matchKey(record.series.name)) : null,
    series_index: record.series?.index ?? null,
    publisher_id: record.publisher ? ids.publishers.get(matchKey(record.publisher)) : null,
    rating: record.rating,
    description_html: record.descriptionHtml,
    description_text: record.descriptionText,
    custom_columns: record.customColumns,
    formats: record.formats,
    has_cover: record.hasCover,
    source_modified_at: record.lastModified,
    work_id: ids.works.get(record.workKey),
    content_hash: hash,
    search_title: matchKey(record.title),
    search_authors: matchKey(record.authors.map((a) => a.name).join(' ')),
    search_body: matchKey(
      [record.descriptionText ?? '', record.subjects.join(' '), record.series?.name ?? '', record.publisher ?? ''].join(
        ' ',
      ),
    ),
  }));
  const upserted = await client.query<{ id: string; source_id: string }>(
    `INSERT INTO book (library_id, source_id, title, title_sort, pub_year, pubdate, languages, audience, page_count,
                       series_id, series_index, publisher_id, rating, description_html, description_text, custom_columns,
                       formats, has_cover, source_modified_at, work_id, content_hash, search_title, search_authors,
                       search_body)
     SELECT $1, source_id, title, title_sort, pub_year, pubdate, languages, audience, page_count, series_id,
            series_index, publisher_id, rating, description_html, description_text, custom_columns, formats, has_cover,
            source_modified_at, work_id, content_hash, search_title, search_authors, search_body
     FROM jsonb_to_recordset($2::jsonb) AS x(source_id text, title text, title_sort text, pub_year int, pubdate date,
          languages text[], audience text, page_count int, series_id bigint, series_index numeric, publisher_id bigint,
          rating smallint, description_html text, description_text text, custom_columns jsonb, formats text[],
          has_cover boolean, source_modified_at timestamptz, work_id bigint, content_hash text, search_title text,
          search_authors text, search_body text)
     ON CONFLICT (library_id, source_id) DO UPDATE SET
       title = EXCLUDED.title, title_sort = EXCLUDED.title_sort, pub_year = EXCLUDED.pub_year,
       pubdate = EXCLUDED.pubdate, languages = EXCLUDED.languages, audience = EXCLUDED.audience,
       page_count = EXCLUDED.page_count, series_id = EXCLUDED.series_id, series_index = EXCLUDED.series_index,
       publisher_id = EXCLUDED.publisher_id, rating = EXCLUDED.rating, description_html = EXCLUDED.description_html,
       description_text = EXCLUDED.description_text, custom_columns = EXCLUDED.custom_columns,
       formats = EXCLUDED.formats, has_cover = EXCLUDED.has_cover, source_modified_at = EXCLUDED.source_modified_at,
       work_id = EXCLUDED.work_id, content_hash = EXCLUDED.content_hash, search_title = EXCLUDED.search_title,
       search_authors = EXCLUDED.search_authors, search_body = EXCLUDED.search_body, withdrawn_at = NULL,
       updated_at = now()
     RETURNING id::text, source_id`,
    [libraryId, JSON.stringify(rows)],
  );
  const bookIds = new Map(upserted.rows.map((row) => [row.source_id, row.id]));
  const changedIds = [...bookIds.values()];
  await client.query('DELETE FROM book_author WHERE book_id = ANY ($1::bigint[])', [changedIds]);
  await client.query('DELETE FROM book_tag WHERE book_id = ANY ($1::bigint[])', [changedIds]);
  await client.query('DELETE FROM book_identifier WHERE book_id = ANY ($1::bigint[])', [changedIds]);
  const links = batch.map(({ record }) => ({ record, bookId: bookIds.get(record.sourceId) as string }));
  await client.query(
    `INSERT INTO book_author (book_id, author_id, position)
     SELECT book_id, author_id, position FROM jsonb_to_recordset($1::jsonb) AS x(book_id bigint, author_id bigint, position smallint)`,
    [
      JSON.stringify(
        links.flatMap(({ record, bookId }) =>
          record.authors.map((author, position) => ({
            book_id: bookId,
            author_id: ids.authors.get(author.key),
            position,
          })),
        ),
      ),
    ],
  );
  await client.query(
    `INSERT INTO book_tag (book_id, tag_id)
     SELECT DISTINCT book_id, tag_id FROM jsonb_to_recordset($1::jsonb) AS x(book_id bigint, tag_id bigint)`,
    [
      JSON.stringify(
        links.flatMap(({ record, bookId }) =>
          record.subjects.map((path) => ({ book_id: bookId, tag_id: ids.tags.get(path) })),
        ),
      ),
    ],
  );
  await client.query(
    `INSERT INTO book_identifier (book_id, type, value)
     SELECT DISTINCT book_id, type, value FROM jsonb_to_recordset($1::jsonb) AS x(book_id bigint, type text, value text)`,
    [
      JSON.stringify(
        links.flatMap(({ record, bookId }) =>
          record.identifiers.map((id) => ({ book_id: bookId, type: id.type, value: id.value })),
        ),
      ),
    ],
  );
}
