// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { BookCard } from '../../src/features/catalogue/components/book-card';
import { BookDetails } from '../../src/features/catalogue/components/book-details';
import { SeriesBooks } from '../../src/features/catalogue/components/series-books';
import { bookDetail } from '../support/catalogue-fixtures';
import { book } from '../support/recommendation-fixtures';
import { fakeApi, renderWithApp } from '../support/render-app';

function renderBook(detail: ReturnType<typeof bookDetail>) {
  const api = fakeApi({ [`/api/books/${detail.id}`]: () => detail });
  return renderWithApp(<BookDetails bookId={detail.id} actions={<p>The book actions</p>} />, {
    fetch: api.fetch,
    path: `/books/${detail.id}`,
    routePath: '/books/:bookId',
  });
}

describe('BookDetails', () => {
  afterEach(cleanup);

  it('shows the series with its place and a link to the whole series', async () => {
    // Prepare
    const user = userEvent.setup();
    const { router } = renderBook(bookDetail({ series: { id: '5', name: 'Foundation', index: 2 } }));

    // Act
    const link = await screen.findByRole('link', { name: 'Book 2 of Foundation' });
    await user.click(link);

    // Assess
    expect(router.state.location.pathname).toBe('/series/5');
  });

  it('lists the other editions of the work as links, with year, publisher and language', async () => {
    // Prepare / Act
    renderBook(
      bookDetail({
        editions: [
          { id: '8', title: 'Fondation et Empire', year: 1965, publisher: 'Denoël', languages: ['fra'] },
          { id: '9', title: 'Foundation and Empire', year: null, publisher: null, languages: [] },
        ],
      }),
    );

    // Assess
    const list = await screen.findByRole('list', { name: 'Other editions' });
    const links = within(list).getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Fondation et Empire', '/books/8'],
      ['Foundation and Empire', '/books/9'],
    ]);
    expect(within(list).getByText('1965 · Denoël · French')).toBeTruthy();
  });

  it('renders the sanitised description HTML the API sends, with its formatting and links', async () => {
    // Prepare / Act
    renderBook(
      bookDetail({
        description: 'The Foundation faces the Mule. Read more',
        descriptionHtml:
          '<p>The Foundation faces <strong>the Mule</strong>.</p><p><a href="https://example.org/" rel="nofollow noopener noreferrer" target="_blank">Read more</a></p>',
      }),
    );

    // Assess
    expect((await screen.findByText('the Mule')).tagName).toBe('STRONG');
    const link = screen.getByRole('link', { name: 'Read more' });
    expect(link.getAttribute('href')).toBe('https://example.org/');
    expect(link.getAttribute('rel')).toBe('nofollow noopener noreferrer');
  });

  it('shows the plain text, paragraph by paragraph and never as HTML, when there is no sanitised HTML', async () => {
    // Prepare / Act
    renderBook(bookDetail({ description: 'First <b>part</b>.\n\nSecond part.', descriptionHtml: null }));

    // Assess
    expect(await screen.findByText('First <b>part</b>.')).toBeTruthy();
    expect(screen.getByText('Second part.')).toBeTruthy();
    expect(document.querySelector('.book-description b')).toBeNull();
  });

  it('shows the generated cover, the facts, the actions and no series or editions when there are none', async () => {
    // Prepare / Act
    renderBook(bookDetail({ hasCover: true, publisher: 'Gnome Press', pageCount: 282 }));

    // Assess
    expect(await screen.findByText('The book actions')).toBeTruthy();
    expect(document.querySelector('.book-cover')?.textContent).toBe('FE');
    expect(screen.getByText('Gnome Press')).toBeTruthy();
    expect(screen.getByText('282')).toBeTruthy();
    expect(screen.queryByRole('link', { name: /^Book \d/ })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Other editions' })).toBeNull();
  });

  it("shows Calibre's cover as a lazy image of a fixed size when the book has one", async () => {
    // Prepare / Act
    renderBook(bookDetail({ hasCover: true, coverUrl: 'https://books.example/covers/abc.jpg' }));

    // Assess
    const cover = await screen.findByRole('img', { name: 'Cover of Foundation and Empire' });
    expect(cover.getAttribute('src')).toBe('https://books.example/covers/abc.jpg');
    expect(cover.getAttribute('loading')).toBe('lazy');
    expect([cover.getAttribute('width'), cover.getAttribute('height')]).toEqual(['192', '288']);
    expect(document.querySelector('.book-cover__initials')).toBeNull();
  });

  it('shows the generated cover, hidden from readers, when the book has no cover URL', async () => {
    // Prepare / Act
    renderBook(bookDetail({ hasCover: false, coverUrl: null }));

    // Assess
    expect(await screen.findByText('The book actions')).toBeTruthy();
    expect(screen.queryByRole('img', { name: /^Cover of/ })).toBeNull();
    expect(document.querySelector('.book-cover')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('says when the book is no longer on the shelves', async () => {
    // Prepare / Act
    renderBook(bookDetail({ withdrawn: true }));

    // Assess
    expect(await screen.findByText(/no longer on the shelves/)).toBeTruthy();
  });
});

describe('BookCard', () => {
  afterEach(cleanup);

  it("shows Calibre's cover when the summary has one, and the generated cover when it has none", async () => {
    // Prepare
    const { coverUrl: _, ...summary } = bookDetail();
    const backTo = { from: 'catalogue', search: '' } as const;
    const api = fakeApi({});

    // Act
    renderWithApp(
      <>
        <BookCard book={{ ...summary, coverUrl: 'https://books.example/covers/abc.jpg' }} backTo={backTo} />
        <BookCard book={{ ...summary, id: '8', coverUrl: null }} backTo={backTo} />
      </>,
      { fetch: api.fetch },
    );

    // Assess
    const cover = await screen.findByRole('img', { name: 'Cover of Foundation and Empire' });
    expect(cover.getAttribute('loading')).toBe('lazy');
    expect([cover.getAttribute('width'), cover.getAttribute('height')]).toEqual(['72', '108']);
    expect(screen.getAllByRole('img')).toHaveLength(1);
    expect(document.querySelectorAll('.book-cover__initials')).toHaveLength(1);
  });
});

describe('SeriesBooks', () => {
  afterEach(cleanup);

  it('lists the books of a series in order, each with its place', async () => {
    // Prepare
    const api = fakeApi({
      '/api/series/5': () => ({
        id: '5',
        name: 'Foundation',
        books: [
          { ...book('6', 'Foundation', ['Isaac Asimov']), seriesIndex: 1 },
          { ...book('7', 'Foundation and Empire', ['Isaac Asimov']), seriesIndex: 2 },
        ],
      }),
    });

    // Act
    renderWithApp(<SeriesBooks seriesId="5" />, { fetch: api.fetch, path: '/series/5' });

    // Assess
    const list = await screen.findByRole('list', { name: /Foundation/ });
    expect(
      within(list)
        .getAllByRole('heading')
        .map((heading) => heading.textContent),
    ).toEqual(['Foundation', 'Foundation and Empire']);
    expect(within(list).getByText('Book 2')).toBeTruthy();
    expect(screen.getByText('2 books, in series order')).toBeTruthy();
  });

  it('says so when there is no such series', async () => {
    // Prepare
    const api = fakeApi({});

    // Act
    renderWithApp(<SeriesBooks seriesId="404" />, { fetch: api.fetch, path: '/series/404' });

    // Assess
    expect(await screen.findByRole('heading', { name: 'Series not found' })).toBeTruthy();
  });
});
