/**
 * The two ranked lists of hybrid retrieval, in Postgres: kNN over `book_embedding` (pgvector HNSW, cosine) and
 * full-text over `book.search_vector` (accent-folded simple and English-stemmed). Both apply the same filters and
 * never return withdrawn books. Fusion happens in the use case.
 */
import type pg from 'pg';
import { authorKey } from '../../catalogue/domain/author-names';
import { matchKey } from '../../catalogue/domain/names';
import type { BookCard, ChatFilters, RetrievalQuery } from '../domain/chat';
import type { BookSearch, RankedBook } from '../ports';
import { vectorLiteral } from './postgres-book-embeddings';

interface CardRow {
  id: string;
  title: string;
  pub_year: number | null;
  languages: string[];
  subjects: string[];
  authors: string[];
  audience: BookCard['audience'];
  page_count: number | null;
  rating: number | null;
  description_text: string | null;
}

const cardColumns = `b.id::text AS id, b.title, b.pub_year, b.languages, b.audience, b.page_count, b.rating::int AS rating,
  b.description_text,
  coalesce((SELECT array_agg(a.name ORDER BY ba.position) FROM book_author ba JOIN author a ON a.id = ba.author_id
            WHERE ba.book_id = b.id), '{}') AS authors,
  coalesce((SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
            WHERE bt.book_id = b.id), '{}') AS subjects`;

/** The columns of a ranked list's rows: the id and the rating that breaks fusion ties. */
const rankedColumns = `b.id::text AS id, b.rating::int AS rating`;

interface RankedRow {
  id: string;
  rating: number | null;
}

const toRanked = (row: RankedRow): RankedBook => ({ id: row.id, rating: row.rating });

function toCard(row: CardRow): BookCard {
  return {
    id: row.id,
    title: row.title,
    authors: row.authors,
    year: row.pub_year,
    languages: row.languages,
    subjects: row.subjects,
    audience: row.audience,
    pageCount: row.page_count,
    rating: row.rating,
    description: row.description_text,
  };
}

const likePattern = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** Most books that pass a kNN query's filters for an exact search instead of the HNSW index. */
export const exactSearchMax = 2000;

/** "+ 0" hides the ordering from the HNSW index, so the exact search is a plain sort of the filtered books. */
const exactOrder = (distance: string) => `(${distance}) + 0`;

/** The filters as SQL over `book b`, with their parameters numbered from `params.length + 1`. */
export function filterSql(filters: ChatFilters, params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const clauses = ['b.withdrawn_at IS NULL'];
  if (filters.languages?.length) clauses.push(`b.languages && ${param(filters.languages)}::text[]`);
  if (filters.audiences?.length) clauses.push(`b.audience = ANY (${param(filters.audiences)}::text[])`);
  if (filters.maxPages !== undefined) clauses.push(`b.page_count <= ${param(filters.maxPages)}::int`);
  if (filters.minPages !== undefined) clauses.push(`b.page_count >= ${param(filters.minPages)}::int`);
  // Tags and author are written as "id IN (the few matching tags' or authors' books)", so the planner finds those
  // first and hashes them, rather than testing a correlated subquery on every book.
  if (filters.tags?.length) {
    const tags = param(filters.tags);
    clauses.push(`b.id IN (SELECT bt.book_id FROM book_tag bt WHERE bt.tag_id IN (
      SELECT t.id FROM tag t WHERE t.path = ANY (${tags}::text[]) OR EXISTS (SELECT 1 FROM unnest(${tags}::text[]) p(path)
        WHERE t.path LIKE replace(replace(replace(p.path, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '.%')))`);
  }
  if (filters.author) {
    // The same key as the writer's `author.name_key`: "H. G. Wells" and "h g wells" → "hg wells".
    const key = authorKey(filters.author);
    clauses.push(`b.id IN (SELECT ba.book_id FROM book_author ba WHERE ba.author_id IN (
      SELECT a.id FROM author a WHERE a.name_key LIKE ${param(`%${likePattern(key)}%`)}
      UNION SELECT al.author_id FROM author_alias al WHERE al.alias ILIKE ${param(`%${likePattern(filters.author)}%`)}))`);
  }
  if (filters.excludeIds?.length) clauses.push(`NOT (b.id = ANY (${param(filters.excludeIds)}::bigint[]))`);
  return clauses.join(' AND ');
}

/** The request's folded words, each once, space-separated ('funny fantasy'); null when it has none. */
export function searchWords(text: string): string | null {
  const words = [...new Set(matchKey(text).split(' '))].filter((word) => /^[\p{L}\p{N}]{2,}$/u.test(word));
  return words.length > 0 ? words.join(' ') : null;
}

/**
 * SQL of the OR tsquery for the words in `param` (a scalar sub-select, evaluated once per query): the folded words as
 * they are (the `simple` configuration, as `search_vector` indexes them) and their English stems, each lexeme once,
 * any of them may match. Words that English counts as stop words ("with", "the", "about") are left out of the simple
 * side, unless every word is one: they match a fifth of the catalogue and tell nothing, and each matching book costs a
 * rank computation (the "words only" requests of `npm run bench:search` were 2–3× slower with them).
 */
