import { paths } from '../../../config/paths';

/** Where a book page's back link goes: the catalogue or search page, with the query string the reader left. */
export interface BackTo {
  from: 'catalogue' | 'search';
  /** The query string of that page, e.g. "page=2&language=fra"; "" for its first page. */
  search: string;
}

/** Reads the router state a book card passed along; anything else goes back to the catalogue's first page. */
export function readBackTo(state: unknown): BackTo {
  if (typeof state === 'object' && state !== null && 'backTo' in state) {
    const { backTo } = state as { backTo: unknown };
    if (typeof backTo === 'object' && backTo !== null) {
      const { from, search } = backTo as Record<string, unknown>;
      if ((from === 'catalogue' || from === 'search') && typeof search === 'string') return { from, search };
    }
  }
  return { from: 'catalogue', search: '' };
}

export function backHref({ from, search }: BackTo): string {
  return from === 'search' ? paths.search.getHref(search) : paths.catalogue.getHref(search);
}
