import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { uploadCalibreLibrary } from '@shelfwise/local/calibre-upload';

import { saveScreenshot, seriousAxeViolations, startJourney, type Journey } from './journey-support';

/*
 * "Librarian sees ingest runs", against the whole local system: two uploads land in the local ingest bucket (a small
 * CSV catalogue with one bad row, and a broken file that goes to quarantine); a signed-in reader has no librarian
 * link and gets the API's refusal at /librarian; the librarian sees both runs and opens the quarantine report.
 */

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
    const refusal = page.getByRole('alert');
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
});
