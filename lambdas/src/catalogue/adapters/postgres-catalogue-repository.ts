/**
 * The catalogue in Postgres. Plain SQL over `pg`: the same statements run on PGlite, PostgreSQL 15+ and Aurora.
 */
import type pg from 'pg';
import type { BookPage, BookSummary, ListBooksQuery } from '../domain/book';
import type { CatalogueRecord } from '../domain/catalogue-record';
import { authorSort, matchKey, titleSort } from '../domain/names';
import type { CatalogueRepository, LibraryUpsertResult } from '../ports';

interface BookRow {
  id: string;
  title: string;
  pub_year: number | null;
  languages: string[];
  description_text: string | null;
  authors: string[];
  subjects: string[];
}

const bookSummarySelect = `
  SELECT b.id::text AS id, b.title, b.pub_year, b.languages, b.description_text,
    coalesce((SELECT array_agg(a.name ORDER BY ba.position) FROM book_author ba JOIN author a ON a.id = ba.author_id
              WHERE ba.book_id = b.id), '{}') AS authors,
    coalesce((SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
              WHERE bt.book_id = b.id), '{}') AS subjects
  FROM book b`;

function toSummary(row: BookRow): BookSummary {
  return {
    id: row.id,
    title: row.title,
    authors: row.authors,
    year: row.pub_year,
    languages: row.languages,
    subjects: row.subjects,
    description: row.description_text,
  };
}

export class PostgresCatalogueRepository implements CatalogueRepository {
  constructor(private readonly pool: pg.Pool) {}

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async listBooks(query: ListBooksQuery): Promise<BookPage> {
    const language = query.language ?? null;
    const [page, count] = await Promise.all([
      this.pool.query<BookRow>(
        `${bookSummarySelect}
         WHERE $3::text IS NULL OR $3::text = ANY (b.languages)
         ORDER BY b.title_sort, b.id
         LIMIT $1 OFFSET $2`,
        [query.limit, query.offset, language],
      ),
      this.pool.query<{ total: string }>(
        'SELECT count(*)::text AS total FROM book b WHERE $1::text IS NULL OR $1::text = ANY (b.languages)',
        [language],
      ),
    ]);
    return {
      items: page.rows.map(toSummary),
      total: Number(count.rows[0]?.total ?? 0),
      limit: query.limit,
      offset: query.offset,
    };
  }

  async getBook(id: string): Promise<BookSummary | undefined> {
    const result = await this.pool.query<BookRow>(`${bookSummarySelect} WHERE b.id = $1::bigint`, [id]);
    const row = result.rows[0];
    return row ? toSummary(row) : undefined;
  }

  async libraryFingerprint(library: string): Promise<string | undefined> {
    const result = await this.pool.query<{ source_fingerprint: string | null }>(
      'SELECT source_fingerprint FROM library WHERE name = $1',
      [library],
    );
    return result.rows[0]?.source_fingerprint ?? undefined;
  }

  async replaceLibrary(
    library: string,
    records: readonly CatalogueRecord[],
    fingerprint: string,
  ): Promise<LibraryUpsertResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await replaceInTransaction(client, library, records, fingerprint);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.values()];
}