export function anyWordTsquery(param: string): string {
  return `(SELECT coalesce(string_agg(quote_literal(l.lexeme), ' | '), '')::tsquery FROM (
      SELECT w.lexeme FROM unnest(tsvector_to_array(to_tsvector('simple', ${param}))) AS w(lexeme)
       WHERE to_tsvector('english', w.lexeme) <> ''::tsvector
          OR NOT EXISTS (SELECT 1 FROM unnest(tsvector_to_array(to_tsvector('english', ${param}))))
      UNION SELECT unnest(tsvector_to_array(to_tsvector('english', ${param})))) AS l(lexeme))`;
}

export class PostgresBookSearch implements BookSearch {
  constructor(private readonly pool: pg.Pool) {}

  async nearest(vector: Float32Array, modelId: string, query: RetrievalQuery): Promise<RankedBook[]> {
    const dimension = vector.length;
    if (!Number.isInteger(dimension) || dimension < 1) return [];
    const params: unknown[] = [vectorLiteral(vector), modelId];
    const where = filterSql(query.filters, params);
    const filtered = where !== 'b.withdrawn_at IS NULL';
    const limit = Math.trunc(query.limit);
    const distance = `e.embedding::vector(${dimension}) <=> $1::vector(${dimension})`;
    // Few books pass the filters (an author, a rare language): the exact distance over them is cheaper, and exact,
    // where the HNSW walk would visit most of the graph to find them.
    let exact = false;
    if (filtered) {
      const countParams: unknown[] = [];
      const counted = await this.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM book b WHERE ${filterSql(query.filters, countParams)}
         LIMIT ${exactSearchMax + 1}) c`,
        countParams,
      );
      exact = (counted.rows[0]?.n ?? 0) <= exactSearchMax;
    }
    // Otherwise filters are applied while walking the graph: keep walking until enough books pass them (pgvector 0.8).
    const settings = exact ? [] : ['SET LOCAL hnsw.iterative_scan = relaxed_order', 'SET LOCAL hnsw.ef_search = 100'];
    const rows = await this.inTransaction(settings, (client) =>
      client.query<RankedRow & { distance: number }>(
        `SELECT ${rankedColumns}, n.distance FROM (
           SELECT e.book_id, ${distance} AS distance
           FROM book_embedding e JOIN book b ON b.id = e.book_id
           WHERE e.model_id = $2 AND e.dimension = ${dimension} AND ${where}
           ORDER BY ${exact ? exactOrder(distance) : distance}
           LIMIT ${limit}
         ) n JOIN book b ON b.id = n.book_id
         ORDER BY n.distance, b.id`,
        params,
      ),
    );
    return rows.rows.map(toRanked);
  }

  async lexical(query: RetrievalQuery): Promise<RankedBook[]> {
    const params: unknown[] = [];
    const words = searchWords(query.text);
    if (!words) {
      const where = filterSql(query.filters, params);
      const rows = await this.pool.query<RankedRow>(
        `SELECT ${rankedColumns} FROM book b WHERE ${where}
         ORDER BY b.rating DESC NULLS LAST, b.id LIMIT ${Math.trunc(query.limit)}`,
        params,
      );
      return rows.rows.map(toRanked);
    }
    const severalSubjects = (query.filters.tags?.length ?? 0) > 1;
    params.push(words, ...(severalSubjects ? [query.filters.tags] : []));
    const tsquery = anyWordTsquery('$1');
    const where = filterSql(query.filters, params);
    // Books with more of the requested subjects first ("funny fantasy": Fantasy and Humor before Fantasy alone); with
    // one subject or none every match counts the same, so the per-book count is skipped.
    const subjectHits = severalSubjects
      ? `(SELECT count(*) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
            WHERE bt.book_id = b.id AND t.path = ANY ($2::text[])) DESC, `
      : '';
    // The planner prices "@@" as cheap and scans the whole table when many books match any word, unpacking every
    // tsvector; through the GIN index only the matching ones are read (3× faster on 10,000 goodbooks books). Not with
    // an author: the author names are scanned (LIKE '%…%'), and forbidding scans then gives far worse plans.
    const settings = query.filters.author ? [] : ['SET LOCAL enable_seqscan = off'];
    const rows = await this.inTransaction(settings, (client) =>
      client.query<RankedRow>(
        `SELECT ${rankedColumns} FROM book b
         WHERE b.search_vector @@ ${tsquery} AND ${where}
         ORDER BY ${subjectHits}ts_rank(b.search_vector, ${tsquery}, 1) DESC, b.rating DESC NULLS LAST, b.id
         LIMIT ${Math.trunc(query.limit)}`,
        params,
      ),
    );
    return rows.rows.map(toRanked);
  }

  async cards(ids: readonly string[]): Promise<BookCard[]> {
    if (ids.length === 0) return [];
    const rows = await this.pool.query<CardRow>(
      `SELECT ${cardColumns} FROM book b WHERE b.id = ANY ($1::bigint[]) AND b.withdrawn_at IS NULL`,
      [ids],
    );
    const byId = new Map(rows.rows.map((row) => [row.id, toCard(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * Runs `act` in a transaction after the `SET LOCAL` statements given. BEGIN and the settings go in one simple-query
   * message (one round trip, not one each: on PGlite every round trip waits for the single database thread).
   */
  private async inTransaction<T>(settings: readonly string[], act: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(['BEGIN', ...settings].join('; '));
      const result = await act(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async tagPaths(): Promise<readonly string[]> {
    const rows = await this.pool.query<{ path: string }>('SELECT path FROM tag ORDER BY path');
    return rows.rows.map((row) => row.path);
  }
}
