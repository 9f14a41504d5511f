import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bookPageSchema } from '@shelfwise/lambdas/catalogue/domain/book';

import { openBrowser } from './browser';
import { saveScreenshot, seriousAxeViolations, startJourney, type Journey } from './journey-support';

/*
 * The home page's rows and the book page's extras, against the whole local system: a new reader sees "For you",
 * "Popular" and "New arrivals"; opens a book of a series and sees its place in the series, its description and the whole
 * series; comes home to "Because you read <that book>"; in both themes and on a 360 px phone.
 */

const SERIES_BOOK = 'The Hound of the Baskervilles';

describe('home journey (whole local system)', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('home');
  });

  afterAll(async () => {
    await journey?.stop();
  });

  it('shows the rows, the series and the description of a book, then "Because you read" it', async () => {
    // Prepare
    const { page } = journey.browser;
    const found = bookPageSchema.parse(
      await (await fetch(`${journey.runtime.apiUrl}/books?q=${encodeURIComponent(SERIES_BOOK)}&limit=5`)).json(),
    );
    const hound = found.items.find((book) => book.title === SERIES_BOOK);
    expect(hound).toBeDefined();

    // Act: a new reader opens the home page.
    await page.goto('/');

    // Assess: "For you" and the new arrivals, no "Because you read" yet.
    await page.getByRole('list', { name: 'For you' }).waitFor();
    const shelf = page.getByRole('list', { name: 'New arrivals' });
    await shelf.waitFor();
    expect(await shelf.getByRole('article').count()).toBe(12);
    expect(await page.getByRole('heading', { name: /^Because you read/ }).count()).toBe(0);

    // Act: the reader opens a book of the row, then searches for a book of a series and opens it.
    const firstTitle = (await shelf.getByRole('link').first().textContent()) ?? '';
    await shelf.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: firstTitle, exact: true }).waitFor();
    await page.getByRole('search').getByRole('searchbox', { name: 'Search the catalogue' }).fill('hound baskervilles');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: SERIES_BOOK, exact: true }).click();

    // Assess: its place in the series, its description (the API's sanitised HTML), the generated cover.
    await page.getByRole('heading', { level: 1, name: SERIES_BOOK }).waitFor();
    const seriesLink = page.getByRole('link', { name: 'Book 5 of Sherlock Holmes' });
    await seriesLink.waitFor();
    expect(await page.locator('.book-description p').count()).toBeGreaterThan(0);
    expect(await page.locator('.book-cover--large').textContent()).toBe('HB');
    await page.getByRole('list', { name: 'Similar books' }).waitFor();
    await saveScreenshot(page, 'home-journey-book');

    // Act: the reader opens the whole series.
    await seriesLink.click();

    // Assess: the series in order, the book in fifth place.
    const series = page.getByRole('list', { name: /Sherlock Holmes/ });
    await series.waitFor();
    const titles = await series.getByRole('heading').allTextContents();
    expect(titles[0]).toBe('A Study in Scarlet');
    expect(titles[4]).toBe(SERIES_BOOK);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'home-journey-series');

    // Act: back home, through the main navigation.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'For you' }).click();

    // Assess: "Because you read" the book opened last, with books like it.
    const because = page.getByRole('list', { name: `Because you read ${SERIES_BOOK}` });
    await because.waitFor();
    expect(await because.getByRole('article').count()).toBeGreaterThan(0);
    expect(await because.getByRole('link', { name: SERIES_BOOK, exact: true }).count()).toBe(0);
    await page.getByRole('list', { name: 'For you' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'home-journey');

    // Act / Assess: the dark theme.
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await saveScreenshot(page, 'home-journey-dark');
    expect(journey.browser.pageErrors).toEqual([]);
  });

  it('fits a 360 px phone, the rows scrolling sideways, in both themes', async () => {
    // Prepare: a phone whose reader opened the book of a series.
    const phone = await openBrowser({ baseURL: journey.runtime.url, viewport: { width: 360, height: 740 } });
    try {
      const { page } = phone;
      const fits = () =>
        page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
      await page.goto('/');
      await page.getByRole('list', { name: 'New arrivals' }).getByRole('link').first().click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('list', { name: 'Similar books' }).waitFor();
      expect(await fits()).toBe(true);

      // Act: home.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'For you' }).click();
      const because = page.getByRole('list', { name: /^Because you read/ });
      await because.waitFor();
      await page.getByRole('list', { name: 'For you' }).waitFor();

      // Assess: the page fits; the row scrolls sideways inside itself.
      expect(await fits()).toBe(true);
      expect(await because.evaluate((row) => row.scrollWidth > row.clientWidth)).toBe(true);
      await saveScreenshot(page, 'home-journey-360');
      await because.scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'home-journey-360-rows', { fullPage: false });
      await page.getByRole('button', { name: 'Dark theme' }).click();
      expect(await fits()).toBe(true);
      await saveScreenshot(page, 'home-journey-360-dark');
      await because.scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'home-journey-360-rows-dark', { fullPage: false });
      expect(phone.pageErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
