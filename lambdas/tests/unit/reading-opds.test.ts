import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { BookPage, Series } from '../../src/catalogue/domain/book';
import type { Loan } from '../../src/reading/domain/lending';
import { opdsNamespaces, opdsRels, opdsTypes, type OpdsBook } from '../../src/reading/domain/opds';
import type { LendingStore, OpdsCatalogue } from '../../src/reading/ports';
import {
  browseOpdsCatalogue,
  type BrowseOpdsDeps,
  type OpdsRequest,
} from '../../src/reading/use-cases/browse-opds-catalogue';

type Node = Record<string, unknown>;
interface Link {
  '@_rel': string;
  '@_href': string;
  '@_type': string;
  'opds:indirectAcquisition'?: { '@_type': string }[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['entry', 'link', 'author', 'category', 'dc:language', 'opds:indirectAcquisition'].includes(name),
});

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const api = 'http://127.0.0.1:3000/api';

const books: Record<string, OpdsBook> = {
  '1': {
    id: '1',
    title: 'Pride & Prejudice <1813>',
    authors: [{ id: '10', name: 'Jane Austen' }],
    series: null,
    languages: ['eng'],
    subjects: ['Fiction', 'Romance'],
    description: 'A novel of manners.',
    year: 1813,
    publisher: 'T. Egerton',
    updated: '2026-11-01T00:00:00.000Z',
    formats: ['EPUB', 'PDF'],
  },
  '2': {
    id: '2',
    title: 'The Fellowship of the Ring',
    authors: [{ id: '11', name: 'J. R. R. Tolkien' }],
    series: { id: '5', name: 'The Lord of the Rings', index: 1 },
    languages: ['eng'],
    subjects: [],
    description: null,
    year: 1954,
    publisher: null,
    updated: '2026-11-02T00:00:00.000Z',
    formats: ['EPUB'],
  },
};

const page = (ids: string[], nextCursor: string | null = null): BookPage => ({
  items: ids.map((id) => ({
    id,
    title: books[id]!.title,
    authors: [],
    year: null,
    languages: [],
    subjects: [],
    description: null,
  })),
  total: ids.length,
  limit: 24,
  offset: 0,
  nextCursor,
});

const loan: Loan = {
  id: '70',
  bookId: '1',
  readerId: 'reader-a',
  borrowedAt: '2026-11-30T10:00:00.000Z',
  dueAt: '2026-12-14T10:00:00.000Z',
  returnedAt: null,
  endReason: null,
};

function deps(): BrowseOpdsDeps {
  const opds: OpdsCatalogue = {
    newest: () => Promise.resolve(['2', '1']),
    popular: () => Promise.resolve(['1']),
    books: (ids) => Promise.resolve(ids.flatMap((id) => books[id] ?? [])),
  };
  const series: Series = {
    id: '5',
    name: 'The Lord of the Rings',
    books: [{ ...page(['2']).items[0]!, seriesIndex: 1 }],
  };
  const store = {
    readerLoans: () => Promise.resolve({ loans: [loan], holds: [] }),
    loanOf: (readerId: string, loanId: string) =>
      Promise.resolve(readerId === loan.readerId && loanId === loan.id ? loan : null),
  } as unknown as LendingStore;
  return {
    catalogue: {
      listBooks: (query) => Promise.resolve(query.authorId === '10' ? page(['1']) : page(['1', '2'], 'next-page')),
      getSeries: (id) => Promise.resolve(id === '5' ? series : undefined),
    },
    opds,
    files: {
      store,
      files: {
        filesOf: () =>
          Promise.resolve([{ bookId: '1', format: 'EPUB', contentHash: 'h', sizeBytes: 3, key: 'f/h.epub' }]),
        withFiles: () => Promise.resolve(new Map()),
        record: () => Promise.resolve(),
      },
      signer: { sign: (key) => Promise.resolve(`https://books.example.net/${key}?Signature=s`) },
      urlTtlSeconds: 300,
      now: () => new Date('2026-12-01T10:00:00Z'),
    },
    now: () => new Date('2026-12-01T10:00:00Z'),
  };
}

