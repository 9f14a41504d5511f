import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { localAccounts } from '@shelfwise/local/identity/token-issuer';
import { startLocalRuntime, type LocalRuntime } from '@shelfwise/local/runtime';

import { openBrowser, type BrowserSession } from './browser';
import { saveScreenshot, seriousAxeViolations } from './journey-support';

/*
 * "Borrow an e-book, read it, pick up where you left off on another device", against the whole local system: the
 * printed reader borrows a demo book whose EPUB the project made (stored through the ingest's book-file use case),
 * turns a few pages in Chromium, then signs in on a second browser and lands on the same page; another account is
 * refused the loan's file; the loan expires (its due time moved into the past in the database) and the book no
 * longer opens, and the signed URL handed out before dies with its short lifetime.
 */

const distDir = fileURLToPath(new URL('../../dist', import.meta.url));
/** Short-lived signed URLs, so that the test can see one die. */
const urlTtlSeconds = 12;
const viewport = { width: 1100, height: 900 };

async function signIn(page: Page, account: 'reader' | 'librarian') {
  await page.goto('/sign-in');
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: /^Sign out/ }).waitFor();
}

/** The reader's place as the reader page shows it, once the book has been laid out and located. */
async function placeOf(page: Page): Promise<{ location: string; progress: number }> {
  const reader = page.locator('.reader[data-location^="epubcfi("]');
  await reader.waitFor();
  return reader.evaluate((element) => ({
    location: element.getAttribute('data-location') ?? '',
    progress: Number(element.getAttribute('data-progress')),
  }));
}

describe('reading journey (whole local system)', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let first: BrowserSession;
  let second: BrowserSession;
  let pool: pg.Pool;
  let bookId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-reading-journey-'));
    runtime = await startLocalRuntime({
      dataDir,
      port: 0,
      servicePorts: { postgres: 0, s3: 0, kinesis: 0, dynamodb: 0 },
      reset: false,
      demoCatalogue: true,
      webDist: distDir,
      environment: { BOOK_FILES_URL_TTL_SECONDS: String(urlTtlSeconds) },
    });
    first = await openBrowser({ baseURL: runtime.url, viewport });
    second = await openBrowser({ baseURL: runtime.url, viewport });
    pool = new pg.Pool({ connectionString: runtime.environment.DATABASE_URL, max: 1 });
    const search = await fetch(`${runtime.apiUrl}/books?q=${encodeURIComponent('Pride and Prejudice')}&limit=1`);
    bookId = ((await search.json()) as { items: { id: string }[] }).items[0]!.id;
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    await first?.close();
    await second?.close();
    await runtime?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('borrows, reads a few pages, and picks up on the same page on a second browser', async () => {
    // Act: the reader signs in, borrows the e-book and opens it.
    const { page } = first;
    await signIn(page, 'reader');
    await page.goto(`/books/${bookId}`);
    await page.getByRole('heading', { level: 1, name: 'Pride and Prejudice' }).waitFor();
    const borrowed = page.waitForResponse((r) => r.url().endsWith(`/loans`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Borrow e-book' }).click();
    const loanId = String(((await (await borrowed).json()) as { id: string }).id);
    await saveScreenshot(page, 'reading-journey-borrowed');
    const fileAnswer = page.waitForResponse((r) => r.url().endsWith(`/loans/${loanId}/file`));
    await page.getByRole('link', { name: 'Read', exact: true }).click();
    const signedUrl = String(((await (await fileAnswer).json()) as { url: string }).url);
    const opened = await placeOf(page);

    // Act: three pages on (and one back and forth with the keys); the last place is saved to the account.
    const places = [opened.location];
    for (let turn = 0; turn < 3; turn++) {
      await page.getByRole('button', { name: /Next page/ }).click();
      await expect.poll(async () => (await placeOf(page)).location).not.toBe(places.at(-1));
      places.push((await placeOf(page)).location);
    }
    // The arrow keys turn pages too: back one, and forward again.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await placeOf(page)).location).toBe(places[2]);
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await placeOf(page)).location).toBe(places[3]);
    await expect
      .poll(async () => {
        const response = await fetch(`${runtime.apiUrl}/readers/${localAccounts.reader.sub}/loans/${loanId}/progress`, {
          headers: { authorization: `Bearer ${await runtime.identity.issue({ sub: localAccounts.reader.sub })}` },
        });
        return ((await response.json()) as { progress: { location: string } | null }).progress?.location;
      })
      .toBe(places.at(-1));
    const reading = await placeOf(page);
    const violations = await seriousAxeViolations(page);
    await saveScreenshot(page, 'reading-journey');

    // Act: the same reader on another browser.
    await signIn(second.page, 'reader');
    await second.page.goto(`/books/${bookId}`);
    await second.page.getByRole('link', { name: 'Read', exact: true }).click();
    const elsewhere = await placeOf(second.page);
    await saveScreenshot(second.page, 'reading-journey-second-browser');

    // Assess
    expect(opened.location).toMatch(/^epubcfi\(/);
    expect(new Set(places).size).toBe(4);
    expect(violations).toEqual([]);
    expect(reading.progress).toBeGreaterThan(0);
    expect(elsewhere.location).toBe(reading.location);
    await expect
      .poll(async () =>
        second.page
          .getByRole('status')
          .filter({ hasText: /% read/ })
          .textContent(),
      )
      .toMatch(/[1-9]\d*% read/);
    const text = await second.page.frameLocator('.epub-view iframe').locator('body').textContent();
    expect(text).toContain('Pride and Prejudice');
    expect(first.pageErrors).toEqual([]);
    expect(second.pageErrors).toEqual([]);

    // Act: another account asks for the loan's file, in the app and through the API.
    await second.page.getByRole('button', { name: /^Sign out/ }).click();
    await signIn(second.page, 'librarian');
    await second.page.goto(`/read/${loanId}`);
    await second.page.getByRole('alert').waitFor();
    await saveScreenshot(second.page, 'reading-journey-refused');
    const asOther = await second.page.evaluate(
      async ({ owner, other, loan }) => {
        const { accessToken } = JSON.parse(localStorage.getItem('shelfwise.session') ?? '{}') as {
          accessToken: string;
        };
        const headers = { authorization: `Bearer ${accessToken}` };
        const statuses = [];
        for (const reader of [owner, other]) {
          statuses.push((await fetch(`/api/readers/${reader}/loans/${loan}/file`, { headers })).status);
        }
        return statuses;
      },
      { owner: localAccounts.reader.sub, other: localAccounts.librarian.sub, loan: loanId },
    );

    // Assess
    expect(asOther).toEqual([403, 403]);
    expect(await second.page.getByRole('alert').textContent()).toMatch(/belongs to another account/);

    // Act: the loan expires.
    await pool.query(
      `UPDATE loan SET borrowed_at = now() - interval '15 days', due_at = now() - interval '1 minute' WHERE id = $1`,
      [loanId],
    );
    await page.reload();
    await page.getByRole('alert').waitFor();
    const endedNotice = await page.getByRole('alert').textContent();
    await saveScreenshot(page, 'reading-journey-ended');
    await page.goto(`/books/${bookId}`);
    await page.getByRole('button', { name: 'Borrow e-book' }).waitFor();
    await new Promise((resolve) => setTimeout(resolve, urlTtlSeconds * 1000));
    const oldUrl = await fetch(signedUrl);

    // Assess
    expect(await page.getByRole('link', { name: 'Read', exact: true }).count()).toBe(0);
    expect(endedNotice).toMatch(/This loan has ended/);
    expect(oldUrl.status).toBe(403);
  }, 180_000);
});
