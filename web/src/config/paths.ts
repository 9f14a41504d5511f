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
  search: {
    path: '/search',
    /** `search` is a query string such as "?q=dune&language=eng&page=2" (or "q=dune…"). */
    getHref: (search = '') =>
      search && !search.startsWith('?') ? `/search?${search}` : `/search${search === '?' ? '' : search}`,
  },
  book: {
    path: '/books/:bookId',
    getHref: (bookId: string) => `/books/${encodeURIComponent(bookId)}`,
  },
  series: {
    path: '/series/:seriesId',
    getHref: (seriesId: string) => `/series/${encodeURIComponent(seriesId)}`,
  },
  shelf: {
    path: '/shelf',
    getHref: () => '/shelf',
  },
  signIn: {
    path: '/sign-in',
    getHref: () => '/sign-in',
  },
  librarian: {
    path: '/librarian',
    getHref: () => '/librarian',
  },
  reader: {
    path: '/read/:loanId',
    getHref: (loanId: string) => `/read/${encodeURIComponent(loanId)}`,
  },
  ingestRun: {
    path: '/librarian/ingest-runs/:runId',
    getHref: (runId: string) => `/librarian/ingest-runs/${encodeURIComponent(runId)}`,
  },
} as const;