async function get(request: OpdsRequest, path: string) {
  const document = await browseOpdsCatalogue(deps(), request, path);
  return { ...document, xml: parser.parse(document.body) as Node, url: `${api}${path}` };
}

const resolve = (href: string, base: string) => new URL(href, base).toString();

/** The rules of OPDS 1.2 (and Atom, RFC 4287) every catalogue feed must follow. */
function assertOpdsFeed(xml: Node, url: string, kind: 'navigation' | 'acquisition') {
  const feed = xml.feed as Node;
  expect(feed).toBeDefined();
  expect(feed['@_xmlns']).toBe(opdsNamespaces.atom);
  expect(feed['@_xmlns:dc']).toBe(opdsNamespaces.dc);
  expect(feed['@_xmlns:opds']).toBe(opdsNamespaces.opds);
  expect(typeof feed.id).toBe('string');
  expect(String(feed.title).length).toBeGreaterThan(0);
  expect(String(feed.updated)).toMatch(rfc3339);
  const links = feed.link as Link[];
  expect(links.find((link) => link['@_rel'] === 'self')?.['@_type']).toBe(opdsTypes[kind]);
  expect(resolve(links.find((link) => link['@_rel'] === 'start')!['@_href'], url)).toBe(`${api}/opds`);
  const search = links.find((link) => link['@_rel'] === 'search')!;
  expect(search['@_type']).toBe(opdsTypes.openSearch);
  expect(resolve(search['@_href'], url)).toBe(`${api}/opds/opensearch.xml`);
  const entries = (feed.entry ?? []) as Node[];
  for (const entry of entries) {
    expect(typeof entry.id).toBe('string');
    expect(String(entry.title).length).toBeGreaterThan(0);
    expect(String(entry.updated)).toMatch(rfc3339);
    const entryLinks = entry.link as Link[];
    if (kind === 'navigation') {
      expect(
        entryLinks.every((link) => [opdsTypes.acquisition, opdsTypes.navigation].includes(link['@_type'] as never)),
      ).toBe(true);
    } else {
      expect((entry.author as unknown[]).length).toBeGreaterThan(0);
      expect(entryLinks.some((link) => link['@_rel'].startsWith(opdsRels.acquisition))).toBe(true);
    }
  }
  return { feed, entries, links };
}

