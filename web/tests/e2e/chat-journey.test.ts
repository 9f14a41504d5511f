import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { saveScreenshot, startJourney, type Journey } from './journey-support';

/*
 * "Chat and open a cited book", against the whole local system: POST /api/chat runs the real chat handler with the
 * offline composer (no language model locally), so the answer must say so.
 */

describe('chat journey (whole local system)', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('chat');
  });

  afterAll(async () => {
    await journey?.stop();
  });

  it('asks for a book from any page, reads the streamed answer and opens a cited book', async () => {
    // Prepare
    const { page } = journey.browser;
    await page.goto('/catalogue');
    await page.getByRole('heading', { level: 1, name: 'Catalogue' }).waitFor();

    // Act: the reader opens the chat from the header and asks.
    await page.getByRole('button', { name: 'Ask a librarian' }).click();
    const chat = page.getByRole('dialog', { name: 'Ask the library' });
    await chat.waitFor();
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/chat'));
    await chat.getByRole('textbox', { name: 'Your message' }).fill('a funny fantasy for a 12-year-old');
    await chat.getByRole('textbox', { name: 'Your message' }).press('Enter');

    // Assess: an event stream, an answer that says it comes from the offline composer, cited books as cards.
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/event-stream/);
    await chat.getByText('Written from our catalogue, without a language model').waitFor();
    const cards = chat.getByRole('region', { name: 'Books in this answer' }).getByRole('link');
    await cards.first().waitFor();
    const titles = await cards.allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    await chat.getByRole('link', { name: `Book 1: ${titles[0]}` }).waitFor();
    await saveScreenshot(page, 'chat-journey', { fullPage: false });

    // Act: opens the first cited book.
    await cards.first().click();

    // Assess: the drawer closes and the book's page shows.
    await page.getByRole('heading', { level: 1, name: titles[0], exact: true }).waitFor();
    expect(await chat.isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toMatch(/^\/books\/\d+$/);

    // Act + Assess: the conversation is still there when the chat opens again.
    await page.getByRole('button', { name: 'Ask a librarian' }).click();
    await chat.getByText('a funny fantasy for a 12-year-old').waitFor();
    expect(journey.browser.pageErrors).toEqual([]);
  });
});
