/**
 * `npm run eval:chat`; with options, from the root: `npm run eval:chat -w lambdas -- [--embedder
 * hashing|bedrock-titan[,…]] [--only <id prefix>] [--verbose]` (the root script does not forward them).
 *
 * Loads the demo catalogue (and the evaluation's own books) into an in-memory PGlite with pgvector, embeds it, runs
 * every labelled request of `requests.json` through the real `answerChat` use case with the offline composer, and
 * prints per category, per request language and overall: precision of the cited books, constraint satisfaction,
 * grounding, redirect accuracy, then Recall@10 and MRR of lexical-only, vector-only and hybrid retrieval, and the
 * issue's goals with met / not met. Exits with 1 when grounding is below 100% (a cited book not in the catalogue).
 *
 * `hashing` is the offline embedder (default); `bedrock-titan` needs AWS credentials with Bedrock access.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createEmbedder } from '../../src/chat/adapters/create-adapters';
import type { EmbedderSettings } from '../../src/chat/config';
import { startPostgres } from '@shelfwise/local/emulators/postgres';
import { categories, readEvalCatalogue, readEvalRequests, requestLanguages } from './eval-set';
import { answersTable, failures, figuresBy, retrievalTable, type GroupFigures } from './report';
import { evaluateRequest, prepareEvalDatabase, type RequestResult } from './run-eval';

const embedderSettings: Readonly<Record<string, EmbedderSettings>> = {
  hashing: { kind: 'hashing', dimension: 384 },
  'bedrock-titan': { kind: 'bedrock-titan', dimension: 1024 },
};

/** The targets (hybrid Recall@10 with the offline embedder, hybrid above both single methods). */
const recallTarget = 0.6;

function options() {
  const { values } = parseArgs({
    options: {
      embedder: { type: 'string', default: 'hashing' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run eval:chat -- [--embedder hashing|bedrock-titan[,…]] [--only <id prefix>] [--verbose]');
    process.exit(0);
  }
  const embedders = values.embedder.split(',').map((name) => name.trim());
  const unknown = embedders.find((name) => !embedderSettings[name]);
  if (unknown) throw new Error(`Unknown embedder "${unknown}": use ${Object.keys(embedderSettings).join(' or ')}`);
  return { embedders, only: values.only, verbose: values.verbose };
}

async function evaluate(embedderName: string, only: string | undefined): Promise<RequestResult[]> {
  const settings = embedderSettings[embedderName];
  if (!settings) throw new Error(`Unknown embedder ${embedderName}`);
  const embedder = createEmbedder(settings);
  const requests = (await readEvalRequests()).filter((request) => !only || request.id.startsWith(only));
  const catalogue = await readEvalCatalogue();
  const database = await startPostgres({ dataDir: undefined, port: 0 });
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    const started = performance.now();
    const context = await prepareEvalDatabase(pool, catalogue, embedder);
    console.log(
      `Catalogue: ${context.booksById.size} books loaded and embedded (${embedder.modelId}) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s; ${requests.length} requests.`,
    );
    const results: RequestResult[] = [];
    for (const request of requests) results.push(await evaluateRequest(context, request));
    return results;
  } finally {
    await pool.end();
    await database.stop();
  }
}

function goals(overall: GroupFigures, embedderName: string): { line: string; met: boolean; blocking: boolean }[] {
  const { lexical, vector, hybrid } = overall.recall;
  const lines = [
    {
      line: `grounding = 100% (every cited id is a catalogue book): ${(overall.grounded * 100).toFixed(1)}%`,
      met: overall.grounded === 1,
      blocking: true,
    },
    {
      line: `hybrid Recall@10 ≥ ${recallTarget} (${embedderName}): ${hybrid?.toFixed(3) ?? '—'}`,
      met: (hybrid ?? 0) >= recallTarget,
      blocking: false,
    },
    {
      line: `hybrid Recall@10 above lexical-only (${lexical?.toFixed(3) ?? '—'}) and vector-only (${vector?.toFixed(3) ?? '—'})`,
      met: (hybrid ?? 0) > (lexical ?? 0) && (hybrid ?? 0) > (vector ?? 0),
      blocking: false,
    },
  ];
  return lines;
}

async function main(): Promise<number> {
  const { embedders, only, verbose } = options();
  let exitCode = 0;
  for (const embedderName of embedders) {
    console.log(`\n## Chat evaluation — embedder ${embedderName}, offline composer\n`);
    const results = await evaluate(embedderName, only);
    const byCategory = figuresBy(results, (result) => result.request.category, categories);
    const byLanguage = figuresBy(results, (result) => result.request.language, requestLanguages).slice(0, -1);
    console.log('\nAnswers (answerChat):\n');
    console.log(answersTable([...byCategory.slice(0, -1), ...byLanguage, ...byCategory.slice(-1)]));
    console.log(`\nRetrieval (the answer's query replayed, top ${10}):\n`);
    console.log(retrievalTable([...byCategory.slice(0, -1), ...byLanguage, ...byCategory.slice(-1)]));
    const overall = byCategory.at(-1);
    if (!overall) continue;
    console.log('\nGoals:');
    for (const goal of goals(overall, embedderName)) {
      console.log(`  ${goal.met ? 'met    ' : 'NOT MET'}  ${goal.line}`);
      if (goal.blocking && !goal.met) exitCode = 1;
    }
    const failed = failures(results);
    if (failed.length > 0) {
      console.log(`\nRequests not passed (${failed.length}):`);
      for (const line of failed) console.log(`  ${line}`);
    }
    if (verbose) {
      console.log('\nEvery request:');
      for (const result of results) {
        console.log(`  ${result.request.id}: cited [${result.cited.join(', ')}] of ${result.relevantBooks} relevant`);
      }
    }
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
