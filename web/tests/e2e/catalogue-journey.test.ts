import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bookPageSchema } from '@shelfwise/lambdas/catalogue/domain/book';
import { startLocalRuntime, type LocalRuntime } from '@shelfwise/local/runtime';

import { openBrowser, type BrowserSession } from './browser';

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
});
