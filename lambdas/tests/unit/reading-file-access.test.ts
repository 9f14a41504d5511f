import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CloudFrontUrlSigner } from '../../src/reading/adapters/cloudfront-url-signer';
import { HmacUrlSigner, verifyHmacUrl } from '../../src/reading/adapters/hmac-url-signer';
import type { Loan } from '../../src/reading/domain/lending';
import type { BookFile, BookFileObjects, BookFiles, LendingStore, UrlSigner } from '../../src/reading/ports';
import { getBookFileUrl } from '../../src/reading/use-cases/get-book-file-url';
import { storeBookFile } from '../../src/reading/use-cases/store-book-file';

const secret = 'a-test-secret-of-at-least-32-characters';
const now = new Date('2026-12-01T10:00:00Z');

describe('HmacUrlSigner', () => {
  it('signs the key and the expiry, and the signature checks out until the expiry only', async () => {
    // Prepare
    const signer = new HmacUrlSigner('http://127.0.0.1:3000/local-files/', secret);

    // Act
    const url = new URL(await signer.sign('files/ab cd.epub', new Date(now.getTime() + 60_000)));
    const [expires, signature] = [url.searchParams.get('expires'), url.searchParams.get('signature')];

    // Assess
    expect(url.pathname).toBe('/local-files/files/ab%20cd.epub');
    expect(verifyHmacUrl(secret, 'files/ab cd.epub', expires, signature, now)).toEqual({ ok: true });
    expect(verifyHmacUrl(secret, 'files/other.epub', expires, signature, now)).toMatchObject({ ok: false });
    expect(verifyHmacUrl(secret, 'files/ab cd.epub', `${expires}0`, signature, now)).toMatchObject({ ok: false });
    expect(verifyHmacUrl('another-secret-of-at-least-32-chars!', 'files/ab cd.epub', expires, signature, now)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyHmacUrl(secret, 'files/ab cd.epub', expires, signature, new Date(now.getTime() + 60_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });
});

describe('CloudFrontUrlSigner', () => {
  it('makes a canned-policy signed URL that the public key of the key group verifies', async () => {
    // Prepare
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const signer = new CloudFrontUrlSigner('https://books.example.net', 'K2EXAMPLE', () => Promise.resolve(pem));
    const expiresAt = new Date(now.getTime() + 300_000);

    // Act
    const url = new URL(await signer.sign('files/abc.epub', expiresAt));
    const resource = `${url.origin}${url.pathname}`;
    const policy = JSON.stringify({
      Statement: [{ Resource: resource, Condition: { DateLessThan: { 'AWS:EpochTime': expiresAt.getTime() / 1000 } } }],
    });
    const signature = Buffer.from(
      url.searchParams.get('Signature')!.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'),
      'base64',
    );

    // Assess
    expect(resource).toBe('https://books.example.net/files/abc.epub');
    expect(url.searchParams.get('Key-Pair-Id')).toBe('K2EXAMPLE');
    expect(url.searchParams.get('Expires')).toBe(String(expiresAt.getTime() / 1000));
    expect(verify('RSA-SHA1', Buffer.from(policy), publicKey, signature)).toBe(true);
  });
});

describe('getBookFileUrl', () => {
  const loan: Loan = {
    id: '7',
    bookId: '42',
    readerId: 'reader-a',
    borrowedAt: '2026-11-20T10:00:00.000Z',
    dueAt: '2026-12-01T10:02:00.000Z',
    returnedAt: null,
    endReason: null,
  };
  const epub: BookFile = { bookId: '42', format: 'EPUB', contentHash: 'h1', sizeBytes: 10, key: 'files/h1.epub' };
  const pdf: BookFile = { bookId: '42', format: 'PDF', contentHash: 'h2', sizeBytes: 20, key: 'files/h2.pdf' };
  const deps = (stored: Loan | null, files: BookFile[] = [epub, pdf]) => {
    const store = { loanOf: (readerId: string) => Promise.resolve(readerId === stored?.readerId ? stored : null) };
    const bookFiles: Pick<BookFiles, 'filesOf'> = { filesOf: () => Promise.resolve(files) };
    const signer: UrlSigner = { sign: (key, at) => Promise.resolve(`signed:${key}@${at.toISOString()}`) };
    return {
      store: store as unknown as LendingStore,
      files: bookFiles as BookFiles,
      signer,
      urlTtlSeconds: 300,
      now: () => now,
    };
  };

  it("signs the preferred file's key, never past the loan's due time", async () => {
    // Act
    const preferred = await getBookFileUrl(deps(loan), 'reader-a', '7');
    const asked = await getBookFileUrl(deps(loan), 'reader-a', '7', 'pdf');

    // Assess
    expect(preferred).toEqual({
      url: 'signed:files/h1.epub@2026-12-01T10:02:00.000Z',
      expiresAt: loan.dueAt,
      format: 'EPUB',
      sizeBytes: 10,
    });
    expect(asked.format).toBe('PDF');
  });

  it("refuses another reader's loan and an ended or due loan (403), and a missing file (404)", async () => {
    // Act
    const outcomes = await Promise.allSettled([
      getBookFileUrl(deps(loan), 'reader-b', '7'),
      getBookFileUrl(deps({ ...loan, returnedAt: now.toISOString(), endReason: 'returned' }), 'reader-a', '7'),
      getBookFileUrl(deps({ ...loan, dueAt: now.toISOString() }), 'reader-a', '7'),
      getBookFileUrl(deps(loan, []), 'reader-a', '7'),
    ]);

    // Assess
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).name : 'ok'))).toEqual([
      'ForbiddenError',
      'ForbiddenError',
      'ForbiddenError',
      'NotFoundError',
    ]);
  });
});

describe('storeBookFile', () => {
  function fakes() {
    const objects = new Map<string, { body: Uint8Array; contentType: string }>();
    const recorded: BookFile[] = [];
    const store: BookFileObjects = {
      exists: (key) => Promise.resolve(objects.has(key)),
      put: (key, body, contentType) => {
        objects.set(key, { body, contentType });
        return Promise.resolve();
      },
    };
    const deps = {
      objects: store,
      files: { record: (file: BookFile) => Promise.resolve(void recorded.push(file)) },
      maxBytes: 16,
    };
    return { objects, recorded, deps };
  }

  it('copies a file once under its content hash and records it for the book', async () => {
    // Prepare
    const { objects, recorded, deps } = fakes();
    const bytes = new TextEncoder().encode('an epub');

    // Act
    const first = await storeBookFile(deps, '42', 'epub', bytes);
    const again = await storeBookFile(deps, '42', 'EPUB', bytes);

    // Assess
    expect(first).toMatchObject({ status: 'stored', file: { format: 'EPUB', sizeBytes: 7 } });
    expect(again.status).toBe('unchanged');
    expect([...objects.keys()]).toEqual([expect.stringMatching(/^files\/[0-9a-f]{64}\.epub$/)]);
    expect([...objects.values()][0]?.contentType).toBe('application/epub+zip');
    expect(recorded).toHaveLength(2);
  });

  it('refuses a file over the size limit and writes nothing', async () => {
    // Prepare
    const { objects, recorded, deps } = fakes();

    // Act
    const outcome = await storeBookFile(deps, '42', 'PDF', new Uint8Array(17));

    // Assess
    expect(outcome).toEqual({ status: 'refused', reason: 'The PDF file is 17 bytes, over the limit of 16' });
    expect([objects.size, recorded.length]).toEqual([0, 0]);
  });
});