describe('browseOpdsCatalogue', () => {
  it('serves a navigation root linking to acquisition feeds of new, popular and the loans', async () => {
    // Act
    const root = await get({ kind: 'root' }, '/opds');

    // Assess
    expect(root.contentType).toBe(`${opdsTypes.navigation};charset=utf-8`);
    const { entries } = assertOpdsFeed(root.xml, root.url, 'navigation');
    const targets = entries.map((entry) => {
      const link = (entry.link as Link[])[0]!;
      return [link['@_rel'], resolve(link['@_href'], root.url)];
    });
    expect(targets).toEqual([
      [opdsRels.sortNew, `${api}/opds/new`],
      [opdsRels.sortPopular, `${api}/opds/popular`],
      [opdsRels.shelf, `${api}/opds/loans`],
    ]);
  });

  it('lists books as acquisition feed entries with borrow links, formats, authors and series', async () => {
    // Act
    const latest = await get({ kind: 'new' }, '/opds/new');

    // Assess
    const { entries, feed } = assertOpdsFeed(latest.xml, latest.url, 'acquisition');
    expect(feed.updated).toBe('2026-11-02T00:00:00.000Z');
    expect(entries.map((entry) => entry.title)).toEqual(['The Fellowship of the Ring', 'Pride & Prejudice <1813>']);
    const pride = entries[1]!;
    const links = pride.link as Link[];
    const borrow = links.find((link) => link['@_rel'] === opdsRels.borrow)!;
    expect(borrow['@_type']).toBe(opdsTypes.entry);
    expect(resolve(borrow['@_href'], latest.url)).toBe(`${api}/opds/books/1/borrow`);
    expect(borrow['opds:indirectAcquisition']?.map((item) => item['@_type'])).toEqual([
      'application/epub+zip',
      'application/pdf',
    ]);
    expect(resolve(links.find((link) => link['@_rel'] === 'alternate')!['@_href'], latest.url)).toBe(
      `${api}/opds/books/1`,
    );
    expect(pride['dc:language']).toEqual(['eng']);
    expect(pride['dc:issued']).toBe('1813');
    expect((pride.author as Node[])[0]).toMatchObject({ name: 'Jane Austen' });
    const fellowship = (entries[0]!.link as Link[]).filter((link) => link['@_rel'] === 'related');
    expect(fellowship.map((link) => resolve(link['@_href'], latest.url))).toEqual([
      `${api}/opds/authors/11`,
      `${api}/opds/series/5`,
    ]);
  });

  it('answers searches with OpenSearch counts and a next page, and describes the search', async () => {
    // Act
    const results = await get({ kind: 'search', q: 'pride & joy' }, '/opds/search?q=pride%20%26%20joy');
    const description = await get({ kind: 'opensearch' }, '/opds/opensearch.xml');

    // Assess
    const { feed, links } = assertOpdsFeed(results.xml, results.url, 'acquisition');
    expect(feed['opensearch:totalResults']).toBe('2');
    expect(feed['opensearch:itemsPerPage']).toBe('24');
    const next = links.find((link) => link['@_rel'] === 'next')!;
    expect(resolve(next['@_href'], results.url)).toBe(`${api}/opds/search?q=pride%20%26%20joy&cursor=next-page`);
    const url = (description.xml.OpenSearchDescription as Node).Url as Node;
    expect(url['@_type']).toBe(opdsTypes.acquisition);
    expect(resolve(String(url['@_template']), description.url)).toBe(`${api}/opds/search?q={searchTerms}`);
  });

  it('serves per-author and per-series feeds and single entries', async () => {
    // Act
    const author = await get({ kind: 'author', authorId: '10' }, '/opds/authors/10');
    const series = await get({ kind: 'series', seriesId: '5' }, '/opds/series/5');
    const entry = await get({ kind: 'book', bookId: '2' }, '/opds/books/2');
    const missing = browseOpdsCatalogue(deps(), { kind: 'series', seriesId: '6' }, '/opds/series/6');

    // Assess
    expect(assertOpdsFeed(author.xml, author.url, 'acquisition').feed.title).toBe('By Jane Austen');
    expect(assertOpdsFeed(series.xml, series.url, 'acquisition').entries.map((e) => e.title)).toEqual([
      'The Fellowship of the Ring',
    ]);
    expect(entry.contentType).toBe(`${opdsTypes.entry};charset=utf-8`);
    expect((entry.xml.entry as Node[])[0]).toMatchObject({
      id: 'urn:shelfwise:book:2',
      '@_xmlns': opdsNamespaces.atom,
    });
    await expect(missing).rejects.toThrow(/No series 6/);
  });

  it("gives the reader's loans with a signed acquisition link to the file instead of the borrow link", async () => {
    // Act
    const loans = await get({ kind: 'loans', readerId: 'reader-a' }, '/opds/loans');

    // Assess
    const { entries } = assertOpdsFeed(loans.xml, loans.url, 'acquisition');
    const links = entries[0]!.link as Link[];
    expect(links.find((link) => link['@_rel'] === opdsRels.acquisition)).toMatchObject({
      '@_href': 'https://books.example.net/f/h.epub?Signature=s',
      '@_type': 'application/epub+zip',
    });
    expect(links.some((link) => link['@_rel'] === opdsRels.borrow)).toBe(false);
  });
});
