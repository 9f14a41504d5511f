import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bookPageSchema, type BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';
import { startLocalRuntime, type LocalRuntime } from '@shelfwise/local/runtime';

import { openBrowser, type BrowserSession } from './browser';

/*
 * "Act on books and watch For you change", against the whole local system: the built app served by the local
 * runtime, events through the local Kinesis stream to the recommender, lists in the local DynamoDB. No model is
 * promoted (training takes a minute or more), so the lists are the recommender's fallbacks: popular for a new reader,
 * content-similar as soon as the reader opened a book, which is what the reader must see change.
 */

const distDir = fileURLToPath(new URL('../../dist', import.meta.url));
const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

/** Of the books on the first catalogue page, three that share the least common subject found three times there. */
function threeOfOneSubject(books: readonly BookSummary[]): { subject: string; books: BookSummary[] } {
  const bySubject = new Map<string, BookSummary[]>();
  for (const book of books) {
    for (const subject of book.subjects) bySubject.set(subject, [...(bySubject.get(subject) ?? []), book]);
  }
  const [subject, withIt] =
    [...bySubject].filter(([, group]) => group.length >= 3).sort((a, b) => a[1].length - b[1].length)[0] ?? [];
  if (!subject || !withIt) throw new Error('The first catalogue page has no subject with three books');
  return { subject, books: withIt.slice(0, 3) };
}

/** The "For you" list as the reader sees it: its recommendation id and the ids of the books it links to. */
async function readForYou(page: Page): Promise<{ recommendationId: string; bookIds: string[] }> {
  const list = page.getByRole('list', { name: 'For you' });
  await list.waitFor();
  return list.evaluate((element) => ({
    recommendationId: element.getAttribute('data-recommendation-id') ?? '',
    bookIds: [...element.querySelectorAll('a')].map((link) => link.getAttribute('href')?.split('/').at(-1) ?? ''),
  }));
}

describe('for you journey (whole local system)', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let browser: BrowserSession;

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, 'index.html'))) {
      throw new Error(`The web app is not built (${distDir}): run \`npm run build -w web\` first`);
    }
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-for-you-'));
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

  it('acts on three books of one subject and sees For you change without a reload', async () => {
    // Prepare: three books of one subject on the first catalogue page.
    const firstPage = bookPageSchema.parse(await (await fetch(`${runtime.apiUrl}/books?limit=24&offset=0`)).json());
    const { subject, books } = threeOfOneSubject(firstPage.items);
    const { page } = browser;

    // Act: a new reader opens the home page.
    await page.goto('/');
    const before = await readForYou(page);
    // A mark on the document: it survives in-app navigation, not a reload.
    await page.evaluate(() => document.documentElement.setAttribute('data-journey', 'one-document'));

    // Assess: a list, and a lasting anonymous reader id.
    expect(before.bookIds.length).toBeGreaterThan(0);
    const readerId = await page.evaluate(() => localStorage.getItem('shelfwise.readerId'));
    expect(readerId).toMatch(/^anon-[0-9a-f-]{36}$/);

    // Act: through the catalogue, open the three books of the subject, one after the other.
    for (const book of books) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click();
      const opened = page.waitForResponse(
        (response) => response.url().endsWith('/api/events') && response.request().method() === 'POST',
      );
      await page.getByRole('link', { name: book.title, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: book.title, exact: true }).waitFor();
      expect((await opened).status()).toBe(200);
      await page.getByRole('heading', { name: 'Similar books' }).waitFor();
    }

    // ...and goes back home.
    const backHomeAt = Date.now();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'For you' }).click();

    // Assess: within 2 s (plus the browser's own time), a new list that leaves the opened books out.
    const openedIds = books.map((book) => book.id);
    await page.waitForFunction(
      ({ previous, opened }) => {
        const list = document.querySelector('ul[data-recommendation-id]');
        const ids = [...(list?.querySelectorAll('a') ?? [])].map((link) =>
          link.getAttribute('href')?.split('/').at(-1),
        );
        return (
          list !== null &&
          list.getAttribute('data-recommendation-id') !== previous &&
          ids.length > 0 &&
          ids.every((id) => !opened.includes(id ?? ''))
        );
      },
      { previous: before.recommendationId, opened: openedIds },
      { timeout: 5_000, polling: 100 },
    );
    const refreshedInMs = Date.now() - backHomeAt;
    const after = await readForYou(page);
    console.log(`For you changed ${refreshedInMs} ms after coming back home (subject: ${subject})`);

    expect(after.recommendationId).not.toBe(before.recommendationId);
    expect(after.bookIds).not.toEqual(before.bookIds);
    expect(after.bookIds.filter((id) => openedIds.includes(id))).toEqual([]);
    expect(await page.getByRole('list', { name: 'For you' }).getAttribute('data-strategy')).not.toBe('popular');
    expect(await page.getByText(/^Like /).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-journey'))).toBe('one-document');
    expect(refreshedInMs).toBeLessThan(3_000);
    expect(browser.pageErrors).toEqual([]);

    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'for-you-journey.png'), fullPage: true });
  });
});
