/**
 * OPDS 1.2 catalogue documents (Atom feeds and entries, and the OpenSearch description), built with fast-xml-parser's
 * XMLBuilder (which escapes text and attributes). Pure: the use case gathers the books, this writes them.
 *
 * Links are relative to the document they are in (`../new` from `/opds/search`), so the same feeds work wherever
 * the API is mounted (`/api` under `npm start`, the root of the API's domain in AWS); files are absolute signed URLs.
 */
import { XMLBuilder } from 'fast-xml-parser';

export const opdsNamespaces = {
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/terms/',
  opds: 'http://opds-spec.org/2010/catalog',
  opensearch: 'http://a9.com/-/spec/opensearch/1.1/',
} as const;

export const opdsTypes = {
  navigation: 'application/atom+xml;profile=opds-catalog;kind=navigation',
  acquisition: 'application/atom+xml;profile=opds-catalog;kind=acquisition',
  entry: 'application/atom+xml;type=entry;profile=opds-catalog',
  openSearch: 'application/opensearchdescription+xml',
} as const;

export const opdsRels = {
  borrow: 'http://opds-spec.org/acquisition/borrow',
  acquisition: 'http://opds-spec.org/acquisition',
  sortNew: 'http://opds-spec.org/sort/new',
  sortPopular: 'http://opds-spec.org/sort/popular',
  shelf: 'http://opds-spec.org/shelf',
} as const;

/** A book as an OPDS entry shows it. */
export interface OpdsBook {
  readonly id: string;
  readonly title: string;
  readonly authors: readonly { readonly id: string; readonly name: string }[];
  readonly series: { readonly id: string; readonly name: string; readonly index: number | null } | null;
  readonly languages: readonly string[];
  readonly subjects: readonly string[];
  readonly description: string | null;
  readonly year: number | null;
  readonly publisher: string | null;
  /** ISO 8601. */
  readonly updated: string;
  /** Formats a loan gives (stored files first, else the formats the source library lists), upper case. */
  readonly formats: readonly string[];
}

/** A signed file URL, for the acquisition link of a book the reader has on loan. */
export interface OpdsAcquisition {
  readonly url: string;
  readonly format: string;
}

const mediaTypes: Readonly<Record<string, string>> = {
  EPUB: 'application/epub+zip',
  PDF: 'application/pdf',
  TXT: 'text/plain',
  MOBI: 'application/x-mobipocket-ebook',
  AZW3: 'application/vnd.amazon.ebook',
  CBZ: 'application/vnd.comicbook+zip',
  FB2: 'application/x-fictionbook+xml',
  HTMLZ: 'application/zip',
};

export function mediaTypeOf(format: string): string {
  return mediaTypes[format.toUpperCase()] ?? 'application/octet-stream';
}

/** Where the document is (its path below the API, e.g. `/opds/authors/3?cursor=…`): links are relative to it. */
export class OpdsLinks {
  private readonly toRoot: string;

  constructor(documentPath: string) {
    const depth = (documentPath.split('?')[0] ?? '').split('/').filter((segment) => segment.length > 0).length;
    this.toRoot = '../'.repeat(Math.max(0, depth - 1));
  }

  /** `path` below the API (`/opds/new`) as a link relative to the document. */
  to(path: string): string {
    return `${this.toRoot}${path.replace(/^\//, '')}`;
  }
}

export interface FeedLink {
  readonly rel: string;
  readonly href: string;
  readonly type: string;
  readonly title?: string;
}

export interface NavigationEntry {
  readonly id: string;
  readonly title: string;
  readonly content: string;
  readonly href: string;
  readonly rel: string;
}

interface FeedHeader {
  readonly id: string;
  readonly title: string;
  readonly updated: string;
  readonly selfPath: string;
  readonly kind: 'navigation' | 'acquisition';
  readonly links?: readonly FeedLink[];
  /** Search results: OpenSearch's counts. */
  readonly totals?: { readonly totalResults: number; readonly itemsPerPage: number; readonly startIndex: number };
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
});

const declaration = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } };

function link(value: FeedLink): Record<string, string> {
  return {
    '@_rel': value.rel,
    '@_href': value.href,
    '@_type': value.type,
    ...(value.title ? { '@_title': value.title } : {}),
  };
}