async function replaceInTransaction(
  client: pg.PoolClient,
  library: string,
  records: readonly CatalogueRecord[],
  fingerprint: string,
): Promise<LibraryUpsertResult> {
  const libraryRow = await client.query<{ id: string }>(
    `INSERT INTO library (name) VALUES ($1)
     ON CONFLICT (name) DO UPDATE SET updated_at = now() RETURNING id::text`,
    [library],
  );
  const libraryId = libraryRow.rows[0]?.id;
  if (libraryId === undefined) throw new Error(`Could not create library "${library}"`);

  const authors = unique(
    records.flatMap((record) => record.authors).map((name) => ({ name, sort: authorSort(name), key: matchKey(name) })),
    (author) => author.key,
  );
  await client.query(
    `INSERT INTO author (name, sort, name_key)
     SELECT name, sort, key FROM jsonb_to_recordset($1::jsonb) AS x(name text, sort text, key text)
     ON CONFLICT (name_key) DO NOTHING`,
    [JSON.stringify(authors)],
  );
  const series = unique(
    records.flatMap((record) =>
      record.series ? [{ name: record.series.name, key: matchKey(record.series.name) }] : [],
    ),
    (item) => item.key,
  );
  await client.query(
    `INSERT INTO series (name, name_key)
     SELECT name, key FROM jsonb_to_recordset($1::jsonb) AS x(name text, key text)
     ON CONFLICT (name_key) DO NOTHING`,
    [JSON.stringify(series)],
  );
  const tags = [...new Set(records.flatMap((record) => record.subjects))];
  await client.query(`INSERT INTO tag (path) SELECT unnest($1::text[]) ON CONFLICT (path) DO NOTHING`, [tags]);

  const books = records.map((record) => ({
    source_id: record.sourceId,
    title: record.title,
    title_sort: titleSort(record.title),
    pub_year: record.year,
    languages: record.languages,
    audience: record.audience,
    page_count: record.pageCount,
    series_key: record.series ? matchKey(record.series.name) : null,
    series_index: record.series?.index ?? null,
    description_html: record.descriptionHtml,
    description_text: record.descriptionText,
  }));
  const before = await client.query<{ source_id: string; updated_at: Date }>(
    'SELECT source_id, updated_at FROM book WHERE library_id = $1',
    [libraryId],
  );
  const changed = await client.query<{ source_id: string; inserted: boolean }>(
    `INSERT INTO book (library_id, source_id, title, title_sort, pub_year, languages, audience, page_count,
                       series_id, series_index, description_html, description_text)
     SELECT $1, x.source_id, x.title, x.title_sort, x.pub_year, x.languages, x.audience, x.page_count,
            s.id, x.series_index, x.description_html, x.description_text
     FROM jsonb_to_recordset($2::jsonb) AS x(source_id text, title text, title_sort text, pub_year int,
          languages text[], audience text, page_count int, series_key text, series_index numeric,
          description_html text, description_text text)
     LEFT JOIN series s ON s.name_key = x.series_key
     ON CONFLICT (library_id, source_id) DO UPDATE SET
       title = EXCLUDED.title, title_sort = EXCLUDED.title_sort, pub_year = EXCLUDED.pub_year,
       languages = EXCLUDED.languages, audience = EXCLUDED.audience, page_count = EXCLUDED.page_count,
       series_id = EXCLUDED.series_id, series_index = EXCLUDED.series_index,
       description_html = EXCLUDED.description_html, description_text = EXCLUDED.description_text, updated_at = now()
     WHERE (book.title, book.title_sort, book.pub_year, book.languages, book.audience, book.page_count, book.series_id,
            book.series_index, book.description_html, book.description_text)
       IS DISTINCT FROM
           (EXCLUDED.title, EXCLUDED.title_sort, EXCLUDED.pub_year, EXCLUDED.languages, EXCLUDED.audience,
            EXCLUDED.page_count, EXCLUDED.series_id, EXCLUDED.series_index, EXCLUDED.description_html,
            EXCLUDED.description_text)
     RETURNING source_id, (xmax = 0) AS inserted`,
    [libraryId, JSON.stringify(books)],
  );

  const removed = await client.query('DELETE FROM book WHERE library_id = $1 AND NOT (source_id = ANY ($2::text[]))', [
    libraryId,
    records.map((record) => record.sourceId),
  ]);

  // Authors and subjects of every book of the library, as the source lists them now.
  const links = records.map((record) => ({
    source_id: record.sourceId,
    authors: record.authors.map(matchKey),
    tags: record.subjects,
  }));
  await client.query(
    `WITH wanted AS (
       SELECT b.id AS book_id, a.id AS author_id, (k.ordinality - 1)::smallint AS position
       FROM jsonb_to_recordset($2::jsonb) AS x(source_id text, authors text[])
       JOIN book b ON b.library_id = $1 AND b.source_id = x.source_id
       CROSS JOIN LATERAL unnest(x.authors) WITH ORDINALITY AS k(key, ordinality)
       JOIN author a ON a.name_key = k.key
     ), dropped AS (
       DELETE FROM book_author ba USING book b
       WHERE ba.book_id = b.id AND b.library_id = $1
         AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.book_id = ba.book_id AND w.author_id = ba.author_id)
     )
     INSERT INTO book_author (book_id, author_id, position) SELECT DISTINCT ON (book_id, author_id) * FROM wanted
     ON CONFLICT (book_id, author_id) DO UPDATE SET position = EXCLUDED.position`,
    [libraryId, JSON.stringify(links)],
  );
  await client.query(
    `WITH wanted AS (
       SELECT DISTINCT b.id AS book_id, t.id AS tag_id
       FROM jsonb_to_recordset($2::jsonb) AS x(source_id text, tags text[])
       JOIN book b ON b.library_id = $1 AND b.source_id = x.source_id
       CROSS JOIN LATERAL unnest(x.tags) AS k(path)
       JOIN tag t ON t.path = k.path
     ), dropped AS (
       DELETE FROM book_tag bt USING book b
       WHERE bt.book_id = b.id AND b.library_id = $1
         AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.book_id = bt.book_id AND w.tag_id = bt.tag_id)
     )
     INSERT INTO book_tag (book_id, tag_id) SELECT book_id, tag_id FROM wanted ON CONFLICT DO NOTHING`,
    [libraryId, JSON.stringify(links)],
  );

  await client.query('UPDATE library SET source_fingerprint = $2, updated_at = now() WHERE id = $1', [
    libraryId,
    fingerprint,
  ]);

  const inserted = changed.rows.filter((row) => row.inserted).length;
  const updated = changed.rows.length - inserted;
  const kept = before.rows.length - (removed.rowCount ?? 0);
  return { library, inserted, updated, unchanged: kept - updated, removed: removed.rowCount ?? 0 };
}
