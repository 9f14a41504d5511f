/**
 * Browse the catalogue as OPDS 1.2 (for e-reader apps such as KOReader).
 *
 * 1. The root is a navigation feed: new, popular, the reader's loans (sign-in needed), and search.
 * 2. Every other feed is an acquisition feed of books: new and popular (this adapter's queries), search, per author
 *    (the catalogue's full-text search and filters, paged with its cursor), per series (in series order).
 * 3. Each book entry links to its own entry document, its authors' and series' feeds, and a borrow link
 *    (`http://opds-spec.org/acquisition/borrow`, with the formats a loan gives as indirect acquisitions).
 * 4. In the reader's loans feed the borrow link is replaced by the file itself: a short-lived signed URL.
 */
import type { ListBooksQuery } from '../../catalogue/domain/book';
import type { CatalogueRepository } from '../../catalogue/ports';
import { NotFoundError } from '../../shared/errors';
import {
  acquisitionFeed,
  entryDocument,
  navigationFeed,
  opdsRels,
  opdsTypes,
  openSearchDescription,
  OpdsLinks,
  type OpdsAcquisition,
  type OpdsBook,
} from '../domain/opds';
import type { OpdsCatalogue } from '../ports';
import { getBookFileUrl, type GetBookFileUrlDeps } from './get-book-file-url';

export type OpdsRequest =
  | { readonly kind: 'root' | 'new' | 'popular' | 'opensearch' }
  | { readonly kind: 'search'; readonly q: string; readonly cursor?: string | undefined }
  | { readonly kind: 'author'; readonly authorId: string; readonly cursor?: string | undefined }
  | { readonly kind: 'series'; readonly seriesId: string }
  | { readonly kind: 'book'; readonly bookId: string }
  | { readonly kind: 'loans'; readonly readerId: string };

export interface OpdsDocument {
  readonly contentType: string;
  readonly body: string;
}

export interface BrowseOpdsDeps {
  readonly catalogue: Pick<CatalogueRepository, 'listBooks' | 'getSeries'>;
  readonly opds: OpdsCatalogue;
  /** For the loans feed: the reader's loans and their files' signed URLs. */
  readonly files: GetBookFileUrlDeps | null;
  readonly now: () => Date;
}

/** Books per acquisition feed page. */
export const opdsPageSize = 24;

const xml = (contentType: string, body: string): OpdsDocument => ({
  contentType: `${contentType};charset=utf-8`,
  body,
});

