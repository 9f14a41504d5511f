/** Every URL of the app, in one place: the route table uses `path`, links use `getHref`. */
export const paths = {
  home: {
    path: '/',
    getHref: () => '/',
  },
  catalogue: {
    path: '/catalogue',
    /** `search` is a query string such as "?page=2&language=fra" (or "page=2…"); empty for the first page. */
    getHref: (search = '') =>
      search && !search.startsWith('?') ? `/catalogue?${search}` : `/catalogue${search === '?' ? '' : search}`,
  },
  book: {
    path: '/books/:bookId',
    getHref: (bookId: string) => `/books/${encodeURIComponent(bookId)}`,
  },
} as const;
