// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';

import { BOOK_ROW_PLACEHOLDERS } from '../../src/components/book-row';
import { CatalogueRow } from '../../src/features/catalogue/components/catalogue-row';
import { BecauseYouRead } from '../../src/features/recommendations/components/because-you-read';
import { shelfRecord } from '../../src/features/shelf/utils/shelf-record';
import { HomePage } from '../../src/app/pages/home-page';
import { book, served, servedList } from '../support/recommendation-fixtures';
import { TEST_READER_ID, fakeApi, renderWithApp } from '../support/render-app';

const dune = book('7', 'Dune', ['Frank Herbert']);
const solaris = book('9', 'Solaris', ['Stanisław Lem']);
const messiah = book('8', 'Dune Messiah', ['Frank Herbert']);

const similarToDune = () => ({
  bookId: '7',
  items: [
    served(0, solaris, { kind: 'similar', becauseBookId: '7', because: { id: '7', title: 'Dune' } }),
    served(1, messiah, { kind: 'same-series', becauseBookId: '7', because: { id: '7', title: 'Dune' } }),
  ],
});

/** A route that answers only when `release` is called, to look at the row while it loads. */
function held(answer: () => unknown) {
  let release: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (release = resolve));
  return {
    release: () => release(),
    route: async () => {
      await ready;
      return answer();
    },
  };
}

/** The fake API's routes answer synchronously; this one waits, so loading can be seen. */
function slowFetch(routes: Record<string, () => Promise<unknown>>) {
  return (async (input: string | URL | Request) => {
    const url = new URL(String(input), 'http://shelfwise.test');
    const route = routes[url.pathname];
    return route ? Response.json(await route()) : Response.json({ message: 'Not found' }, { status: 404 });
  }) as typeof fetch;
}

