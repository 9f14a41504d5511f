// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { Search } from '../../src/features/catalogue/components/search';
import { fakeApi, renderWithApp } from '../support/render-app';

const kieu = {
  id: '12',
  title: 'Truyện Kiều',
  authors: ['Nguyễn Du'],
  year: 1820,
  languages: ['vie'],
  subjects: ['Poetry', 'Romance'],
  description: 'Truyện thơ lục bát.',
};

function searchApi() {
  const bookQueries: URLSearchParams[] = [];
  const api = fakeApi({
    '/api/authors': () => ({
      items: [{ id: '5', name: 'Nguyễn Du', sort: 'Du, Nguyễn', aliases: [], bookCount: 1 }],
      nextCursor: null,
    }),
    '/api/books': (url) => {
      bookQueries.push(url.searchParams);
      return { items: [kieu], total: 1, limit: 20, offset: 0, nextCursor: null };
    },
  });
  return { ...api, bookQueries };
}

describe('Search', () => {
  afterEach(cleanup);

  it('reads the search from the URL and asks GET /books for it, the author by id', async () => {
    // Prepare
    const api = searchApi();

    // Act
    renderWithApp(<Search />, {
      fetch: api.fetch,
      path: '/search?q=truyen+kieu&author=nguyen+du&subject=Poetry&language=vie&year=1800-1830',
      routePath: '/search',
    });

    // Assess
    await screen.findByRole('heading', { name: 'Truyện Kiều' });
    expect(Object.fromEntries(api.bookQueries.at(-1)!)).toEqual({
      limit: '20',
      offset: '0',
      q: 'truyen kieu',
      language: 'vie',
      authorId: '5',
      tag: 'Poetry',
      yearFrom: '1800',
      yearTo: '1830',
    });
    expect(screen.getByText('1 result for “truyen kieu”')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Remove filter: Author: nguyen du' })).toBeTruthy();
    expect((screen.getByRole('searchbox', { name: 'Words to search for' }) as HTMLInputElement).value).toBe(
      'truyen kieu',
    );
  });

  it('puts what the reader submits in the URL, from the first page', async () => {
    // Prepare
    const api = searchApi();
    const { router } = renderWithApp(<Search />, { fetch: api.fetch, path: '/search?page=3', routePath: '/search' });
    const user = userEvent.setup();

    // Act
    await user.type(screen.getByRole('searchbox', { name: 'Words to search for' }), 'kieu');
    await user.type(screen.getByRole('textbox', { name: 'Year' }), '1820');
    await user.click(screen.getByRole('button', { name: 'Search' }));

    // Assess
    await waitFor(() => expect(router.state.location.search).toBe('?q=kieu&year=1820'));
    await screen.findByRole('heading', { name: 'Truyện Kiều' });
  });
});
