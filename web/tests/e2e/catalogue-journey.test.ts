import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bookPageSchema } from '@shelfwise/lambdas/catalogue/domain/book';
import { startLocalRuntime, type LocalRuntime } from '@shelfwise/local/runtime';

import { openBrowser, type BrowserSession } from './browser';
import { saveScreenshot } from './journey-support';

/*
 * The reader's first journey against the whole system as `npm start` runs it: the built web app served by the local
 * runtime, its API invoking the real catalogue handler, the demo catalogue in PGlite.
 */

const distDir = fileURLToPath(new URL('../../dist', import.meta.url));

describe('catalogue journey (whole local system)', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let browser: BrowserSession;

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, 'index.html'))) {
      throw new Error(`The web app is not built (${distDir}): run \`npm run build -w web\` first`);
    }
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-journey-'));
    runtime = await startLocalRuntime({
      dataDir,
      port: 0,
      servicePorts: { postgres: 0, s3: 0, kinesis: 0, dynamodb: 0 },
      reset: false,
      demoCatalogue: true,
      webDist: distDir,
    });
    browser = await openBrowser({ baseURL: runtime.url, viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the demo catalogue, opens a book and pages on', async () => {
    // Prepare: what the API says the first two pages hold.
    const firstPage = bookPageSchema.parse(await (await fetch(`${runtime.apiUrl}/books?limit=24&offset=0`)).json());
    const secondPage = bookPageSchema.parse(await (await fetch(`${runtime.apiUrl}/books?limit=24&offset=24`)).json());
    const { page } = browser;
    const opened = firstPage.items[2]!;

    // Act + Assess: the reader sees the first page of the catalogue.
    await page.goto('/catalogue');
    await page.getByRole('heading', { name: firstPage.items[0]!.title, exact: true }).waitFor();
    await page.getByText(`Page 1 of ${Math.ceil(firstPage.total / 24)}`).waitFor();

    // ...opens a book and reads its description.
    await page.getByRole('link', { name: opened.title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: opened.title, exact: true }).waitFor();
    await page.getByText(opened.description!.slice(0, 40)).waitFor();

    // ...comes back and goes to the next page.
    await page.getByRole('link', { name: 'Back to the catalogue' }).click();
    await page.getByRole('link', { name: 'Next' }).click();
    await page.getByRole('heading', { name: secondPage.items[0]!.title, exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    expect(browser.pageErrors).toEqual([]);
  });

  it('searches without accents, narrows by language, opens a book and comes back to the same results', async () => {
    // Prepare: what the API finds for the words typed without accents.
    const found = bookPageSchema.parse(
      await (await fetch(`${runtime.apiUrl}/books?q=${encodeURIComponent('truyen kieu')}&limit=20`)).json(),
    );
    expect(found.items.map((book) => book.title)).toContain('Truyện Kiều');
    const { page } = browser;

    // Act: the reader types "truyen kieu" in the header's search box.
    await page.goto('/catalogue');
    await page.getByRole('search').getByRole('searchbox', { name: 'Search the catalogue' }).fill('truyen kieu');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();

    // Assess: the search page, its state in the URL, the book with its accents.
    await page.getByRole('heading', { level: 1, name: 'Search the catalogue' }).waitFor();
    await page.getByRole('heading', { name: 'Truyện Kiều', exact: true }).waitFor();
    await page.getByText(`${found.total} ${found.total === 1 ? 'result' : 'results'} for “truyen kieu”`).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('truyen kieu');

    // Act: narrows to Vietnamese books.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('vie');
    await page.getByRole('link', { name: 'Remove filter: Language: Vietnamese' }).waitFor();
    await page.getByRole('heading', { name: 'Truyện Kiều', exact: true }).waitFor();
    const resultsUrl = page.url();
    expect(new URL(resultsUrl).searchParams.get('language')).toBe('vie');
    await saveScreenshot(page, 'search-journey');

    // Act: opens the book, then goes back to the results.
    await page.getByRole('link', { name: 'Truyện Kiều', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Truyện Kiều', exact: true }).waitFor();
    await page.getByText('Nguyễn Du').first().waitFor();
    await page.getByRole('link', { name: 'Back to the search results' }).click();

    // Assess: the same search, and the same results when the URL is opened afresh (it can be shared).
    await page.getByRole('heading', { name: 'Truyện Kiều', exact: true }).waitFor();
    expect(page.url()).toBe(resultsUrl);
    const shared = await browser.context.newPage();
    await shared.goto(resultsUrl);
    await shared.getByRole('heading', { name: 'Truyện Kiều', exact: true }).waitFor();
    expect(await shared.getByRole('searchbox', { name: 'Words to search for' }).inputValue()).toBe('truyen kieu');
    await shared.close();
    expect(browser.pageErrors).toEqual([]);
  });
});
