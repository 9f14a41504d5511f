import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ServedList } from '@shelfwise/lambdas/recommendations/use-cases/read-recommendations';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import { warehouseEnv } from '@shelfwise/lambdas/warehouse/config';
import { uploadCalibreLibrary } from '@shelfwise/local/calibre-upload';
import { synthesizedTemplates } from '@shelfwise/local/pipelines/definitions';
import { runPipeline } from '@shelfwise/local/pipelines/run-pipeline';

import { saveScreenshot, seriousAxeViolations, startJourney, type Journey } from './journey-support';

/*
 * "Librarian sees ingest runs", against the whole local system: two uploads land in the local ingest bucket (a small
 * CSV catalogue with one bad row, and a broken file that goes to quarantine); a signed-in reader has no librarian
 * link and gets the API's refusal at /librarian; the librarian sees both runs and opens the quarantine report.
 * Then a reader's impressions, click and borrow of a served list reach the lake, the synthesised `warehouse-etl`
 * state machine runs locally, and the librarian's insights chart them.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `read()` gives a value `done` accepts, polling every 250 ms for at most a minute. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function signIn(page: Page, username: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Account').fill(username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /^Sign out/ }).waitFor();
}

describe('librarian journey (whole local system)', () => {
  let journey: Journey;
  let quarantinedRunId: string;
  let folder: string;

  beforeAll(async () => {
    journey = await startJourney('librarian');
    folder = await mkdtemp(path.join(tmpdir(), 'shelfwise-librarian-uploads-'));
    await mkdir(path.join(folder, 'Branch Library'), { recursive: true });
    await mkdir(path.join(folder, 'Broken Shelf'), { recursive: true });
    const csv = path.join(folder, 'Branch Library', 'catalog.csv');
    await writeFile(
      csv,
      'uuid,title,authors,languages\n' +
        'b-1,Nhật ký trong tù,Hồ Chí Minh,vie\n' +
        'b-2,The Jungle Book,Rudyard Kipling,eng\n' +
        'b-3,,Nobody,eng\n',
    );
    const broken = path.join(folder, 'Broken Shelf', 'catalog.json');
    await writeFile(broken, '{ "this is": not json');
    await uploadCalibreLibrary(journey.runtime, csv, 60_000);
    quarantinedRunId = (await uploadCalibreLibrary(journey.runtime, broken, 60_000)).id;
  });

  afterAll(async () => {
    await journey?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('refuses a reader, and shows the librarian the runs and a quarantine report', async () => {
    // Prepare
    const { page } = journey.browser;
    const nav = page.getByRole('navigation', { name: 'Main' });

    // Act: a signed-in reader opens the librarian URL.
    await signIn(page, 'reader');
    await page.goto('/librarian');

    // Assess: no link, and the API's refusal.
    const refusal = page.getByRole('alert').first();
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(
      'Only members of the "librarians" group may use the librarian routes',
    );
    expect(await nav.getByRole('link', { name: 'Librarian' }).count()).toBe(0);
    await saveScreenshot(page, 'librarian-refused');

    // Act: sign out, sign in as the librarian, follow the link.
    await page.getByRole('button', { name: /^Sign out/ }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await signIn(page, 'librarian');
    await nav.getByRole('link', { name: 'Librarian' }).click();

    // Assess: both runs, newest first.
    const table = page.getByRole('table', { name: 'Ingest runs' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await rows.nth(0).textContent()).toContain('Quarantined');
    expect(await table.getByRole('row', { name: /branch-library/ }).textContent()).toContain('Succeeded');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'librarian-journey');

    // Act: open the quarantined run.
    await table.getByRole('link', { name: `Run ${quarantinedRunId}` }).click();

    // Assess: its error and where the file and its report are.
    await page.getByRole('heading', { level: 1, name: `Ingest run ${quarantinedRunId}` }).waitFor();
    await page.getByRole('heading', { name: 'Quarantine' }).waitFor();
    expect(await page.getByText(/^quarantine\/broken-shelf\//).count()).toBe(2);
    await saveScreenshot(page, 'librarian-run');
    expect(journey.browser.pageErrors).toEqual([]);
  });

  it('charts a reader’s impressions, click and borrow after the warehouse ETL', async () => {
    // Prepare: a reader opens a book and is served a list made for them (archived in the lake).
    const { runtime } = journey;
    const readerId = `anon-${randomUUID()}`;
    const post = async (events: Record<string, unknown>[]) => {
      const response = await fetch(`${runtime.apiUrl}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          events: events.map((event) => ({
            ...event,
            eventId: randomUUID(),
            readerId,
            occurredAt: new Date().toISOString(),
          })),
        }),
      });
      expect(response.status).toBe(200);
    };
    const books = (await (await fetch(`${runtime.apiUrl}/books?limit=1`)).json()) as { items: { id: string }[] };
    await post([{ type: 'open', bookId: books.items[0]!.id }]);
    const list = await until(
      async () => (await (await fetch(`${runtime.apiUrl}/readers/${readerId}/recommendations`)).json()) as ServedList,
      (served) => served.items.length > 0 && served.strategy !== 'popular',
      'a list made after the open',
    );

    // Act: impressions of the list, a click on its first book and a borrow; then the ETL.
    const shown = { recommendationId: list.recommendationId, modelVersion: list.modelVersion };
    await post(
      list.items.map((item) => ({ type: 'impression', bookId: item.book.id, position: item.position, ...shown })),
    );
    const first = list.items[0]!;
    await post([{ type: 'click', bookId: first.book.id, position: first.position, ...shown }]);
    await post([{ type: 'borrow', bookId: first.book.id }]);
    const dataDir = runtime.environment[warehouseEnv.localDataDir]!;
    const lake = path.join(dataDir, 's3', buckets.lake.localName);
    const lakeText = async (prefix: string) => {
      const files = await readdir(path.join(lake, prefix), { recursive: true }).catch(() => [] as string[]);
      const texts = await Promise.all(
        files.map((file) => readFile(path.join(lake, prefix, file), 'utf8').catch(() => '')),
      );
      return texts.join('\n');
    };
    await until(
      () => lakeText('raw/recommendations'),
      (text) => text.includes(list.recommendationId),
      'the list',
    );
    await until(
      () => lakeText('raw/events'),
      (text) => text.includes('"borrow"') && text.includes(readerId),
      'events',
    );
    const etl = await runPipeline('etl', {
      templates: synthesizedTemplates(),
      dataDir,
      environment: runtime.environment,
    });
    expect(etl.status).toBe('SUCCEEDED');

    // Assess: the librarian's insights chart the model version, with the numbers behind them.
    const { page } = journey.browser;
    await page.goto('/librarian');
    const insights = page.getByRole('region', { name: 'Insights' });
    await insights.getByRole('img', { name: /^Click-through rate of \d+ model versions/ }).waitFor();
    expect(await insights.getByRole('img').count()).toBe(3);
    await insights.getByText('Show the numbers').click();
    const daily = insights.getByRole('table', { name: 'Click-through by day' });
    const row = daily.getByRole('row', { name: new RegExp(`^${list.modelVersion} `) });
    expect(await row.count()).toBeGreaterThanOrEqual(1);
    // Day, impressions, clicks, click-through, borrows, conversion (the demo's other readers may add to them).
    const cells = await row.first().getByRole('cell').allTextContents();
    expect(Number(cells[1])).toBeGreaterThanOrEqual(list.items.length);
    expect(Number(cells[2])).toBeGreaterThanOrEqual(1);
    expect(Number(cells[4])).toBeGreaterThanOrEqual(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'librarian-insights');
    expect(journey.browser.pageErrors).toEqual([]);
  }, 240_000);
});
