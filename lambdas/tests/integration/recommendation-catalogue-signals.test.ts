import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresCatalogueWriter } from '../../src/catalogue/adapters/postgres-catalogue-writer';
import { loadLibrary } from '../../src/catalogue/use-cases/load-library';
import { PostgresBookEmbeddings } from '../../src/chat/adapters/postgres-book-embeddings';
import { embedBooks } from '../../src/chat/use-cases/embed-books';
import { migrateToLatest } from '../../src/platform/db/migrate';
import {
  PostgresCatalogueSignals,
  popularityWeight,
} from '../../src/recommendations/adapters/postgres-catalogue-signals';
import { HashingEmbedder } from '../../src/shared/embedding/hashing-embedder';
import { databaseTargets, type TestDatabase } from '../support/databases';
import { book } from '../support/records';

const embedder = new HashingEmbedder();

const library = [
  book({
    sourceId: 'dragons-1',
    title: 'Dragon Riders of the North',
    authors: ['Ada Flint'],
    subjects: ['Fantasy', 'Dragons'],
    series: { name: 'Riders', index: 1 },
    descriptionText: 'Young dragon riders fly over frozen mountains to fight a dark sorcerer.',
  }),
  book({
    sourceId: 'dragons-2',
    title: 'Dragon Riders of the South',
    authors: ['Ada Flint'],
    subjects: ['Fantasy', 'Dragons'],
    series: { name: 'Riders', index: 2 },
    descriptionText: 'The dragon riders fly south over deserts to find the sorcerer hiding among dragons.',
  }),
  book({
    sourceId: 'dragons-3',
    title: 'Dragon Riders of the East',
    authors: ['Ada Flint'],
    subjects: ['Fantasy', 'Dragons'],
    series: { name: 'Riders', index: 3 },
    descriptionText: 'Dragon riders cross the eastern sea.',
  }),
  book({
    sourceId: 'wyrm',
    title: 'The Last Wyrm',
    authors: ['Bo Hale'],
    subjects: ['Fantasy', 'Dragons'],
    descriptionText: 'A dragon rider and the last dragon fly against a sorcerer over the mountains.',
  }),
  book({
    sourceId: 'flint-cookbook',
    title: 'Cooking with Fire',
    authors: ['Ada Flint'],
    subjects: ['Cooking'],
    rating: 8,
    descriptionText: 'Recipes for open fires, grills and ovens.',
  }),
  book({
    sourceId: 'soup',
    title: 'Winter Soups',
    authors: ['Cy Pot'],
    subjects: ['Cooking'],
    rating: 10,
    descriptionText: 'Soups and stews for cold evenings: recipes from a kitchen in the mountains.',
  }),
  book({
    sourceId: 'gone',
    title: 'A Withdrawn Dragon Book',
    authors: ['Bo Hale'],
    subjects: ['Fantasy', 'Dragons'],
    descriptionText: 'Dragon riders and a sorcerer, fly over mountains.',
  }),
];

describe.each(databaseTargets)('recommendation catalogue signals on $name', (target) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let signals: PostgresCatalogueSignals;
  const id = new Map<string, string>();

  beforeAll(async () => {
    database = await target.create();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    await migrateToLatest(pool);
    const writer = new PostgresCatalogueWriter(pool);
    await loadLibrary(writer, 'test', library);
    await embedBooks({ store: new PostgresBookEmbeddings(pool), embedder });
    // Withdraw one book by loading the library again without it.
    await loadLibrary(
      writer,
      'test',
      library.filter((entry) => entry.sourceId !== 'gone'),
    );
    const rows = await pool.query<{ source_id: string; id: string }>('SELECT source_id, id::text AS id FROM book');
    for (const row of rows.rows) id.set(row.source_id, row.id);
    signals = new PostgresCatalogueSignals(pool, { modelId: embedder.modelId, dimension: embedder.dimension });
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const ids = (...keys: string[]) => keys.map((key) => id.get(key)!);

  it('ranks popular books by decayed event weight, then rating, never withdrawn ones', async () => {
    const before = await signals.popular(10);
    expect(before.map((entry) => entry.bookId).slice(0, 2)).toEqual(ids('soup', 'flint-cookbook'));
    expect(before.map((entry) => entry.bookId)).not.toContain(id.get('gone'));

    // Three weight units a week ago count for less than two today (τ = 7 days: 3·e^-1 ≈ 1.10 < 2).
    await signals.addPopularity(new Map([[id.get('wyrm')!, 3]]), new Date(Date.now() - 7 * 24 * 3600 * 1000));
    await signals.addPopularity(new Map([[id.get('dragons-2')!, 2]]), new Date());
    await signals.addPopularity(new Map([[id.get('gone')!, 100]]), new Date());

    const after = await signals.popular(3);
    expect(after.map((entry) => entry.bookId)).toEqual(ids('dragons-2', 'wyrm', 'soup'));
    expect(after[0]!.score).toBeCloseTo(popularityWeight(2, new Date()), -Math.log10(after[0]!.score) + 6);
  });

  it('finds the content neighbours of liked books, interleaved per source, skipping what it must', async () => {
    const similar = await signals.similarInContent(ids('dragons-1', 'soup'), 4, new Set(ids('dragons-2')));

    const books = similar.map((entry) => entry.bookId);
    expect(books).not.toContain(id.get('dragons-1'));
    expect(books).not.toContain(id.get('dragons-2'));
    expect(books).not.toContain(id.get('gone'));
    expect(similar[0]).toMatchObject({ becauseBookId: id.get('dragons-1') });
    expect(similar[1]).toMatchObject({ becauseBookId: id.get('soup') });
    expect(books.slice(0, 4)).toContain(id.get('wyrm'));
  });

  it('answers the next volumes of the series first, then the same author', async () => {
    const siblings = await signals.sameAuthorOrSeries(id.get('dragons-2')!, 10, new Set());

    expect(siblings.map((entry) => [entry.bookId, entry.reason.kind])).toEqual([
      [id.get('dragons-3'), 'same-series'],
      [id.get('dragons-1'), 'same-series'],
      [id.get('flint-cookbook'), 'same-author'],
    ]);
  });

  it('tells which ids are available catalogue books', async () => {
    const available = await signals.availableBooks([...ids('wyrm', 'gone'), '999999', 'not-an-id']);

    expect([...available]).toEqual(ids('wyrm'));
  });

  it('gives the embeddings of books a model does not know, with summaries for answers', async () => {
    const known = new Set(ids('dragons-1', 'dragons-2', 'dragons-3', 'wyrm', 'flint-cookbook'));

    const fresh = await signals.embeddingsExcept(embedder, known);
    const summaries = await signals.summaries(ids('soup'));

    expect(fresh.map((entry) => entry.bookId)).toEqual(ids('soup'));
    expect(fresh[0]!.vector).toHaveLength(embedder.dimension);
    expect(summaries.get(id.get('soup')!)).toMatchObject({ title: 'Winter Soups', authors: ['Cy Pot'] });
  });
});
