/**
 * `npm run bench:web`: the reader web app's budgets, measured.
 * 1. Initial JavaScript: every chunk `dist/index.html` loads before the first render (entry + modulepreloads),
 *    gzipped, one line each; the lazy chunks (search page, chat panel) are listed apart. Goal: ≤ 170 KB in all.
 * 2. Largest Contentful Paint and Cumulative Layout Shift in Chromium, on the whole local system (`npm start`'s
 *    runtime), for the home (a new reader, and a returning one with "Because you read"), search and book pages: each
 *    page loaded RUNS times in a fresh browser profile (cold cache), read with a PerformanceObserver in the page. Goals: LCP ≤ 1.5 s, CLS ≤ 0.05 (the median must pass).
 * Prints the figures with their goals and writes them to web/BENCH-RESULTS.md with the machine and its load.
 * Run `npm run build -w web` first (the npm script does).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { startLocalRuntime } from '@shelfwise/local/runtime';

import { SHELF_STORAGE_KEY, type ShelfEntry } from '../src/features/shelf/utils/shelf-record';
import { READER_ID_STORAGE_KEY } from '../src/lib/reader-id';
import { CHROMIUM_PATH, openBrowser } from '../tests/e2e/browser';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = path.join(webDir, 'dist');
const resultsFile = path.join(webDir, 'BENCH-RESULTS.md');
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5);
const GOALS = { initialJsKb: 170, lcpMs: 1500, cls: 0.05 };

interface Chunk {
  file: string;
  gzipKb: number;
  initial: boolean;
}

async function measureChunks(): Promise<Chunk[]> {
  const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const initial = new Set(
    [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/?([^"]+\.js)"/g)].map(
      (match) => match[1]!,
    ),
  );
  const assets = (await readdir(path.join(distDir, 'assets'))).filter((file) => file.endsWith('.js'));
  const chunks = await Promise.all(
    assets.map(async (file) => {
      const relative = `assets/${file}`;
      const gzipped = gzipSync(await readFile(path.join(distDir, relative)), { level: 9 });
      return { file: relative, gzipKb: gzipped.length / 1024, initial: initial.has(relative) };
    }),
  );
  return chunks.sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzipKb - a.gzipKb);
}

interface Vitals {
  lcpMs: number;
  cls: number;
}

/** Collects LCP (the last candidate) and CLS (the largest session window, as web-vitals counts it). */
const observeVitals = () => {
  const state = { lcp: 0, cls: 0, session: 0, sessionStart: 0, last: 0 };
  (window as unknown as { __vitals: typeof state }).__vitals = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.lcp = entry.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (entry.hadRecentInput) continue;
      const newSession = entry.startTime - state.last > 1000 || entry.startTime - state.sessionStart > 5000;
      if (newSession) {
        state.session = 0;
        state.sessionStart = entry.startTime;
      }
      state.session += entry.value;
      state.last = entry.startTime;
      state.cls = Math.max(state.cls, state.session);
    }
  }).observe({ type: 'layout-shift', buffered: true });
};

/** What a reader who opened `bookId` before has in localStorage: their id and that act on their shelf. */
function returningReader(bookId: string): Record<string, string> {
  const readerId = 'anon-5f0c9a7e-2b4d-4c1e-8a3f-6d7e8f9a0b1c';
  const opened: ShelfEntry = { readerId, bookId, type: 'open', at: new Date().toISOString() };
  return { [READER_ID_STORAGE_KEY]: readerId, [SHELF_STORAGE_KEY]: JSON.stringify([opened]) };
}

