import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { BookDetail, BookSummary } from '@shelfwise/lambdas/catalogue/domain/book';

import { sendJson, startHttpServer, type TestServer } from '../support/http-server';
import { openBrowser, type BrowserSession } from './browser';

/*
 * Proves the browser helper and the built app together: the already-built web/dist is served next to a tiny JSON API
 * (not the real one; the full-system journeys run against `npm start`), and a reader browses it in Chromium.
 */

const distDir = fileURLToPath(new URL('../../dist', import.meta.url));

const books: BookSummary[] = [
  {
    id: '1',
    title: 'The Hunger Games',
    authors: ['Suzanne Collins'],
    year: 2008,
    languages: ['eng'],
    subjects: ['young adult', 'dystopia'],
    description: 'Winning will make you famous. Losing means certain death.',
  },
  {
    id: '2',
    title: 'Le Petit Prince',
    authors: ['Antoine de Saint-Exupéry'],
    year: 1943,
    languages: ['fra'],
    subjects: ['classics'],
    description: 'Un pilote tombé en panne dans le désert rencontre un petit prince venu d’une autre planète.',
  },
  {
    id: '3',
    title: 'Dune',
    authors: ['Frank Herbert'],
    year: 1965,
    languages: ['eng'],
    subjects: ['science fiction'],
    description: null,
  },
];

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** What the static site and its API do; `config: null` serves no /config.json. */
function createSite(config: unknown, apiRequests: string[]) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/config.json') {
      return config === null ? sendJson(response, 404, { message: 'Not Found' }) : sendJson(response, 200, config);
    }
    if (url.pathname.startsWith('/api/')) {
      apiRequests.push(`${url.pathname}${url.search}`);
      return answerApi(url, response);
    }
    // Static files of the build; every other path is a page of the single-page app.
    const file = normalize(join(distDir, decodeURIComponent(url.pathname)));
    const isAsset = file.startsWith(distDir + sep) && extname(file) !== '' && existsSync(file);
    const path = isAsset ? file : join(distDir, 'index.html');
    response.writeHead(200, { 'content-type': contentTypes[extname(path)] ?? 'application/octet-stream' });
    response.end(await readFile(path));
  };
}

function answerApi(url: URL, response: ServerResponse) {
  // The reader's events are accepted; similar books and "For you" are the other books, popular.
  if (url.pathname === '/api/events') return sendJson(response, 200, { accepted: 1, duplicates: 0, rejected: [] });
  const similarOf = /^\/api\/books\/(\d+)\/similar$/.exec(url.pathname)?.[1];
  if (similarOf)
    return sendJson(response, 200, { bookId: similarOf, items: popular(books.filter(({ id }) => id !== similarOf)) });
  if (url.pathname.startsWith('/api/readers/')) {
    return sendJson(response, 200, {
      readerId: url.pathname.split('/')[3],
      recommendationId: 'rec-static',
      modelVersion: 'fallback',
      strategy: 'popular',
      generatedAt: new Date().toISOString(),
      items: popular(books),
    });
  }
  if (url.pathname === '/api/books') {
    const language = url.searchParams.get('language');
    const limit = Number(url.searchParams.get('limit') ?? 24);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const matching = books.filter((book) => !language || book.languages.includes(language));
    return sendJson(response, 200, {
      items: matching.slice(offset, offset + limit),
      total: matching.length,
      limit,
      offset,
      nextCursor: null,
    });
  }
  const book = books.find(({ id }) => url.pathname === `/api/books/${id}`);
  return book ? sendJson(response, 200, detailOf(book)) : sendJson(response, 404, { message: 'Book not found' });
}

/** GET /books/{id}: the summary and the rest of the book page (no series, no other editions, plain HTML). */
function detailOf(book: BookSummary): BookDetail {
  return {
    ...book,
    titleSort: book.title,
    authorsDetail: book.authors.map((name, index) => ({ id: String(index + 1), name })),
    series: null,
    publisher: null,
    pubdate: null,
    rating: null,
    descriptionHtml: book.description === null ? null : `<p>${book.description}</p>`,
    identifiers: [],
    formats: [],
    hasCover: false,
    coverUrl: null,
    audience: null,
    pageCount: null,
    withdrawn: false,
    editions: [],
  };
}

function popular(list: BookSummary[]) {
  return list.map((book, position) => ({ book, position, score: 1, reason: { kind: 'popular' } }));
}

