import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bookPageSchema } from '@shelfwise/lambdas/catalogue/domain/book';

import { saveScreenshot, startJourney, type Journey } from './journey-support';

/* "Switch to Vietnamese", against the whole local system: every text changes, the choice is remembered. */

describe('language journey (whole local system)', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('language');
  });

  afterAll(async () => {
    await journey?.stop();
  });

  it('switches the site to Vietnamese, keeps it after a reload and switches back', async () => {
    // Prepare
    const { runtime, browser } = journey;
    const { page } = browser;
    const firstPage = bookPageSchema.parse(await (await fetch(`${runtime.apiUrl}/books?limit=24&offset=0`)).json());
    const book = firstPage.items[0]!;

    // Act: a new reader opens the home page (in English) and presses the language switch.
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Welcome to your library' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: 'Đổi sang tiếng Việt' }).click();

    // Assess: the page, its navigation and <html lang> are in Vietnamese; the choice is stored.
    await page.getByRole('heading', { level: 1, name: 'Chào mừng đến thư viện của bạn' }).waitFor();
    await page.getByRole('navigation', { name: 'Chính' }).getByRole('link', { name: 'Dành cho bạn' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Dành cho bạn' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    expect(await page.evaluate(() => localStorage.getItem('shelfwise.locale'))).toBe('vi');
    expect(await page.title()).toBe('Shelfwise, thư viện công cộng của bạn');

    // Act: goes to the catalogue and opens a book.
    await page.getByRole('navigation', { name: 'Chính' }).getByRole('link', { name: 'Danh mục' }).click();
    await page.getByRole('heading', { level: 1, name: 'Danh mục' }).waitFor();

    // Assess: counts and language names come from Intl in Vietnamese.
    const count = new Intl.NumberFormat('vi').format(firstPage.total);
    await page.getByText(`${count} cuốn sách`).waitFor();
    await page.getByRole('combobox', { name: 'Ngôn ngữ' }).getByRole('option', { name: 'Tiếng Việt' }).waitFor({
      state: 'attached',
    });
    await page.getByText(`Trang 1 / ${Math.ceil(firstPage.total / 24)}`).waitFor();
    await saveScreenshot(page, 'language-journey-catalogue');

    await page.getByRole('link', { name: book.title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: book.title, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Mượn' }).waitFor();
    await page.getByText('Xuất bản lần đầu').waitFor();
    await page.getByRole('link', { name: 'Quay về danh mục' }).waitFor();

    // Act + Assess: after a reload the site is still in Vietnamese.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: book.title, exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Sách tương tự' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    await saveScreenshot(page, 'language-journey');

    // Act + Assess: and back to English.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Borrow' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(browser.pageErrors).toEqual([]);
  });
});
