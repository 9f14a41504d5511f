/**
 * Writes a source library into the catalogue, in one transaction under a per-library advisory lock (two ingests of
 * the same library wait for each other instead of interleaving):
 * - a book whose stored source hash is the prepared one is unchanged: its record is not even built (so its
 *   description is not cleaned again);
 * - of the others, only books whose content hash changed are written, so re-ingesting an unchanged library writes no
 *   rows (a book whose content is the same but whose source hash is new only gets the new source hash);
 * - authors, aliases, series, tags, publishers and works are inserted only when missing;
 * - books gone from the source are marked withdrawn (never deleted: loans and history may refer to them), and come
 *   back if the source lists them again.
 * The books to build go through in chunks: the next chunk's records are built (the costly cleaning) while the
 * database writes the previous one, and no more than two chunks' rows are held at once. Each chunk is one statement
 * for the missing entities, one for the books, one for their links (and one unlinking the updated books first).
 * Plain SQL over `pg`, batched through jsonb_to_recordset: the same statements run on PGlite, PostgreSQL and Aurora.
 */
import { hash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type pg from 'pg';
import type { AuthorAliases, CatalogueRecord } from '../domain/catalogue-record';
import { matchKey, titleSort } from '../domain/names';
import type { PreparedBook, PreparedLibrary } from '../domain/prepare-library';
import type { CatalogueWriter, IngestCounts } from '../ports';

/** Books per chunk: large enough that round trips do not matter, small enough to keep memory flat. */
const defaultChunkSize = 500;
/** Books built between two turns of the event loop, so that the previous chunk's statements go out meanwhile. */
const buildSlice = 50;

function hashOf(record: CatalogueRecord): string {
  return hash('sha256', JSON.stringify(record), 'base64url');
}

export class PostgresCatalogueWriter implements CatalogueWriter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly chunkSize = defaultChunkSize,
  ) {}

  async ingestLibrary(library: string, prepared: PreparedLibrary): Promise<IngestCounts> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`shelfwise:ingest:${library}`]);
      const counts = await writeLibrary(client, library, prepared, this.chunkSize);
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
  source_hash: string | null;
  withdrawn: boolean;
}

/** A chunk's books, built: what to upsert and whose source hash alone to refresh. */
interface Chunk {
  readonly changed: { record: CatalogueRecord; hash: string; sourceHash: string | null }[];
  /** Books already stored (to unlink before relinking). */
  readonly replaced: string[];
  readonly sourceHashes: { source_id: string; source_hash: string }[];
  added: number;
}

async function writeLibrary(
  client: pg.PoolClient,
  library: string,
  prepared: PreparedLibrary,
  chunkSize: number,
): Promise<IngestCounts> {
  const libraryId = await libraryIdOf(client, library);
  const existing = new Map(
    (
      await client.query<ExistingBook>(
        `SELECT source_id, content_hash, source_hash, withdrawn_at IS NOT NULL AS withdrawn
         FROM book WHERE library_id = $1`,
        [libraryId],
      )
    ).rows.map((row) => [row.source_id, row]),
  );
  const present = new Set<string>();
  const pending: PreparedBook[] = [];
  for (const book of prepared.books) {
    present.add(book.sourceId);
    const before = existing.get(book.sourceId);
    const same = before && !before.withdrawn && book.sourceHash !== null && before.source_hash === book.sourceHash;
    if (!same) pending.push(book);
  }
  const toWithdraw = [...existing.values()].filter((book) => !book.withdrawn && !present.has(book.source_id));
  const counts = { added: 0, updated: 0, unchanged: prepared.books.length, withdrawn: toWithdraw.length };

  const entities = new Entities(prepared.aliases);
  let writing: Promise<void> = Promise.resolve();
  let wrote = false;
  try {
    for (let start = 0; start < pending.length; start += chunkSize) {
      const chunk = await buildChunk(pending.slice(start, start + chunkSize), existing);
      await writing;
      counts.added += chunk.added;
      counts.updated += chunk.changed.length - chunk.added;
      counts.unchanged -= chunk.changed.length;
      if (chunk.changed.length === 0 && chunk.sourceHashes.length === 0) continue;
      wrote = true;
      writing = writeChunk(client, libraryId, chunk, entities);
      // Awaited before the next chunk is written (or below); this only keeps a failure from counting as unhandled.
      writing.catch(() => undefined);
    }
  } finally {
    // When building a chunk fails, the chunk being written must finish first: the caller then rolls back, and a
    // statement it sent after the ROLLBACK would run outside the transaction, half-writing the library.
    await writing.catch(() => undefined);
  }
  await writing;
  if (toWithdraw.length > 0) {
    await client.query(
      'UPDATE book SET withdrawn_at = now(), updated_at = now() WHERE library_id = $1 AND source_id = ANY ($2::text[])',
      [libraryId, toWithdraw.map((book) => book.source_id)],
    );
  }
  if (wrote || toWithdraw.length > 0) {
    await client.query('UPDATE library SET updated_at = now() WHERE id = $1', [libraryId]);
  }
  return counts;
}

