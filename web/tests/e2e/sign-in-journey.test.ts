import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { localAccounts } from '@shelfwise/local/identity/token-issuer';

import { saveScreenshot, startJourney, type Journey } from './journey-support';

/*
 * "Sign in merges the anonymous history", against the whole local system and its token issuer: an anonymous reader
 * opens and borrows books until "For you" follows them, signs in as the printed reader account, and "For you" (now
 * the account's, read with the token) still reflects what they did; My shelf says who is signed in; signing out
 * brings back the anonymous reader.
 */

interface ShownList {
  strategy: string | null;
  bookIds: string[];
}

async function readForYou(page: Page): Promise<ShownList> {
  const list = page.getByRole('list', { name: 'For you' });
  await list.waitFor();
  return list.evaluate((element) => ({
    strategy: element.getAttribute('data-strategy'),
    bookIds: [...element.querySelectorAll('a')].map((link) => link.getAttribute('href')?.split('/').at(-1) ?? ''),
  }));
}

async function apiList(journey: Journey, readerId: string): Promise<{ strategy: string; bookIds: string[] }> {
  const response = await fetch(`${journey.runtime.apiUrl}/readers/${readerId}/recommendations`);
  const list = (await response.json()) as { strategy: string; items: { book: { id: string } }[] };
  return { strategy: list.strategy, bookIds: list.items.map((item) => item.book.id) };
}

describe('sign-in journey (whole local system)', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('sign-in');
  });

  afterAll(async () => {
    await journey?.stop();
  });

  it('signs in as the printed reader and keeps the anonymous history in For you', async () => {
    // Prepare
    const { page } = journey.browser;
    const nav = page.getByRole('navigation', { name: 'Main' });
    const reader = localAccounts.reader;

    // Act: an anonymous reader opens two books "For you" offers, borrowing the first.
    await page.goto('/');
    const anonymousId = await page.evaluate(() => localStorage.getItem('shelfwise.readerId'));
    expect(anonymousId).toMatch(/^anon-/);
    const opened: string[] = [];
    for (const position of [0, 1]) {
      const link = page.getByRole('list', { name: 'For you' }).getByRole('link').nth(position);
      opened.push((await link.getAttribute('href'))?.split('/').at(-1) ?? '');
      await link.click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      if (position === 0) await page.getByRole('button', { name: 'Borrow', exact: true }).click();
      const sent = page.waitForResponse((r) => r.url().endsWith('/api/events') && r.request().method() === 'POST');
      expect((await sent).status()).toBe(200);
      await nav.getByRole('link', { name: 'For you' }).click();
    }
    // The recommender has read both acts: its list is not popular and leaves both books out.
    await expect
      .poll(
        async () => {
          const list = await apiList(journey, anonymousId ?? '');
          return list.strategy !== 'popular' && !list.bookIds.some((id) => opened.includes(id));
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.reload();
    const before = await readForYou(page);
    expect(before.strategy).not.toBe('popular');

    // Act: sign in as the printed reader.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Account').fill('reader');
    const merged = page.waitForResponse((r) => r.url().endsWith(`/api/readers/${reader.sub}/merge`));
    const accountRead = page.waitForResponse(
      (r) => r.url().endsWith(`/api/readers/${reader.sub}/recommendations`) && r.status() === 200,
    );
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Assess: the merge went with the token and the anonymous id; the reader is the account now.
    const merge = await merged;
    expect(merge.status()).toBe(200);
    expect(merge.request().headers().authorization).toMatch(/^Bearer ey/);
    expect(merge.request().postDataJSON()).toEqual({ anonymousId });
    await page.getByRole('heading', { name: 'For you' }).waitFor();
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem('shelfwise.session') ?? 'null'));
    expect(session).toMatchObject({ sub: reader.sub, username: reader.username });

    // Assess: "For you" is the account's, read with the token, and still reflects the anonymous acts.
    const read = await accountRead;
    expect(read.request().headers().authorization).toMatch(/^Bearer /);
    const after = await readForYou(page);
    expect(after.strategy).not.toBe('popular');
    expect(after.bookIds.filter((id) => opened.includes(id))).toEqual([]);
    expect(await page.getByRole('button', { name: `Sign out (signed in as ${reader.username})` }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Librarian' }).count()).toBe(0);
    await saveScreenshot(page, 'sign-in-journey');

    // Act: My shelf.
    await nav.getByRole('link', { name: 'My shelf' }).click();

    // Assess: it says who is signed in, and the history followed the account.
    await page.getByText(`Signed in as ${reader.username}`, { exact: false }).waitFor();
    expect(await page.getByRole('list', { name: 'Recent history' }).getByText('Borrowed').count()).toBe(1);
    await saveScreenshot(page, 'sign-in-shelf');

    // Act: sign out.
    await page.getByRole('button', { name: /^Sign out/ }).click();

    // Assess: anonymous again, with the same anonymous id.
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('shelfwise.session'))).toBeNull();
    expect(await page.evaluate(() => localStorage.getItem('shelfwise.readerId'))).toBe(anonymousId);
    expect(journey.browser.pageErrors).toEqual([]);
  });
});
