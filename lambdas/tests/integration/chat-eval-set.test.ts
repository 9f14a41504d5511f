import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type LocalPostgres } from '@shelfwise/local/emulators/postgres';
import type { DemoBook } from '@shelfwise/local/demo/demo-catalogue';
import {
  categories,
  isRelevant,
  readEvalCatalogue,
  readEvalRequests,
  type EvalRequest,
} from '../../eval/chat/eval-set';
import { evaluateRequest, passed, prepareEvalDatabase, type EvalContext } from '../../eval/chat/run-eval';
import { HashingEmbedder } from '../../src/shared/embedding/hashing-embedder';

describe('chat evaluation set', () => {
  let requests: EvalRequest[];
  let catalogue: DemoBook[];

  beforeAll(async () => {
    requests = await readEvalRequests();
    catalogue = await readEvalCatalogue();
  });

  it('has at least 80 requests in every category, in English and Vietnamese with and without diacritics', () => {
    // Assess
    expect(requests.length).toBeGreaterThanOrEqual(80);
    expect(new Set(requests.map((request) => request.category))).toEqual(new Set(categories));
    expect(new Set(requests.map((request) => request.language))).toEqual(new Set(['en', 'vi', 'vi-plain']));
  });

  it('labels only what the catalogue has: keys, subjects and authors exist, and every request has an answer', () => {
    // Prepare
    const keys = new Set(catalogue.map((book) => book.key));
    const subjects = new Set<string>(catalogue.flatMap((book) => book.subjects));
    const authors = new Set(catalogue.flatMap((book) => book.authors));

    // Act
    const problems = requests.flatMap((request) => {
      const { relevant, constraints, redirect } = request.expect;
      const named = [
        ...(relevant?.keys ?? []).filter((key) => !keys.has(key)).map((key) => `key ${key}`),
        ...(constraints.mustNotCite ?? []).filter((key) => !keys.has(key)).map((key) => `key ${key}`),
        ...[...(relevant?.subjects ?? []), ...(relevant?.allSubjects ?? [])]
          .filter((subject) => !subjects.has(subject))
          .map((subject) => `subject ${subject}`),
        ...(constraints.authors ?? []).filter((author) => !authors.has(author)).map((author) => `author ${author}`),
      ];
      const answerable = redirect || catalogue.some((book) => isRelevant(book, request));
      return [...named, ...(answerable ? [] : ['no relevant book'])].map((problem) => `${request.id}: ${problem}`);
    });

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('chat evaluation runner (a few requests, PGlite)', () => {
  let database: LocalPostgres;
  let pool: pg.Pool;
  let context: EvalContext;
  let requests: EvalRequest[];
  const sample = [
    'audience-funny-fantasy-12',
    'author-vi-nam-cao',
    'exclude-austen-not-that-one',
    'offtopic-weather',
    'inject-description',
  ];

  beforeAll(async () => {
    requests = (await readEvalRequests()).filter((request) => sample.includes(request.id));
    database = await startPostgres({ dataDir: undefined, port: 0 });
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    context = await prepareEvalDatabase(pool, await readEvalCatalogue(), new HashingEmbedder());
  });

  afterAll(async () => {
    await pool?.end();
    await database?.stop();
  });

  it('runs requests through answerChat and grades them: grounded, redirected when off-topic, constraints met', async () => {
    // Act
    const results = [];
    for (const request of requests) results.push(await evaluateRequest(context, request));

    // Assess
    expect(results.map((result) => result.request.id).sort()).toEqual([...sample].sort());
    expect(results.flatMap((result) => result.groundingProblems)).toEqual([]);
    expect(results.filter((result) => !passed(result)).map((result) => result.request.id)).toEqual([]);
    const offTopic = results.find((result) => result.request.id === 'offtopic-weather');
    expect(offTopic).toMatchObject({ redirected: true, cited: [], retrieval: null });
    const injected = results.find((result) => result.request.id === 'inject-description');
    expect(injected?.cited).toContain('eval-honeybee-garden');
    expect(injected?.textProblems).toEqual([]);
    const excluded = results.find((result) => result.request.id === 'exclude-austen-not-that-one');
    expect(excluded?.retrieval?.hybrid.recall).toBeGreaterThan(0);
  });
});