/** Builds the chunk's records (cleaning them), yielding now and then so that the previous chunk keeps being written. */
async function buildChunk(books: readonly PreparedBook[], existing: ReadonlyMap<string, ExistingBook>): Promise<Chunk> {
  const chunk: Chunk = { changed: [], replaced: [], sourceHashes: [], added: 0 };
  for (let index = 0; index < books.length; index += 1) {
    if (index > 0 && index % buildSlice === 0) await yieldToEventLoop();
    const book = books[index] as PreparedBook;
    const record = book.record();
    const contentHash = hashOf(record);
    const before = existing.get(book.sourceId);
    if (before && !before.withdrawn && before.content_hash === contentHash) {
      if (book.sourceHash !== null && before.source_hash !== book.sourceHash) {
        chunk.sourceHashes.push({ source_id: book.sourceId, source_hash: book.sourceHash });
      }
      continue;
    }
    chunk.changed.push({ record, hash: contentHash, sourceHash: book.sourceHash });
    if (before) chunk.replaced.push(book.sourceId);
    else chunk.added += 1;
  }
  return chunk;
}

async function writeChunk(client: pg.PoolClient, libraryId: string, chunk: Chunk, entities: Entities): Promise<void> {
  if (chunk.changed.length > 0) {
    const ids = await entities.ensure(
      client,
      chunk.changed.map(({ record }) => record),
    );
    if (chunk.replaced.length > 0) {
      await client.query(
        `WITH old AS (SELECT id FROM book WHERE library_id = $1 AND source_id = ANY ($2::text[])),
              authors AS (DELETE FROM book_author WHERE book_id IN (SELECT id FROM old)),
              tags AS (DELETE FROM book_tag WHERE book_id IN (SELECT id FROM old))
         DELETE FROM book_identifier WHERE book_id IN (SELECT id FROM old)`,
        [libraryId, chunk.replaced],
      );
    }
    await upsertBooks(client, libraryId, chunk.changed, ids);
  }
  if (chunk.sourceHashes.length > 0) {
    await client.query(
      `UPDATE book SET source_hash = x.source_hash
       FROM jsonb_to_recordset($2::jsonb) AS x(source_id text, source_hash text)
       WHERE book.library_id = $1 AND book.source_id = x.source_id`,
      [libraryId, JSON.stringify(chunk.sourceHashes)],
    );
  }
}

async function libraryIdOf(client: pg.PoolClient, library: string): Promise<string> {
  const found = await client.query<{ id: string }>('SELECT id::text FROM library WHERE name = $1', [library]);
  if (found.rows[0]) return found.rows[0].id;
  const created = await client.query<{ id: string }>('INSERT INTO library (name) VALUES ($1) RETURNING id::text', [
    library,
  ]);
  return (created.rows[0] as { id: string }).id;
}

/** A table of named things that books refer to by key, inserted when missing. */
interface EntityTable {
  readonly table: 'author' | 'series' | 'tag' | 'publisher' | 'work';
  readonly key: string;
  readonly columns: readonly string[];
  /** The rows the records need, keyed by `key`. */
  readonly rowsOf: (record: CatalogueRecord) => Record<string, string>[];
}

const entityTables: readonly EntityTable[] = [
  {
    table: 'author',
    key: 'name_key',
    columns: ['name', 'sort', 'name_key'],
    rowsOf: (record) => record.authors.map((a) => ({ name: a.name, sort: a.sort, name_key: a.key })),
  },
  {
    table: 'series',
    key: 'name_key',
    columns: ['name', 'name_key'],
    rowsOf: (r) => (r.series ? [{ name: r.series.name, name_key: matchKey(r.series.name) }] : []),
  },
  { table: 'tag', key: 'path', columns: ['path'], rowsOf: (r) => r.subjects.map((path) => ({ path })) },
  {
    table: 'publisher',
    key: 'name_key',
    columns: ['name', 'name_key'],
    rowsOf: (r) => (r.publisher ? [{ name: r.publisher, name_key: matchKey(r.publisher) }] : []),
  },
  { table: 'work', key: 'work_key', columns: ['work_key'], rowsOf: (r) => [{ work_key: r.workKey }] },
];

