/** How many books one catalogue page shows. */
export const PAGE_SIZE = 24;

/** The catalogue's state as kept in the URL: `/?page=2&language=fra`. */
export interface CatalogueSearch {
  /** 1-based page number. */
  page: number;
  /** ISO 639 code, or undefined for every language. */
  language: string | undefined;
}

const LANGUAGE_CODE = /^[a-z]{2,3}$/;

/** Reads the catalogue state from the URL; anything malformed falls back to the first page / every language. */
export function readCatalogueSearch(params: URLSearchParams): CatalogueSearch {
  const rawPage = params.get('page');
  const page = rawPage !== null && /^\d+$/.test(rawPage) ? Number(rawPage) : 1;
  const language = params.get('language') ?? '';
  return {
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    language: LANGUAGE_CODE.test(language) ? language : undefined,
  };
}

/** Writes the catalogue state back to URL params, leaving the defaults out so that `/` stays `/`. */
export function writeCatalogueSearch({ page, language }: CatalogueSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (language) params.set('language', language);
  if (page > 1) params.set('page', String(page));
  return params;
}

export function offsetOf(page: number, pageSize = PAGE_SIZE): number {
  return (page - 1) * pageSize;
}

/** Number of pages for `total` books; at least 1 so that an empty catalogue still reads "page 1 of 1". */
export function pageCountOf(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
