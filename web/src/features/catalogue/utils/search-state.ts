/** How many results one search page shows. */
export const SEARCH_PAGE_SIZE = 20;

/**
 * The search page's state, all of it in the URL so that a search can be shared:
 * `/search?q=truyen+kieu&author=Nguyễn+Du&subject=Fiction&language=vie&year=1800-1900&page=2`.
 */
export interface SearchState {
  /** Words searched for; "" for none. */
  q: string;
  /** An author's name; "" for any. */
  author: string;
  /** A subject; "" for any. */
  subject: string;
  /** ISO 639-2 code, or undefined for every language. */
  language: string | undefined;
  /** "1890" or "1890-1899"; "" for any year. */
  year: string;
  /** 1-based page number. */
  page: number;
}

export const emptySearch: SearchState = { q: '', author: '', subject: '', language: undefined, year: '', page: 1 };

const LANGUAGE_CODE = /^[a-z]{3}$/;
const YEAR_RANGE = /^(-?\d{1,4})(?:\s*[-–]\s*(-?\d{1,4}))?$/;
const MAX_TEXT = 200;

function text(params: URLSearchParams, name: string): string {
  return (params.get(name) ?? '').trim().slice(0, MAX_TEXT);
}

/** Reads the search from the URL; anything malformed is dropped (first page, every language, any year). */
export function readSearch(params: URLSearchParams): SearchState {
  const rawPage = params.get('page');
  const page = rawPage !== null && /^\d+$/.test(rawPage) ? Number(rawPage) : 1;
  const language = params.get('language') ?? '';
  const year = text(params, 'year');
  return {
    q: text(params, 'q'),
    author: text(params, 'author'),
    subject: text(params, 'subject'),
    language: LANGUAGE_CODE.test(language) ? language : undefined,
    year: yearRange(year) ? year : '',
    page: Number.isSafeInteger(page) && page >= 1 && page <= 500 ? page : 1,
  };
}

/** Writes the search back to URL params, in a fixed order and without the defaults. */
export function writeSearch(search: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.author) params.set('author', search.author);
  if (search.subject) params.set('subject', search.subject);
  if (search.language) params.set('language', search.language);
  if (search.year) params.set('year', search.year);
  if (search.page > 1) params.set('page', String(search.page));
  return params;
}

/** "1890" → 1890 to 1890; "1890-1899" → 1890 to 1899 (either order); anything else → undefined. */
export function yearRange(year: string): { yearFrom: number; yearTo: number } | undefined {
  const match = YEAR_RANGE.exec(year.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  const second = match[2] === undefined ? first : Number(match[2]);
  const [yearFrom, yearTo] = first <= second ? [first, second] : [second, first];
  if (yearFrom < -3000 || yearTo > 3000) return undefined;
  return { yearFrom, yearTo };
}

/** True when the reader asked for something: words or any filter. */
export function hasCriteria(search: SearchState): boolean {
  return Boolean(search.q || search.author || search.subject || search.language || search.year);
}

/** Lower case without accents ("Nguyễn Đình Chiểu" → "nguyen dinh chieu"), to compare names as readers type them. */
export function foldForMatch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The distinct values of `pick` over `books`, most frequent first (ties by name), with how many books have each. */
export function countValues<T>(
  books: readonly T[],
  pick: (book: T) => readonly string[],
  limit = 8,
): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const book of books) for (const value of new Set(pick(book))) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((left, right) => right.count - left.count || left.value.localeCompare(right.value))
    .slice(0, limit);
}