export async function browseOpdsCatalogue(
  deps: BrowseOpdsDeps,
  request: OpdsRequest,
  documentPath: string,
): Promise<OpdsDocument> {
  const links = new OpdsLinks(documentPath);
  const updated = (books: readonly OpdsBook[]) =>
    books.map((book) => book.updated).reduce((latest, at) => (at > latest ? at : latest), '') ||
    deps.now().toISOString();
  const feed = async (id: string, title: string, bookIds: readonly string[], extra: Partial<FeedExtras> = {}) => {
    const books = await deps.opds.books(bookIds);
    const header = { id, title, updated: updated(books), selfPath: documentPath, ...extra };
    return xml(opdsTypes.acquisition, acquisitionFeed(links, header, books, extra.acquisitions));
  };

  switch (request.kind) {
    case 'root':
      return xml(
        opdsTypes.navigation,
        navigationFeed(
          links,
          { id: 'urn:shelfwise:opds', title: 'Shelfwise', updated: deps.now().toISOString(), selfPath: documentPath },
          [
            {
              id: 'urn:shelfwise:opds:new',
              title: 'New',
              content: 'The latest additions',
              href: '/opds/new',
              rel: opdsRels.sortNew,
            },
            {
              id: 'urn:shelfwise:opds:popular',
              title: 'Popular',
              content: 'What readers borrow and read most',
              href: '/opds/popular',
              rel: opdsRels.sortPopular,
            },
            {
              id: 'urn:shelfwise:opds:loans',
              title: 'My loans',
              content: 'Your borrowed books (sign in)',
              href: '/opds/loans',
              rel: opdsRels.shelf,
            },
          ],
        ),
      );
    case 'opensearch':
      return xml('application/opensearchdescription+xml', openSearchDescription());
    case 'new':
      return feed('urn:shelfwise:opds:new', 'New', await deps.opds.newest(opdsPageSize));
    case 'popular':
      return feed('urn:shelfwise:opds:popular', 'Popular', await deps.opds.popular(opdsPageSize));
    case 'search': {
      const page = await deps.catalogue.listBooks(listQuery({ q: request.q, cursor: request.cursor }));
      return feed(`urn:shelfwise:opds:search:${encodeURIComponent(request.q)}`, `Search: ${request.q}`, ids(page), {
        links: nextLink(links, `/opds/search?q=${encodeURIComponent(request.q)}`, page.nextCursor),
        totals: { totalResults: page.total, itemsPerPage: page.limit, startIndex: page.offset + 1 },
      });
    }
    case 'author': {
      const page = await deps.catalogue.listBooks(listQuery({ authorId: request.authorId, cursor: request.cursor }));
      if (page.items.length === 0 && !request.cursor) throw new NotFoundError(`No books by author ${request.authorId}`);
      const books = await deps.opds.books(ids(page));
      const name = books.flatMap((book) => book.authors).find((author) => author.id === request.authorId)?.name;
      return feed(`urn:shelfwise:opds:author:${request.authorId}`, `By ${name ?? 'this author'}`, ids(page), {
        links: nextLink(links, `/opds/authors/${request.authorId}?`, page.nextCursor),
      });
    }
    case 'series': {
      const series = await deps.catalogue.getSeries(request.seriesId);
      if (!series) throw new NotFoundError(`No series ${request.seriesId}`);
      return feed(
        `urn:shelfwise:opds:series:${series.id}`,
        series.name,
        series.books.map((book) => book.id),
      );
    }
    case 'book': {
      const [book] = await deps.opds.books([request.bookId]);
      if (!book) throw new NotFoundError(`No book ${request.bookId}`);
      return xml(opdsTypes.entry, entryDocument(links, book));
    }
    case 'loans': {
      if (!deps.files) throw new NotFoundError('Loans are not served here');
      const files = deps.files;
      const { loans } = await files.store.readerLoans(request.readerId, 0);
      const open = loans.filter((loan) => loan.returnedAt === null && new Date(loan.dueAt) > deps.now());
      const acquisitions = new Map<string, OpdsAcquisition>();
      for (const loan of open) {
        const file = await getBookFileUrl(files, request.readerId, loan.id).catch((error: unknown) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        });
        if (file) acquisitions.set(loan.bookId, { url: file.url, format: file.format });
      }
      return feed(
        `urn:shelfwise:opds:loans:${request.readerId}`,
        'My loans',
        open.map((loan) => loan.bookId),
        {
          acquisitions,
        },
      );
    }
  }
}

interface FeedExtras {
  readonly links: ReturnType<typeof nextLink>;
  readonly totals: { readonly totalResults: number; readonly itemsPerPage: number; readonly startIndex: number };
  readonly acquisitions: ReadonlyMap<string, OpdsAcquisition>;
}

function listQuery(filters: Partial<ListBooksQuery>): ListBooksQuery {
  return { limit: opdsPageSize, offset: 0, ...filters };
}

function ids(page: { readonly items: readonly { readonly id: string }[] }): string[] {
  return page.items.map((item) => item.id);
}

function nextLink(links: OpdsLinks, path: string, cursor: string | null) {
  if (!cursor) return [];
  const separator = path.endsWith('?') ? '' : '&';
  return [
    {
      rel: 'next',
      href: links.to(`${path}${separator}cursor=${encodeURIComponent(cursor)}`),
      type: opdsTypes.acquisition,
    },
  ];
}