describe('BecauseYouRead', () => {
  afterEach(cleanup);

  it('shows nothing, and asks for nothing, without a book the reader opened', () => {
    // Prepare
    const api = fakeApi({ '/api/books/7/similar': similarToDune });

    // Act
    const { container } = renderWithApp(<BecauseYouRead bookId={undefined} />, { fetch: api.fetch });

    // Assess
    expect(container.querySelector('section')).toBeNull();
    expect(api.requests).toEqual([]);
  });

  it('shows the books similar to the book, named in the heading as their reasons name it', async () => {
    // Prepare
    const api = fakeApi({ '/api/books/7/similar': similarToDune });

    // Act
    renderWithApp(<BecauseYouRead bookId="7" />, { fetch: api.fetch });

    // Assess
    const list = await screen.findByRole('list', { name: 'Because you read Dune' });
    expect(
      within(list)
        .getAllByRole('heading')
        .map((heading) => heading.textContent),
    ).toEqual(['Solaris', 'Dune Messiah']);
    expect(within(list).getByText('In the same series as Dune')).toBeTruthy();
  });

  it('still has a heading when no reason names the book (only popular books came back)', async () => {
    // Prepare
    const api = fakeApi({
      '/api/books/7/similar': () => ({ bookId: '7', items: [served(0, solaris, { kind: 'popular' })] }),
    });

    // Act
    renderWithApp(<BecauseYouRead bookId="7" />, { fetch: api.fetch });

    // Assess
    expect(await screen.findByRole('list', { name: 'Because of the last book you opened' })).toBeTruthy();
  });

  it('shows nothing when the book has left the catalogue', async () => {
    // Prepare
    const api = fakeApi({});

    // Act
    const { container } = renderWithApp(<BecauseYouRead bookId="404" />, { fetch: api.fetch });

    // Assess
    await waitFor(() => expect(api.requests).toContain('GET /api/books/404/similar'));
    await waitFor(() => expect(container.querySelector('section')).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('holds its place with placeholder cards while it loads, then shows the books in their place', async () => {
    // Prepare
    const similar = held(similarToDune);

    // Act
    const { container } = renderWithApp(<BecauseYouRead bookId="7" />, {
      fetch: slowFetch({ '/api/books/7/similar': similar.route }),
    });

    // Assess: a heading and the placeholders first, announced as loading...
    expect(screen.getByRole('heading', { name: 'Because you read…' })).toBeTruthy();
    expect(container.querySelectorAll('.book-row .book-card--placeholder')).toHaveLength(BOOK_ROW_PLACEHOLDERS);
    expect(screen.getByRole('status').textContent).toBe('Loading books like it…');
    // ...then the books, in the same row.
    similar.release();
    await screen.findByRole('list', { name: 'Because you read Dune' });
    expect(container.querySelectorAll('.book-card--placeholder')).toHaveLength(0);
    expect(container.querySelectorAll('.book-row .book-card')).toHaveLength(2);
  });
});

describe('HomePage', () => {
  const opened = (bookId: string): ReaderEvent => ({
    type: 'open',
    bookId,
    eventId: `open-${bookId}`,
    readerId: TEST_READER_ID,
    occurredAt: new Date().toISOString(),
  });
  const api = () =>
    fakeApi({
      [`/api/readers/${TEST_READER_ID}/recommendations`]: () =>
        servedList('rec-1', new Date(Date.now() - 60_000).toISOString(), [served(0, solaris, { kind: 'popular' })]),
      '/api/books': () => ({ items: [dune, solaris], total: 2, limit: 12, offset: 0, nextCursor: null }),
      '/api/books/7/similar': similarToDune,
      '/api/books/9/similar': () => ({
        bookId: '9',
        items: [served(0, dune, { kind: 'similar', becauseBookId: '9', because: { id: '9', title: 'Solaris' } })],
      }),
    });

  afterEach(() => {
    cleanup();
    shelfRecord.setPaused(TEST_READER_ID, false);
    shelfRecord.clear(TEST_READER_ID);
  });

  it('has "For you", "Because you read" the last book opened, "Popular" and "New arrivals", in that order', async () => {
    // Prepare: the reader opened Dune, then Solaris.
    shelfRecord.record(opened('7'));
    shelfRecord.record(opened('9'));

    // Act
    renderWithApp(<HomePage />, { fetch: api().fetch });

    // Assess
    await screen.findByRole('list', { name: 'Because you read Solaris' });
    await screen.findByRole('list', { name: 'For you' });
    await screen.findByRole('list', { name: 'Popular' });
    await screen.findByRole('list', { name: 'New arrivals' });
    expect(screen.getAllByRole('heading', { level: 2 }).map((heading) => heading.textContent)).toEqual([
      'For you',
      'Because you read Solaris',
      'Popular',
      'New arrivals',
    ]);
  });

  it('drops the row when the reader deletes their history, and records nothing while it is paused', async () => {
    // Prepare
    shelfRecord.record(opened('7'));
    renderWithApp(<HomePage />, { fetch: api().fetch });
    await screen.findByRole('list', { name: 'Because you read Dune' });

    // Act: the history is deleted (My shelf), then paused, and a book is opened.
    act(() => shelfRecord.clear(TEST_READER_ID));
    act(() => shelfRecord.setPaused(TEST_READER_ID, true));
    act(() => shelfRecord.record(opened('9')));

    // Assess
    expect(screen.queryByRole('heading', { name: /^Because/ })).toBeNull();
  });
});

describe('CatalogueRow', () => {
  afterEach(cleanup);

  it('holds its place while loading, then shows the most read books with a link to the whole catalogue', async () => {
    // Prepare
    const page = held(() => ({ items: [dune, solaris], total: 2, limit: 12, offset: 0, nextCursor: null }));
    const requested: string[] = [];
    const fetch = slowFetch({ '/api/books': page.route });
    const recording = (async (input: string | URL | Request, init?: RequestInit) => {
      requested.push(String(input));
      return fetch(input, init);
    }) as typeof globalThis.fetch;
    const user = userEvent.setup();

    // Act
    const { container, router } = renderWithApp(<CatalogueRow sort="popular" />, { fetch: recording });

    // Assess
    expect(screen.getByRole('heading', { name: 'Popular' })).toBeTruthy();
    expect(container.querySelectorAll('.book-card--placeholder')).toHaveLength(BOOK_ROW_PLACEHOLDERS);
    page.release();
    const list = await screen.findByRole('list', { name: 'Popular' });
    expect(
      within(list)
        .getAllByRole('heading')
        .map((heading) => heading.textContent),
    ).toEqual(['Dune', 'Solaris']);
    expect(within(list).getAllByText('2001 · English')).toHaveLength(2);
    await waitFor(() =>
      expect(
        requested.some((url) => url.includes('limit=12') && url.includes('offset=0') && url.includes('sort=popular')),
      ).toBe(true),
    );

    // Act: the link to the whole catalogue.
    await user.click(screen.getByRole('link', { name: 'See the whole catalogue' }));

    // Assess
    expect(router.state.location.pathname).toBe('/catalogue');
  });
});
