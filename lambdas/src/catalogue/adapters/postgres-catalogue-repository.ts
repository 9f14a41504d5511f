/**
 * The catalogue as readers see it, in Postgres. Plain SQL over `pg`: the same statements run on PGlite,
 * PostgreSQL 15+ and Aurora. Withdrawn books are not listed, but a withdrawn book can still be fetched by id.
 *
 * Paging is keyset-based: a cursor carries the sort key of the last book shown, so pages stay stable while books are
 * added or withdrawn. Search is full-text over accent-folded text (`search_vector`), so "so do" finds "Số đỏ".
 * A book's cover key (migration 0008) becomes its public URL under `coversBaseUrl` (null without either).
 */
import type pg from 'pg';
import { ValidationError } from '../../shared/errors';
import type {
  Author,
  AuthorPage,
  BookDetail,
  BookPage,
  BookSummary,
  ListAuthorsQuery,
  ListBooksQuery,
  Series,
} from '../domain/book';
import { coverUrlOf } from '../domain/cover-url';
import { matchKey } from '../domain/names';
import type { CatalogueRepository } from '../ports';

interface BookRow {
  id: string;
  title: string;
  pub_year: number | null;
  languages: string[];
  description_text: string | null;
  authors: string[];
  subjects: string[];
  cover_key: string | null;
}

const summaryColumns = `b.id::text AS id, b.title, b.pub_year, b.languages, b.description_text, b.cover_key,
    coalesce((SELECT array_agg(a.name ORDER BY ba.position) FROM book_author ba JOIN author a ON a.id = ba.author_id
              WHERE ba.book_id = b.id), '{}') AS authors,
    coalesce((SELECT array_agg(t.path ORDER BY t.path) FROM book_tag bt JOIN tag t ON t.id = bt.tag_id
              WHERE bt.book_id = b.id), '{}') AS subjects`;

function toSummary(row: BookRow, coversBaseUrl: string | undefined): BookSummary & { coverUrl: string | null } {
  return {
    id: row.id,
    title: row.title,
    authors: row.authors,
    year: row.pub_year,
    languages: row.languages,
    subjects: row.subjects,
    description: row.description_text,
    coverUrl: coverUrlOf(row.cover_key, coversBaseUrl),
  };
}

type Cursor =
  | { readonly kind: 'title'; readonly sort: string; readonly id: string }
  | { readonly kind: 'rank'; readonly rank: string; readonly id: string }
  | { readonly kind: 'popular'; readonly weight: string; readonly id: string }
  | { readonly kind: 'added'; readonly at: string; readonly id: string };

/** How a listing is ordered: by relevance to `q`, or as `sort` asks. */
type Order = Cursor['kind'];

/** The ORDER BY of each order; every one ends with the id, so the order is total and keyset paging is stable. */
const orderBy: Record<Order, string> = {
  rank: 'rank_value DESC, b.id',
  title: 'b.title_sort, b.id',
  popular: 'popularity DESC, b.id',
  added: 'b.created_at DESC, b.id DESC',
};

/** Books without events have popularity 0 (the decayed weights of book_popularity, migration 0004). */
const popularity = 'coalesce(p.weight, 0)';

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, expected: Cursor['kind']): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (cursor.kind === expected && /^\d+$/.test(cursor.id)) return cursor;
  } catch {
    // fall through
  }
  throw new ValidationError('Invalid query string: cursor: not a cursor from this listing', [
    'cursor: not a cursor from this listing',
  ]);
}

/** The folded words as a tsquery, the last one as a prefix ("truyen ki" → 'truyen & ki:*'): search as you type. */
export function prefixQuery(text: string): string | null {
  const words = matchKey(text)
    .split(' ')
    .filter((word) => /^[\p{L}\p{N}]+$/u.test(word));
  if (words.length === 0) return null;
  return words.map((word, index) => (index === words.length - 1 ? `${word}:*` : word)).join(' & ');
}

/** A WHERE clause built from parts, with numbered parameters. */
class Conditions {
  private constructor(
    private readonly clauses: string[],
    readonly params: unknown[],
  ) {}

  static of(...clauses: string[]): Conditions {
    return new Conditions(clauses, []);
  }

