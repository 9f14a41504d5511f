/**
 * Reading on the local stack, end to end: loans and holds through the HTTP API with the local token issuer's tokens,
 * and book files through HMAC-signed URLs served by the local files route from the local S3.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { PostgresBookFiles } from '@shelfwise/lambdas/reading/adapters/postgres-book-files';
import { S3BookFileObjects } from '@shelfwise/lambdas/reading/adapters/s3-book-file-objects';
import { storeBookCover } from '@shelfwise/lambdas/reading/use-cases/store-book-cover';
import { storeBookFile } from '@shelfwise/lambdas/reading/use-cases/store-book-file';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';
import { XMLParser } from 'fast-xml-parser';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../src/runtime';
import { freePorts } from './support/free-ports';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reading on the local stack', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let pool: pg.Pool;
  let bookIds: string[];
  const epub = Buffer.from('PK\u0003\u0004 a tiny stand-in for an EPUB file');
  const cover = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 7, 7, 7, 0xff, 0xd9]);
  const [subA, subB] = [randomUUID(), randomUUID()];
  const tokens: Record<string, string> = {};
  /** What the hook answered for the EPUB, stored twice. */
  let storedStatuses: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shelfwise-reading-'));
    const ports = await freePorts(6);
    runtime = await startLocalRuntime({
      dataDir,
      port: ports[0]!,
      servicePorts: {
        postgres: ports[1]!,
        s3: ports[2]!,
        kinesis: ports[3]!,
        dynamodb: ports[4]!,
        identity: ports[5]!,
      },
      reset: true,
      demoCatalogue: true,
      // Short-lived URLs, so that the test can see one expire.
      environment: { BOOK_FILES_URL_TTL_SECONDS: '2' },
    });
    tokens[subA] = await runtime.identity.issue({ sub: subA });
    tokens[subB] = await runtime.identity.issue({ sub: subB });
    const page = (await (await fetch(`${runtime.apiUrl}/books?limit=5`)).json()) as { items: { id: string }[] };
    bookIds = page.items.map((book) => book.id);
    pool = new pg.Pool({ connectionString: runtime.environment.DATABASE_URL, max: 2 });
    // One copy of the first book, and its EPUB in the books bucket through the hook the ingest is to call.
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: runtime.environment.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const objects = new S3BookFileObjects(s3, buckets.books.localName);
    const deps = { objects, files: new PostgresBookFiles(pool), maxBytes: 1024 };
    const stored = await storeBookFile(deps, bookIds[0]!, 'EPUB', epub);
    const again = await storeBookFile(deps, bookIds[0]!, 'EPUB', epub);
    // Calibre's cover of the second book, as the ingest stores it.
    await storeBookCover({ objects, covers: new PostgresBookFiles(pool), maxBytes: 1024 }, bookIds[1]!, cover);
    s3.destroy();
    storedStatuses = [stored.status, again.status];
    await pool.query('INSERT INTO book_copies (book_id, copies) VALUES ($1, 1)', [bookIds[0]]);
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function call(method: string, route: string, as?: string, body?: unknown) {
    const response = await fetch(`${runtime.apiUrl}${route}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  it("gives Calibre's cover as a public URL that serves its bytes without a signature, and null without one", async () => {
    // Act
    const withCover = (await (await fetch(`${runtime.apiUrl}/books/${bookIds[1]}`)).json()) as { coverUrl: string };
    const without = (await (await fetch(`${runtime.apiUrl}/books/${bookIds[2]}`)).json()) as { coverUrl: unknown };
    const image = await fetch(withCover.coverUrl);
    const page = (await (await fetch(`${runtime.apiUrl}/books?limit=5`)).json()) as {
      items: { id: string; coverUrl: string | null }[];
    };

    // Assess
    expect(withCover.coverUrl).toMatch(/\/local-files\/covers\/[0-9a-f]{64}\.jpg$/);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(cover);
    expect(without.coverUrl).toBeNull();
    expect(page.items.find((book) => book.id === bookIds[1])?.coverUrl).toBe(withCover.coverUrl);
  });

  it('lends the only copy once, queues a hold, and gives the copy to the holder after the return', async () => {
    // Act
    const anonymous = await call('POST', `/readers/anon-${randomUUID()}/loans`, undefined, { bookId: bookIds[0] });
    const borrowed = await call('POST', `/readers/${subA}/loans`, subA, { bookId: bookIds[0] });
    const again = await call('POST', `/readers/${subA}/loans`, subA, { bookId: bookIds[0] });
    const taken = await call('POST', `/readers/${subB}/loans`, subB, { bookId: bookIds[0] });
    const asOther = await call('POST', `/readers/${subA}/loans`, subB, { bookId: bookIds[1] });
    const hold = await call('POST', `/readers/${subB}/holds`, subB, { bookId: bookIds[0] });
    const listed = await call('GET', `/readers/${subA}/loans`, subA);
    const returned = await call('DELETE', `/readers/${subA}/loans/${String(borrowed.body.id)}`, subA);
    const holderLoans = await call('GET', `/readers/${subB}/loans`, subB);
    const holderBorrows = await call('POST', `/readers/${subB}/loans`, subB, { bookId: bookIds[0] });
    await call('DELETE', `/readers/${subB}/loans/${String(holderBorrows.body.id)}`, subB);

    // Assess
    expect(anonymous.status).toBe(401);
    expect(borrowed).toMatchObject({ status: 201, body: { bookId: bookIds[0], readerId: subA, returnedAt: null } });
    expect(again).toMatchObject({ status: 409, body: { reason: 'already-borrowed' } });
    expect(taken).toMatchObject({ status: 409, body: { reason: 'no-copy-free' } });
    expect(taken.body.message).toMatch(/place a hold/);
    expect(asOther.status).toBe(403);
    expect(hold).toMatchObject({ status: 201, body: { status: 'waiting', position: 1 } });
    expect(listed).toMatchObject({ status: 200, body: { loans: [{ id: borrowed.body.id }], holds: [] } });
    expect(returned).toMatchObject({ status: 200, body: { endReason: 'returned' } });
    expect(holderLoans.body.holds).toMatchObject([{ status: 'ready' }]);
    expect(holderBorrows.status).toBe(201);
  });

  it("serves the file to the loan's reader only, through a URL that stops working when it expires", async () => {
    // Prepare
    const loan = await call('POST', `/readers/${subA}/loans`, subA, { bookId: bookIds[0] });
    const route = `/readers/${subA}/loans/${String(loan.body.id)}/file`;

    // Act
    const file = await call('GET', route, subA);
    const url = String(file.body.url);
    const download = await fetch(url);
    const bytes = Buffer.from(await download.arrayBuffer());
    const tampered = await fetch(url.replace(/expires=\d+/, (match) => `${match}9`));
    const otherReadersId = await call('GET', route, subB);
    const otherReadersLoan = await call('GET', `/readers/${subB}/loans/${String(loan.body.id)}/file`, subB);
    await sleep(2_100);
    const expired = await fetch(url);

    // Assess
    expect(storedStatuses).toEqual(['stored', 'unchanged']);
    expect(file).toMatchObject({ status: 200, body: { format: 'EPUB', sizeBytes: epub.length } });
    expect(url.startsWith(`${runtime.url}/local-files/`)).toBe(true);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/epub+zip');
    expect(bytes.equals(epub)).toBe(true);
    expect(tampered.status).toBe(403);
    expect(otherReadersId.status).toBe(403);
    expect(otherReadersLoan.status).toBe(403);
    expect(expired.status).toBe(403);
    await call('DELETE', `/readers/${subA}/loans/${String(loan.body.id)}`, subA);
  });

  it('gives no new URL once the loan is returned or past due, and the old one dies with its lifetime', async () => {
    // Prepare
    const returnedLoan = await call('POST', `/readers/${subA}/loans`, subA, { bookId: bookIds[0] });
    const before = await call('GET', `/readers/${subA}/loans/${String(returnedLoan.body.id)}/file`, subA);
    await call('DELETE', `/readers/${subA}/loans/${String(returnedLoan.body.id)}`, subA);
    const dueLoan = await call('POST', `/readers/${subA}/loans`, subA, { bookId: bookIds[0] });
    await pool.query(
      `UPDATE loan SET borrowed_at = now() - interval '20 days', due_at = now() - interval '1 minute' WHERE id = $1`,
      [dueLoan.body.id],
    );

    // Act
    const afterReturn = await call('GET', `/readers/${subA}/loans/${String(returnedLoan.body.id)}/file`, subA);
    const afterDue = await call('GET', `/readers/${subA}/loans/${String(dueLoan.body.id)}/file`, subA);
    const listed = await call('GET', `/readers/${subA}/loans`, subA);
    await sleep(2_100);
    const oldUrl = await fetch(String(before.body.url));

    // Assess
    expect(before.status).toBe(200);
    expect(afterReturn.status).toBe(403);
    expect(afterDue.status).toBe(403);
    expect(
      (listed.body.loans as { id: string; endReason: string }[]).find((l) => l.id === dueLoan.body.id),
    ).toMatchObject({ endReason: 'expired' });
    expect(oldUrl.status).toBe(403);
  });

  it('lets an OPDS client go from the root to a search, an entry, a borrow and the file', async () => {
    // Prepare
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      isArray: (name) => ['entry', 'link'].includes(name),
    });
    type Link = { '@_rel': string; '@_href': string; '@_type': string };
    type Entry = { id: string; link: Link[] };
    type Document = {
      feed: { link: Link[]; entry: Entry[] };
      entry: Entry[];
      OpenSearchDescription: { Url: { '@_template': string } };
    };
    const getXml = async (url: string, init?: RequestInit) => {
      const response = await fetch(url, init);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        xml: parser.parse(await response.text()) as Document,
      };
    };
    const linkOf = (links: Link[], rel: string) => links.find((link) => link['@_rel'] === rel)!;
    const book = (await (await fetch(`${runtime.apiUrl}/books/${bookIds[0]}`)).json()) as { title: string };
    const rootUrl = `${runtime.apiUrl}/opds`;

    // Act
    const root = await getXml(rootUrl);
    const descriptionUrl = new URL(linkOf(root.xml.feed.link, 'search')['@_href'], rootUrl).toString();
    const description = await getXml(descriptionUrl);
    const template: string = description.xml.OpenSearchDescription.Url['@_template'];
    const searchUrl = new URL(
      template.replace('{searchTerms}', encodeURIComponent(book.title)),
      descriptionUrl,
    ).toString();
    const results = await getXml(searchUrl);
    const found = results.xml.feed.entry.find((entry) => entry.id === `urn:shelfwise:book:${bookIds[0]}`)!;
    const entryUrl = new URL(linkOf(found.link, 'alternate')['@_href'], searchUrl).toString();
    const entry = await getXml(entryUrl);
    const borrowUrl = new URL(
      linkOf(entry.xml.entry[0]!.link, 'http://opds-spec.org/acquisition/borrow')['@_href'],
      entryUrl,
    ).toString();
    const anonymousBorrow = await fetch(borrowUrl, { method: 'POST' });
    const borrowed = await getXml(borrowUrl, { method: 'POST', headers: { authorization: `Bearer ${tokens[subA]}` } });
    const acquisition = linkOf(borrowed.xml.entry[0]!.link, 'http://opds-spec.org/acquisition');
    const file = Buffer.from(await (await fetch(acquisition['@_href'])).arrayBuffer());
    const loans = await getXml(`${runtime.apiUrl}/opds/loans`, {
      headers: { authorization: `Bearer ${tokens[subA]}` },
    });
    const anonymousLoans = await fetch(`${runtime.apiUrl}/opds/loans`);

    // Assess
    expect(root).toMatchObject({
      status: 200,
      type: 'application/atom+xml;profile=opds-catalog;kind=navigation;charset=utf-8',
    });
    expect(results.status).toBe(200);
    expect(entry.type).toBe('application/atom+xml;type=entry;profile=opds-catalog;charset=utf-8');
    expect(anonymousBorrow.status).toBe(401);
    expect(borrowed.status).toBe(201);
    expect(acquisition['@_type']).toBe('application/epub+zip');
    expect(file.equals(epub)).toBe(true);
    expect((loans.xml.feed.entry as Record<string, unknown>[]).map((e) => e.id)).toEqual([
      `urn:shelfwise:book:${bookIds[0]}`,
    ]);
    expect(anonymousLoans.status).toBe(401);
  });
});