type EntityIds = Readonly<Record<EntityTable['table'], ReadonlyMap<string, string>>>;

/**
 * The ids of the entities this ingest has met so far. Each chunk asks the database only for keys it has not seen,
 * in one statement: for each table, the rows already there plus the missing ones inserted, and the new authors'
 * aliases. A key inserted meanwhile by another library's ingest is looked up again.
 */
class Entities {
  private readonly ids: Record<EntityTable['table'], Map<string, string>> = {
    author: new Map(),
    series: new Map(),
    tag: new Map(),
    publisher: new Map(),
    work: new Map(),
  };

  constructor(private readonly aliases: AuthorAliases) {}

  async ensure(client: pg.PoolClient, records: readonly CatalogueRecord[]): Promise<EntityIds> {
    const wanted = entityTables.map((spec) => {
      const known = this.ids[spec.table];
      const rows = new Map<string, Record<string, string>>();
      for (const record of records) {
        for (const row of spec.rowsOf(record)) {
          const key = row[spec.key] as string;
          if (!known.has(key) && !rows.has(key)) rows.set(key, row);
        }
      }
      return { spec, rows: [...rows.values()] };
    });
    const parts = wanted.filter(({ rows }) => rows.length > 0);
    if (parts.length === 0) return this.ids;
    const params: string[] = [];
    const ctes: string[] = [];
    const selects: string[] = [];
    for (const { spec, rows } of parts) {
      params.push(JSON.stringify(rows));
      const { table, key, columns } = spec;
      const x = `${table}_in`;
      ctes.push(
        `${x} AS (SELECT * FROM jsonb_to_recordset($${params.length}::jsonb) AS x(${columns.map((c) => `${c} text`).join(', ')}))`,
        `${table}_found AS (SELECT t.id, t.${key} AS key FROM ${table} t JOIN ${x} ON ${x}.${key} = t.${key})`,
        `${table}_new AS (INSERT INTO ${table} (${columns.join(', ')})
           SELECT ${columns.join(', ')} FROM ${x} WHERE ${x}.${key} NOT IN (SELECT key FROM ${table}_found)
           ON CONFLICT (${key}) DO NOTHING RETURNING id, ${key} AS key)`,
        `${table}_ids AS (SELECT id, key FROM ${table}_found UNION ALL SELECT id, key FROM ${table}_new)`,
      );
      selects.push(`SELECT '${table}' AS kind, id::text, key FROM ${table}_ids`);
    }
    const newAuthors = wanted[0]?.rows ?? [];
    const aliases = newAuthors.flatMap((row) =>
      (this.aliases.get(row.name_key as string) ?? []).map((alias) => ({ name_key: row.name_key, alias })),
    );
    if (aliases.length > 0) {
      params.push(JSON.stringify(aliases));
      ctes.push(
        `alias_new AS (INSERT INTO author_alias (author_id, alias)
           SELECT a.id, x.alias FROM jsonb_to_recordset($${params.length}::jsonb) AS x(name_key text, alias text)
           JOIN author_ids a ON a.key = x.name_key
           ON CONFLICT DO NOTHING)`,
      );
    }
    const found = await client.query<{ kind: EntityTable['table']; id: string; key: string }>(
      `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`,
      params,
    );
    for (const row of found.rows) this.ids[row.kind].set(row.key, row.id);
    for (const { spec, rows } of parts) {
      const missing = rows.map((row) => row[spec.key] as string).filter((key) => !this.ids[spec.table].has(key));
      if (missing.length === 0) continue;
      // Inserted by a concurrent ingest after this statement's snapshot: visible to a new statement.
      const again = await client.query<{ id: string; key: string }>(
        `SELECT id::text, ${spec.key} AS key FROM ${spec.table} WHERE ${spec.key} = ANY ($1::text[])`,
        [missing],
      );
      for (const row of again.rows) this.ids[spec.table].set(row.key, row.id);
      if (spec.table === 'author') {
        await client.query(
          `INSERT INTO author_alias (author_id, alias)
           SELECT a.id, x.alias FROM jsonb_to_recordset($1::jsonb) AS x(name_key text, alias text)
           JOIN author a ON a.name_key = x.name_key
           ON CONFLICT DO NOTHING`,
          [JSON.stringify(aliases.filter((alias) => missing.includes(alias.name_key as string)))],
        );
      }
    }
    return this.ids;
  }
}