  /** Adds a parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }

  copy(): Conditions {
    return new Conditions([...this.clauses], [...this.params]);
  }

  get where(): string {
    return this.clauses.length > 0 ? this.clauses.join(' AND ') : 'TRUE';
  }
}

const likePattern = (text: string) => text.replace(/[\\%_]/g, '\\$&');

export class PostgresCatalogueRepository implements CatalogueRepository {
  private readonly coversBaseUrl: string | undefined;

  constructor(
    private readonly pool: pg.Pool,
    options: { readonly coversBaseUrl?: string | undefined } = {},
  ) {
    this.coversBaseUrl = options.coversBaseUrl;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async listBooks(query: ListBooksQuery): Promise<BookPage> {
    const filters = Conditions.of('b.withdrawn_at IS NULL');
    if (query.language) filters.add(`${filters.param(query.language)}::text = ANY (b.languages)`);
    if (query.authorId) {
      filters.add(
        `EXISTS (SELECT 1 FROM book_author ba WHERE ba.book_id = b.id AND ba.author_id = ${filters.param(query.authorId)}::bigint)`,
      );
    }
    if (query.seriesId) filters.add(`b.series_id = ${filters.param(query.seriesId)}::bigint`);
    if (query.tag) {
      filters.add(
        `EXISTS (SELECT 1 FROM book_tag bt JOIN tag t ON t.id = bt.tag_id WHERE bt.book_id = b.id
           AND (t.path = ${filters.param(query.tag)} OR t.path LIKE ${filters.param(`${likePattern(query.tag)}.%`)}))`,
      );
    }
    if (query.yearFrom !== undefined) filters.add(`b.pub_year >= ${filters.param(query.yearFrom)}`);
    if (query.yearTo !== undefined) filters.add(`b.pub_year <= ${filters.param(query.yearTo)}`);

    let rank = 'NULL::real';
    if (query.q) {
      const prefix = prefixQuery(query.q);
      if (!prefix) return { items: [], total: 0, limit: query.limit, offset: query.offset, nextCursor: null };
      // Folded prefixes for "as you type" and accents; English stems for "runs" ~ "running".
      const folded = filters.param(matchKey(query.q));
      const tsquery = `(to_tsquery('simple', ${filters.param(prefix)}) || websearch_to_tsquery('english', ${folded}))`;
      filters.add(`b.search_vector @@ ${tsquery}`);
      // A title that is, or starts with, what was typed comes first.
      rank = `(ts_rank_cd(b.search_vector, ${tsquery}, 1) + CASE WHEN b.search_title = ${folded} THEN 4
        WHEN b.search_title LIKE ${folded} || '%' THEN 2 ELSE 0 END)::real`;
    }

    const order: Order = query.sort ?? (query.q ? 'rank' : 'title');
    const page = filters.copy();
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, order);
      const id = page.param(cursor.id);
      if (cursor.kind === 'rank') {
        const r = page.param(cursor.rank);
        page.add(`(${rank} < ${r}::real OR (${rank} = ${r}::real AND b.id > ${id}::bigint))`);
      } else if (cursor.kind === 'popular') {
        const w = page.param(cursor.weight);
        page.add(`(${popularity} < ${w}::float8 OR (${popularity} = ${w}::float8 AND b.id > ${id}::bigint))`);
      } else if (cursor.kind === 'added') {
        page.add(`(b.created_at, b.id) < (${page.param(cursor.at)}::timestamptz, ${id}::bigint)`);
      } else {
        page.add(`(b.title_sort, b.id) > (${page.param(cursor.sort)}::text, ${id}::bigint)`);
      }
    }
    const offset = query.cursor ? 0 : query.offset;
    const [rows, count] = await Promise.all([
      this.pool.query<BookRow & { title_sort: string; rank: string | null; weight: string; added_at: string }>(
        `SELECT ${summaryColumns}, b.title_sort, ${rank} AS rank_value, (${rank})::text AS rank,
           ${popularity} AS popularity, (${popularity})::text AS weight, b.created_at::text AS added_at
         FROM book b LEFT JOIN book_popularity p ON p.book_id = b.id
         WHERE ${page.where} ORDER BY ${orderBy[order]}
         LIMIT ${query.limit + 1} OFFSET ${offset}`,
        page.params,
      ),
      this.pool.query<{ total: string }>(
        `SELECT count(*)::text AS total FROM book b WHERE ${filters.where}`,
        filters.params,
      ),
    ]);
    const items = rows.rows.slice(0, query.limit);
    const last = items.at(-1);
    let nextCursor: string | null = null;
    if (rows.rows.length > query.limit && last) {
      const cursors: Record<Order, Cursor> = {
        rank: { kind: 'rank', rank: last.rank ?? '0', id: last.id },
        title: { kind: 'title', sort: last.title_sort, id: last.id },
        popular: { kind: 'popular', weight: last.weight, id: last.id },
        added: { kind: 'added', at: last.added_at, id: last.id },
      };
      nextCursor = encodeCursor(cursors[order]);
    }
    return {
      items: items.map((row) => toSummary(row, this.coversBaseUrl)),
      total: Number(count.rows[0]?.total ?? 0),
      limit: query.limit,
      offset,
      nextCursor,
    };
  }

  async getBook(id: string): Promise<BookDetail | undefined> {
    const found = await this.pool.query<
      BookRow & {
        title_sort: string;
        series: { id: string; name: string; index: number } | null;
        publisher: string | null;
        pubdate: string | null;
        rating: number | null;
        description_html: string | null;
        formats: string[];
        has_cover: boolean;
        audience: BookDetail['audience'];
        page_count: number | null;
        withdrawn: boolean;
        work_id: string | null;
        authors_detail: { id: string; name: string }[];
        identifiers: { type: string; value: string }[];
      }
    >(
      `SELECT ${summaryColumns}, b.title_sort,
         CASE WHEN s.id IS NULL THEN NULL
              ELSE json_build_object('id', s.id::text, 'name', s.name, 'index', b.series_index::float8) END AS series,
         p.name AS publisher, to_char(b.pubdate, 'YYYY-MM-DD') AS pubdate, b.rating::int AS rating, b.description_html,
         b.formats, b.has_cover, b.audience, b.page_count, b.withdrawn_at IS NOT NULL AS withdrawn, b.work_id::text,
         coalesce((SELECT json_agg(json_build_object('id', a.id::text, 'name', a.name) ORDER BY ba.position)
                   FROM book_author ba JOIN author a ON a.id = ba.author_id WHERE ba.book_id = b.id), '[]') AS authors_detail,
         coalesce((SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.type, i.value)
                   FROM book_identifier i WHERE i.book_id = b.id), '[]') AS identifiers
       FROM book b LEFT JOIN series s ON s.id = b.series_id LEFT JOIN publisher p ON p.id = b.publisher_id
       WHERE b.id = $1::bigint`,
      [id],
    );
    const row = found.rows[0];
    if (!row) return undefined;
    const editions = row.work_id
      ? await this.pool.query<{
          id: string;
          title: string;
          year: number | null;
          publisher: string | null;
          languages: string[];
        }>(
          `SELECT b.id::text, b.title, b.pub_year AS year, p.name AS publisher, b.languages
           FROM book b LEFT JOIN publisher p ON p.id = b.publisher_id
           WHERE b.work_id = $1::bigint AND b.id <> $2::bigint AND b.withdrawn_at IS NULL
           ORDER BY b.pub_year NULLS LAST, b.id`,
          [row.work_id, id],
        )
      : { rows: [] };
    return {
      ...toSummary(row, this.coversBaseUrl),
      titleSort: row.title_sort,
      authorsDetail: row.authors_detail,
      series: row.series,
      publisher: row.publisher,
      pubdate: row.pubdate,
      rating: row.rating,
      descriptionHtml: row.description_html,
      identifiers: row.identifiers,
      formats: row.formats,
      hasCover: row.has_cover,
      audience: row.audience,
      pageCount: row.page_count,
      withdrawn: row.withdrawn,
      editions: editions.rows,
    };
  }

  async listAuthors(query: ListAuthorsQuery): Promise<AuthorPage> {
    const conditions = Conditions.of();
    if (query.q) {
      conditions.add(
        `(a.name_key LIKE ${conditions.param(`%${likePattern(matchKey(query.q))}%`)}
          OR EXISTS (SELECT 1 FROM author_alias al WHERE al.author_id = a.id
                     AND al.alias ILIKE ${conditions.param(`%${likePattern(query.q)}%`)}))`,
      );
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, 'title');
      if (cursor.kind === 'title') {
        conditions.add(
          `(a.sort, a.id) > (${conditions.param(cursor.sort)}::text, ${conditions.param(cursor.id)}::bigint)`,
        );
      }
    }
    const rows = await this.pool.query<{
      id: string;
      name: string;
      sort: string;
      aliases: string[];
      book_count: number;
    }>(
      `SELECT a.id::text, a.name, a.sort,
         coalesce((SELECT array_agg(al.alias ORDER BY al.alias) FROM author_alias al WHERE al.author_id = a.id), '{}') AS aliases,
         (SELECT count(*)::int FROM book_author ba JOIN book b ON b.id = ba.book_id
          WHERE ba.author_id = a.id AND b.withdrawn_at IS NULL) AS book_count
       FROM author a WHERE ${conditions.where} ORDER BY a.sort, a.id LIMIT ${query.limit + 1}`,
      conditions.params,
    );
    const items = rows.rows.slice(0, query.limit).map((row): Author => ({
      id: row.id,
      name: row.name,
      sort: row.sort,
      aliases: row.aliases,
      bookCount: row.book_count,
    }));
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.rows.length > query.limit && last ? encodeCursor({ kind: 'title', sort: last.sort, id: last.id }) : null,
    };
  }

  async getSeries(id: string): Promise<Series | undefined> {
    const series = await this.pool.query<{ id: string; name: string }>(
      'SELECT id::text, name FROM series WHERE id = $1::bigint',
      [id],
    );
    const row = series.rows[0];
    if (!row) return undefined;
    const books = await this.pool.query<BookRow & { series_index: string }>(
      `SELECT ${summaryColumns}, b.series_index::text FROM book b
       WHERE b.series_id = $1::bigint AND b.withdrawn_at IS NULL ORDER BY b.series_index NULLS LAST, b.title_sort, b.id`,
      [id],
    );
    return {
      id: row.id,
      name: row.name,
      books: books.rows.map((book) => ({
        ...toSummary(book, this.coversBaseUrl),
        seriesIndex: Number(book.series_index),
      })),
    };
  }
}
