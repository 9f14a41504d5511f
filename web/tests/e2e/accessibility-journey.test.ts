import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser } from './browser';
import { saveScreenshot, seriousAxeViolations, startJourney, type Journey } from './journey-support';

/*
 * Accessibility and themes against the whole local system: axe-core finds no serious or critical violation on the
 * home, catalogue, search, book and chat screens in both themes; a reader borrows a book with the keyboard only;
 * the dark theme is remembered; the pages fit a 360 px phone.
 */

/** Presses Tab until the focused element matches `selector` (and has `text`, when given); returns its text. */
async function tabTo(page: Page, { selector, text }: { selector: string; text?: string }, maxTabs = 40) {
  for (let tab = 0; tab < maxTabs; tab += 1) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(
      ({ selector, text }) => {
        const element = document.activeElement;
        const matches = element?.matches(selector) && (text === undefined || element.textContent === text);
        return matches ? (element?.textContent ?? '') : null;
      },
      { selector, text },
    );
    if (found !== null) return found;
  }
  throw new Error(`No ${selector} ${text ?? ''} focused after ${maxTabs} presses of Tab`);
}

/** The focused element's outline, to check that focus is visible. */
function focusOutline(page: Page) {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement ?? document.body);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
}

describe('accessibility journey (whole local system)', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('accessibility');
  });

  afterAll(async () => {
    await journey?.stop();
  });

  it('has no serious or critical axe violations on home, catalogue, search, book and chat, in both themes', async () => {
    const { page } = journey.browser;
    const report: Record<string, unknown> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // Home, with its "For you" list.
      await page.goto('/');
      await page.getByRole('list', { name: 'For you' }).waitFor();
      report[`home (${colorScheme})`] = await seriousAxeViolations(page);
      // Catalogue.
      await page.goto('/catalogue');
      await page.getByRole('navigation', { name: 'Pagination' }).waitFor();
      report[`catalogue (${colorScheme})`] = await seriousAxeViolations(page);
      // Search with results and filters.
      await page.goto('/search?q=truyen&language=vie');
      await page.getByRole('complementary', { name: 'Refine' }).waitFor();
      report[`search (${colorScheme})`] = await seriousAxeViolations(page);
      // A book, with its actions and similar books.
      await page.getByRole('link', { name: 'Truyện Kiều', exact: true }).click();
      await page.getByRole('heading', { name: 'Similar books' }).waitFor();
      await page.getByRole('list', { name: 'Similar books' }).waitFor();
      report[`book (${colorScheme})`] = await seriousAxeViolations(page);
      // The chat, with an answer.
      await page.getByRole('button', { name: 'Ask a librarian' }).click();
      const chat = page.getByRole('dialog', { name: 'Ask the library' });
      await chat.getByRole('textbox', { name: 'Your message' }).fill('a short detective story');
      await chat.getByRole('button', { name: 'Send' }).click();
      await chat.getByText('Written from our catalogue, without a language model').waitFor();
      report[`chat (${colorScheme})`] = await seriousAxeViolations(page);
      if (colorScheme === 'dark') await saveScreenshot(page, 'chat-dark', { fullPage: false });
      await page.keyboard.press('Escape');
    }
    await page.emulateMedia({ colorScheme: 'light' });

    expect(Object.entries(report).filter(([, violations]) => (violations as unknown[]).length > 0)).toEqual([]);
    expect(journey.browser.pageErrors).toEqual([]);
  });

  it('lets a keyboard-only reader open a book and borrow it, with focus always visible', async () => {
    // Prepare
    const { page } = journey.browser;
    await page.goto('/catalogue');
    await page.getByRole('navigation', { name: 'Pagination' }).waitFor();

    // Act: Tab to the first book and open it with Enter.
    const title = await tabTo(page, { selector: 'a.book-card__link' });
    expect(await focusOutline(page)).toEqual({ style: 'none', width: expect.any(Number) }); // the card shows focus…
    expect(
      await page.evaluate(() => getComputedStyle(document.activeElement!.closest('.book-card')!).outlineStyle),
    ).toBe('solid'); // …around the whole card
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();

    // Act: Tab to Borrow and press Enter, then to Want to read and press Enter.
    await tabTo(page, { selector: 'button', text: 'Borrow' });
    expect((await focusOutline(page)).style).toBe('solid');
    await page.keyboard.press('Enter');
    await page.getByText('You borrowed this book. Enjoy reading!').waitFor();
    await tabTo(page, { selector: 'button', text: 'Want to read' });
    expect((await focusOutline(page)).style).toBe('solid');
    await page.keyboard.press('Enter');

    // Assess
    await page.getByText('Added to your “Want to read” list.').waitFor();
    expect(await page.getByRole('button', { name: 'Borrowed' }).getAttribute('aria-disabled')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('✓On your list');
    await saveScreenshot(page, 'keyboard-journey', { fullPage: false });
    expect(journey.browser.pageErrors).toEqual([]);
  });

  it('switches to the dark theme, remembers it, and fits a 360 px phone in both themes', async () => {
    // Prepare: a phone.
    const phone = await openBrowser({ baseURL: journey.runtime.url, viewport: { width: 360, height: 740 } });
    try {
      const { page } = phone;
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto('/');
      await page.getByRole('list', { name: 'For you' }).waitFor();
      const fits = () =>
        page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
      expect(await fits()).toBe(true);
      await saveScreenshot(page, 'home-360');

      // Act: the reader picks the dark theme.
      await page.getByRole('button', { name: 'Dark theme' }).click();

      // Assess: dark colours, remembered after a reload.
      expect(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed')).toBe('true');
      await page.reload();
      await page.getByRole('list', { name: 'For you' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(22, 21, 20)');

      // Assess: the search and book pages fit too.
      await page.goto('/search?q=kieu');
      await page.getByRole('heading', { name: 'Truyện Kiều', exact: true }).waitFor();
      expect(await fits()).toBe(true);
      await saveScreenshot(page, 'search-360-dark');
      await page.getByRole('link', { name: 'Truyện Kiều', exact: true }).click();
      await page.getByRole('heading', { name: 'Similar books' }).waitFor();
      expect(await fits()).toBe(true);
      await saveScreenshot(page, 'book-360-dark');
      expect(phone.pageErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