/** Loads `url` and waits for every `ready` selector; `storage` is put in localStorage first (a returning reader). */
async function measurePage(
  baseURL: string,
  url: string,
  ready: readonly string[],
  storage: Record<string, string> = {},
): Promise<Vitals> {
  const browser = await openBrowser({ baseURL, viewport: { width: 1280, height: 900 } });
  try {
    await browser.context.addInitScript((items: Record<string, string>) => {
      for (const [key, value] of Object.entries(items)) localStorage.setItem(key, value);
    }, storage);
    await browser.context.addInitScript(observeVitals);
    await browser.page.goto(url);
    for (const selector of ready) await browser.page.locator(selector).first().waitFor({ timeout: 15_000 });
    await browser.page.waitForTimeout(1000); // late shifts and a late, larger paint
    const vitals = await browser.page.evaluate(
      () => (window as unknown as { __vitals: { lcp: number; cls: number } }).__vitals,
    );
    return { lcpMs: vitals.lcp, cls: vitals.cls };
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const pass = (ok: boolean) => (ok ? 'ok' : 'OVER');

async function main() {
  const chunks = await measureChunks();
  const initialKb = chunks.filter((chunk) => chunk.initial).reduce((sum, chunk) => sum + chunk.gzipKb, 0);
  console.log('JavaScript, gzipped (level 9):');
  for (const chunk of chunks) {
    console.log(`  ${chunk.initial ? 'initial' : 'lazy   '}  ${chunk.gzipKb.toFixed(1).padStart(6)} KB  ${chunk.file}`);
  }
  console.log(
    `  initial total ${initialKb.toFixed(1)} KB (goal ≤ ${GOALS.initialJsKb} KB): ${pass(initialKb <= GOALS.initialJsKb)}`,
  );

  const loadBefore = os.loadavg();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'shelfwise-bench-web-'));
  const runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    servicePorts: { postgres: 0, s3: 0, kinesis: 0, dynamodb: 0 },
    reset: false,
    demoCatalogue: true,
    webDist: distDir,
  });
  const rows: { page: string; url: string; lcp: number[]; cls: number[] }[] = [];
  try {
    const books = (await (await fetch(`${runtime.apiUrl}/books?limit=1`)).json()) as {
      items: { id: string }[];
    };
    const first = books.items[0]!;
    const pages = [
      {
        page: 'home',
        url: '/',
        ready: ['ul[data-recommendation-id]', '[data-row="from-the-catalogue"] ul[aria-labelledby]'],
      },
      {
        // A reader who opened a book before: the home page also has "Because you read <it>".
        page: 'home (returning)',
        url: '/',
        ready: ['ul[data-recommendation-id]', '[data-row="because-you-read"] ul[aria-labelledby]'],
        storage: returningReader(first.id),
      },
      { page: 'search', url: '/search?q=truyen+kieu', ready: ['.book-card'] },
      { page: 'book', url: `/books/${first.id}`, ready: ['#book-title'] },
    ];
    // One warm-up load, so that the first run does not pay for the runtime's cold lambdas.
    for (const { url, ready, storage } of pages) await measurePage(runtime.url, url, ready, storage);
    for (const { page, url, ready, storage } of pages) {
      const row = { page, url, lcp: [] as number[], cls: [] as number[] };
      for (let run = 0; run < RUNS; run += 1) {
        const vitals = await measurePage(runtime.url, url, ready, storage);
        row.lcp.push(vitals.lcpMs);
        row.cls.push(vitals.cls);
      }
      rows.push(row);
    }
  } finally {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg();

  console.log(`\nChromium, 1280×900, fresh profile per load, ${RUNS} loads per page (median / worst):`);
  const table = rows.map(({ page, url, lcp, cls }) => {
    const lcpMedian = median(lcp);
    const clsMedian = median(cls);
    const line = {
      page,
      url,
      lcp: `${lcpMedian.toFixed(0)} / ${Math.max(...lcp).toFixed(0)} ms`,
      cls: `${clsMedian.toFixed(3)} / ${Math.max(...cls).toFixed(3)}`,
      lcpOk: lcpMedian <= GOALS.lcpMs,
      clsOk: clsMedian <= GOALS.cls,
    };
    console.log(
      `  ${page.padEnd(16)} LCP ${line.lcp.padEnd(18)} (goal ≤ ${GOALS.lcpMs} ms): ${pass(line.lcpOk)}   CLS ${line.cls} (goal ≤ ${GOALS.cls}): ${pass(line.clsOk)}`,
    );
    return line;
  });

  const chromium = execFileSync(CHROMIUM_PATH, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
  const cpus = os.cpus();
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const markdown = `# Web budgets (\`npm run bench:web\`)

Measured ${new Date().toISOString()} on ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB,
${os.type()} ${os.release()}, Node ${process.version}, ${chromium}.
Load average (1, 5, 15 min): ${load(loadBefore)} before, ${load(loadAfter)} after (the machine is shared).

## Initial JavaScript (gzipped, level 9), goal ≤ ${GOALS.initialJsKb} KB

| chunk | loaded | gzipped |
|---|---|---|
${chunks.map((chunk) => `| \`${chunk.file}\` | ${chunk.initial ? 'initially' : 'on demand'} | ${chunk.gzipKb.toFixed(1)} KB |`).join('\n')}
| **initial total** | | **${initialKb.toFixed(1)} KB** (${pass(initialKb <= GOALS.initialJsKb)}) |

## Largest Contentful Paint and Cumulative Layout Shift, goals ≤ ${GOALS.lcpMs} ms and ≤ ${GOALS.cls}

Chromium (headless) on the whole local system (\`startLocalRuntime\`, demo catalogue), 1280×900, a fresh profile (cold
cache) for each of ${RUNS} loads per page after one warm-up load; PerformanceObserver in the page; median / worst.

| page | URL | LCP | CLS |
|---|---|---|---|
${table.map((row) => `| ${row.page} | \`${row.url}\` | ${row.lcp} (${pass(row.lcpOk)}) | ${row.cls} (${pass(row.clsOk)}) |`).join('\n')}
`;
  // Formatted as `npm run format:check` expects (prettier aligns the tables).
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(resultsFile)) ?? {};
  await writeFile(resultsFile, await prettier.format(markdown, { ...options, parser: 'markdown' }));
  console.log(`\nWrote ${path.relative(process.cwd(), resultsFile)}`);
  const failed = initialKb > GOALS.initialJsKb || table.some((row) => !row.lcpOk || !row.clsOk);
  process.exitCode = failed ? 1 : 0;
}

await main();
