/**
 * What the search benchmark measures on one loaded, embedded database: `retrieveBooks` (the hybrid retrieval the chat
 * use case runs: embed the words, kNN and full text with the request's filters, fused by reciprocal rank) for each
 * kind of reader request, and the floor in the same run, interleaved with it: the bare full-text query (the request's
 * words as an OR tsquery over `search_vector` through its GIN index, ranked, no filter, no card columns; in a
 * transaction with the same `SET LOCAL enable_seqscan = off` as the adapter) and the bare kNN query (the nearest 50
 * embeddings through the HNSW index, no filter, no join). Every query is run once per round, in the same order,
 * after warm-up rounds that are not counted.
 */
import type pg from 'pg';
import { anyWordTsquery, PostgresBookSearch, searchWords } from '../src/chat/adapters/postgres-book-search';
import { vectorLiteral } from '../src/chat/adapters/postgres-book-embeddings';
import { understandRequest } from '../src/chat/domain/request-rules';
import { retrieveBooks } from '../src/chat/use-cases/retrieve-books';
import type { Embedder } from '../src/shared/embedding/embedder';

/** Reader requests by kind; each is understood by the chat rules before the clock starts. */
export const requestsByKind: Readonly<Record<string, readonly string[]>> = {
  'words only': [
    'a dark psychological thriller with a twist',
    'epic fantasy with dragons and a long quest',
    'a love story set in paris',
    'space opera with aliens and robots',
    'a ghost story in an old house',
    'the history of the second world war',
    'a memoir about growing up poor',
    'a detective solving a murder in a small town',
  ],
  'words + filters': [
    'a funny fantasy for a 12-year-old',
    'a romance for teenagers',
    'science fiction for kids',
    'a short mystery',
    'historical fiction in English',
    'a scary horror novel for a 16 year old',
    'poetry in French',
    'a classic adventure for children',
  ],
  author: [
    'books by Stephen King',
    'something by Jane Austen',
    'novels by Agatha Christie',
    'anything by J.K. Rowling',
    'books by Neil Gaiman',
    'a fantasy by Terry Pratchett',
    'by Author 12',
    'something by Nora Roberts',
  ],
  vietnamese: [
    'sách trinh thám',
    'truyen tinh yeu',
    'tiểu thuyết kỳ ảo cho thiếu nhi',
    'tho tieng viet',
    'truyện phiêu lưu',
    'sach lich su chien tranh',
    'truyện ngắn của Thạch Lam',
    'khoa học viễn tưởng',
  ],
};

export const floorKinds = ['floor: full text', 'floor: kNN'] as const;

export interface Timings {
  /** Milliseconds per query kind (and per floor), in the order measured. */
  readonly samples: ReadonlyMap<string, readonly number[]>;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

interface Prepared {
  readonly kind: string;
  run(): Promise<unknown>;
}

/** Runs every request and the floor queries for `rounds` rounds after `warmup` rounds; returns the timings. */
export async function measureSearch(
  pool: pg.Pool,
  embedder: Embedder,
  options: { rounds: number; warmup: number },
): Promise<Timings> {
  const search = new PostgresBookSearch(pool);
  const tagPaths = await search.tagPaths();
  const prepared: Prepared[] = [];
  for (const [kind, messages] of Object.entries(requestsByKind)) {
    for (const message of messages) {
      const understood = understandRequest(message, tagPaths);
      const query = { text: understood.text, filters: understood.filters, limit: 5 };
      prepared.push({ kind, run: () => retrieveBooks({ search, embedder }, query) });
    }
  }
  const dimension = embedder.dimension;
  for (const message of requestsByKind['words only'] ?? []) {
    const words = searchWords(message) ?? message;
    const [vector] = await embedder.embed([message]);
    const literal = vectorLiteral(vector ?? new Float32Array(dimension));
    prepared.push({
      kind: 'floor: full text',
      run: async () => {
        // Through the GIN index, as the adapter asks for it (a transaction-local setting).
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('SET LOCAL enable_seqscan = off');
          await client.query(
            `SELECT id FROM book WHERE search_vector @@ ${anyWordTsquery('$1')}
             ORDER BY ts_rank(search_vector, ${anyWordTsquery('$1')}, 1) DESC LIMIT 50`,
            [words],
          );
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
    });
    prepared.push({
      kind: 'floor: kNN',
      run: () =>
        pool.query(
          `SELECT book_id FROM book_embedding WHERE model_id = $2 AND dimension = ${dimension}
           ORDER BY embedding::vector(${dimension}) <=> $1::vector(${dimension}) LIMIT 50`,
          [literal, embedder.modelId],
        ),
    });
  }
  const samples = new Map<string, number[]>();
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    for (const query of prepared) {
      const started = performance.now();
      await query.run();
      const elapsed = performance.now() - started;
      if (round < options.warmup) continue;
      const list = samples.get(query.kind) ?? [];
      list.push(elapsed);
      samples.set(query.kind, list);
    }
  }
  return { samples };
}