describe('the built web app in Chromium', { timeout: 60_000 }, () => {
  let site: TestServer;
  let browser: BrowserSession;
  let page: Page;
  const apiRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'index.html'))) {
      throw new Error(`${distDir} has no build: run \`npm run build -w web\` first (this test builds nothing itself)`);
    }
    site = await startHttpServer(createSite({ apiUrl: '/api' }, apiRequests));
    browser = await openBrowser({ baseURL: site.url });
  }, 30_000);

  // One browser for the file, a fresh tab for each test.
  beforeEach(async () => {
    browser.pageErrors.length = 0;
    page = await browser.context.newPage();
  });

  afterEach(async () => {
    await page?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('lets a reader browse the catalogue, open a book and come back', async () => {
    // Act
    await page.goto('/catalogue');

    // Assess: the three books are listed
    for (const { title } of books) {
      await page.getByRole('heading', { name: title }).waitFor();
    }
    await page.getByText('Page 1 of 1').waitFor();
    expect(apiRequests).toContain('/api/books?limit=24&offset=0');

    // Act: open a book
    await page.getByRole('link', { name: 'Le Petit Prince' }).click();

    // Assess: its page shows the whole summary
    await page.waitForURL('**/books/2');
    await page.getByRole('heading', { level: 1, name: 'Le Petit Prince' }).waitFor();
    await page.getByText('venu d’une autre planète').waitFor();
    expect(await page.title()).toBe('Le Petit Prince · Shelfwise');

    // Act: go back
    await page.getByRole('link', { name: 'Back to the catalogue' }).click();

    // Assess
    await page.waitForURL((url) => url.pathname === '/catalogue');
    await page.getByRole('heading', { name: 'Dune' }).waitFor();
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows "For you" on the home page, with why each book is there', async () => {
    // Act
    await page.goto('/');

    // Assess
    const forYou = page.getByRole('list', { name: 'For you' });
    await forYou.waitFor();
    expect(await forYou.getByRole('article').count()).toBe(books.length);
    expect(await forYou.getByText('Popular in the library').count()).toBe(books.length);
    expect(apiRequests.some((request) => /^\/api\/readers\/anon-[0-9a-f-]{36}\/recommendations$/.test(request))).toBe(
      true,
    );
    expect(browser.pageErrors).toEqual([]);
  });

  it('keeps the language filter in the URL', async () => {
    // Prepare
    await page.goto('/catalogue');
    await page.getByRole('heading', { name: 'Dune' }).waitFor();

    // Act
    await page.getByLabel('Language').selectOption({ label: 'French' });

    // Assess
    await page.waitForURL((url) => url.searchParams.get('language') === 'fra');
    await page.getByRole('heading', { name: 'Dune' }).waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Le Petit Prince' }).waitFor();
    expect(apiRequests).toContain('/api/books?limit=24&offset=0&language=fra');

    // Act: reload the filtered URL
    await page.reload();

    // Assess: the filter comes back from the URL
    await page.getByRole('heading', { name: 'Le Petit Prince' }).waitFor();
    expect(await page.getByLabel('Language').inputValue()).toBe('fra');
  });

  it('fits a 360 px wide screen without sideways scrolling', async () => {
    // Prepare
    const sidewaysOverflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

    // Act
    await page.goto('/catalogue');
    await page.getByRole('heading', { name: 'Dune' }).waitFor();

    // Assess
    expect(page.viewportSize()?.width).toBe(360);
    expect(await sidewaysOverflow()).toBeLessThanOrEqual(0);

    // Act
    await page.goto('/books/1');
    await page.getByRole('heading', { level: 1, name: 'The Hunger Games' }).waitFor();

    // Assess
    expect(await sidewaysOverflow()).toBeLessThanOrEqual(0);
  });

  it('shows a not-found page for an unknown address and for an unknown book', async () => {
    // Act
    await page.goto('/no/such/page');

    // Assess
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await page.title()).toBe('Page not found · Shelfwise');

    // Act
    await page.goto('/books/404');

    // Assess
    await page.getByRole('heading', { level: 1, name: 'Book not found' }).waitFor();
    expect(await page.getByRole('link', { name: 'Back to the catalogue' }).getAttribute('href')).toBe('/catalogue');
  });

  it('explains the problem when /config.json is missing', async () => {
    // Prepare
    const unconfigured = await startHttpServer(createSite(null, []));

    try {
      // Act
      await page.goto(unconfigured.url);

      // Assess
      await page.getByRole('heading', { name: 'Shelfwise cannot start' }).waitFor();
      expect(await page.getByRole('alert').textContent()).toContain(
        'Could not load /config.json: the server answered 404',
      );
    } finally {
      await unconfigured.close();
    }
  });
});