function header(links: OpdsLinks, feed: FeedHeader): Record<string, unknown> {
  return {
    '@_xmlns': opdsNamespaces.atom,
    '@_xmlns:dc': opdsNamespaces.dc,
    '@_xmlns:opds': opdsNamespaces.opds,
    '@_xmlns:opensearch': opdsNamespaces.opensearch,
    id: feed.id,
    title: feed.title,
    updated: feed.updated,
    author: { name: 'Shelfwise', uri: links.to('/opds') },
    ...(feed.totals
      ? {
          'opensearch:totalResults': feed.totals.totalResults,
          'opensearch:itemsPerPage': feed.totals.itemsPerPage,
          'opensearch:startIndex': feed.totals.startIndex,
        }
      : {}),
    link: [
      link({ rel: 'self', href: links.to(feed.selfPath), type: opdsTypes[feed.kind] }),
      link({ rel: 'start', href: links.to('/opds'), type: opdsTypes.navigation, title: 'Shelfwise' }),
      link({ rel: 'search', href: links.to('/opds/opensearch.xml'), type: opdsTypes.openSearch, title: 'Search' }),
      ...(feed.links ?? []).map(link),
    ],
  };
}

export function navigationFeed(links: OpdsLinks, feed: Omit<FeedHeader, 'kind'>, entries: NavigationEntry[]): string {
  return builder.build({
    ...declaration,
    feed: {
      ...header(links, { ...feed, kind: 'navigation' }),
      entry: entries.map((entry) => ({
        title: entry.title,
        id: entry.id,
        updated: feed.updated,
        content: { '#text': entry.content, '@_type': 'text' },
        link: [link({ rel: entry.rel, href: links.to(entry.href), type: opdsTypes.acquisition })],
      })),
    },
  }) as string;
}

function bookEntry(links: OpdsLinks, book: OpdsBook, acquisition?: OpdsAcquisition): Record<string, unknown> {
  const borrow = {
    ...link({ rel: opdsRels.borrow, href: links.to(`/opds/books/${book.id}/borrow`), type: opdsTypes.entry }),
    'opds:indirectAcquisition': book.formats.map((format) => ({ '@_type': mediaTypeOf(format) })),
  };
  return {
    title: book.title,
    id: `urn:shelfwise:book:${book.id}`,
    updated: book.updated,
    author: book.authors.map((author) => ({ name: author.name, uri: links.to(`/opds/authors/${author.id}`) })),
    'dc:language': book.languages,
    ...(book.year !== null ? { 'dc:issued': String(book.year) } : {}),
    ...(book.publisher ? { 'dc:publisher': book.publisher } : {}),
    category: book.subjects.map((subject) => ({ '@_term': subject, '@_label': subject })),
    ...(book.description ? { summary: { '#text': book.description, '@_type': 'text' } } : {}),
    link: [
      link({ rel: 'alternate', href: links.to(`/opds/books/${book.id}`), type: opdsTypes.entry, title: book.title }),
      ...(acquisition
        ? [link({ rel: opdsRels.acquisition, href: acquisition.url, type: mediaTypeOf(acquisition.format) })]
        : [borrow]),
      ...book.authors.map((author) =>
        link({
          rel: 'related',
          href: links.to(`/opds/authors/${author.id}`),
          type: opdsTypes.acquisition,
          title: `By ${author.name}`,
        }),
      ),
      ...(book.series
        ? [
            link({
              rel: 'related',
              href: links.to(`/opds/series/${book.series.id}`),
              type: opdsTypes.acquisition,
              title: `Series: ${book.series.name}`,
            }),
          ]
        : []),
    ],
  };
}

export function acquisitionFeed(
  links: OpdsLinks,
  feed: Omit<FeedHeader, 'kind'>,
  books: readonly OpdsBook[],
  acquisitions: ReadonlyMap<string, OpdsAcquisition> = new Map(),
): string {
  return builder.build({
    ...declaration,
    feed: {
      ...header(links, { ...feed, kind: 'acquisition' }),
      entry: books.map((book) => bookEntry(links, book, acquisitions.get(book.id))),
    },
  }) as string;
}

/** A complete entry document (the target of an entry's `alternate` link, and the answer to a borrow). */
export function entryDocument(links: OpdsLinks, book: OpdsBook, acquisition?: OpdsAcquisition): string {
  return builder.build({
    ...declaration,
    entry: {
      '@_xmlns': opdsNamespaces.atom,
      '@_xmlns:dc': opdsNamespaces.dc,
      '@_xmlns:opds': opdsNamespaces.opds,
      ...bookEntry(links, book, acquisition),
    },
  }) as string;
}

/** The OpenSearch description; its template is relative to the description's own URL (`/opds/opensearch.xml`). */
export function openSearchDescription(): string {
  return builder.build({
    ...declaration,
    OpenSearchDescription: {
      '@_xmlns': opdsNamespaces.opensearch,
      ShortName: 'Shelfwise',
      Description: 'Search the Shelfwise catalogue: titles, authors, subjects; accents optional.',
      InputEncoding: 'UTF-8',
      OutputEncoding: 'UTF-8',
      Url: { '@_type': opdsTypes.acquisition, '@_template': 'search?q={searchTerms}' },
    },
  }) as string;
}