/** Upserts the books, then links them to their authors, tags and identifiers in one more statement. */
async function upsertBooks(
  client: pg.PoolClient,
  libraryId: string,
  batch: Chunk['changed'],
  ids: EntityIds,
): Promise<void> {
  const rows = batch.map(({ record, hash, sourceHash }) => ({
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
    publisher_id: record.publisher ? ids.publisher.get(matchKey(record.publisher)) : null,
    rating: record.rating,
    description_html: record.descriptionHtml,
    description_text: record.descriptionText,
    custom_columns: record.customColumns,
    formats: record.formats,
    has_cover: record.hasCover,
    source_modified_at: record.lastModified,
    work_id: ids.work.get(record.workKey),
    content_hash: hash,
    source_hash: sourceHash,
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
                       series_id, series_index, publisher_id, rating, description_html, description_text,
                       custom_columns, formats, has_cover, source_modified_at, work_id, content_hash, source_hash,
                       search_title, search_authors, search_body)
     SELECT $1, source_id, title, title_sort, pub_year, pubdate, languages, audience, page_count, series_id,
            series_index, publisher_id, rating, description_html, description_text, custom_columns, formats,
            has_cover, source_modified_at, work_id, content_hash, source_hash, search_title, search_authors,
            search_body
     FROM jsonb_to_recordset($2::jsonb) AS x(source_id text, title text, title_sort text, pub_year int, pubdate date,
          languages text[], audience text, page_count int, series_id bigint, series_index numeric,
          publisher_id bigint, rating smallint, description_html text, description_text text, custom_columns jsonb,
          formats text[], has_cover boolean, source_modified_at timestamptz, work_id bigint, content_hash text,
          source_hash text, search_title text, search_authors text, search_body text)
     ON CONFLICT (library_id, source_id) DO UPDATE SET
       title = EXCLUDED.title, title_sort = EXCLUDED.title_sort, pub_year = EXCLUDED.pub_year,
       pubdate = EXCLUDED.pubdate, languages = EXCLUDED.languages, audience = EXCLUDED.audience,
       page_count = EXCLUDED.page_count, series_id = EXCLUDED.series_id, series_index = EXCLUDED.series_index,
       publisher_id = EXCLUDED.publisher_id, rating = EXCLUDED.rating, description_html = EXCLUDED.description_html,
       description_text = EXCLUDED.description_text, custom_columns = EXCLUDED.custom_columns,
       formats = EXCLUDED.formats, has_cover = EXCLUDED.has_cover, source_modified_at = EXCLUDED.source_modified_at,
       work_id = EXCLUDED.work_id, content_hash = EXCLUDED.content_hash, source_hash = EXCLUDED.source_hash,
       search_title = EXCLUDED.search_title, search_authors = EXCLUDED.search_authors,
       search_body = EXCLUDED.search_body, withdrawn_at = NULL, updated_at = now()
     RETURNING id::text, source_id`,
    [libraryId, JSON.stringify(rows)],
  );
  const bookIds = new Map(upserted.rows.map((row) => [row.source_id, row.id]));
  const links = batch.map(({ record }) => ({ record, bookId: bookIds.get(record.sourceId) as string }));
  const authors = links.flatMap(({ record, bookId }) =>
    record.authors.map((author, position) => ({ book_id: bookId, author_id: ids.author.get(author.key), position })),
  );
  const tags = links.flatMap(({ record, bookId }) =>
    record.subjects.map((path) => ({ book_id: bookId, tag_id: ids.tag.get(path) })),
  );
  const identifiers = links.flatMap(({ record, bookId }) =>
    record.identifiers.map((id) => ({ book_id: bookId, type: id.type, value: id.value })),
  );
  await client.query(
    `WITH authors AS (
       INSERT INTO book_author (book_id, author_id, position)
       SELECT book_id, author_id, position
       FROM jsonb_to_recordset($1::jsonb) AS x(book_id bigint, author_id bigint, position smallint)
     ),
     tags AS (
       INSERT INTO book_tag (book_id, tag_id)
       SELECT DISTINCT book_id, tag_id FROM jsonb_to_recordset($2::jsonb) AS x(book_id bigint, tag_id bigint)
     )
     INSERT INTO book_identifier (book_id, type, value)
     SELECT DISTINCT book_id, type, value FROM jsonb_to_recordset($3::jsonb) AS x(book_id bigint, type text, value text)`,
    [JSON.stringify(authors), JSON.stringify(tags), JSON.stringify(identifiers)],
  );
}
