/**
 * The books distribution on one machine: what CloudFront does with a signed URL, for the HMAC-signed URLs the loans
 * API makes under `npm start` (lambdas/src/reading/adapters/hmac-url-signer.ts). `GET /local-files/<key>?expires=…
 * &signature=…` checks the signature and the expiry (403 as CloudFront answers, without reading the object), then
 * streams the object from the local S3's books bucket, with `Range` passed through (PDF viewers read in ranges).
 * Covers (`/local-files/covers/<sha-256>.jpg`) are public, as the distribution's unsigned `covers/*` behaviour serves
 * them: no signature is asked for, and they may be cached.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { coversBaseUrlEnv } from '@shelfwise/lambdas/catalogue/config';
import { verifyHmacUrl } from '@shelfwise/lambdas/reading/adapters/hmac-url-signer';
import { readingEnv } from '@shelfwise/lambdas/reading/config';
import { coverPrefix } from '@shelfwise/lambdas/reading/use-cases/store-book-cover';
import { buckets } from '@shelfwise/lambdas/shared/infrastructure';

export const localFilesPath = '/local-files';

export interface LocalFiles {
  /** The loans API's signing settings, for the handlers' environment (a new secret at every start). */
  readonly environment: Readonly<Record<string, string>>;
  /** The request listener for paths under `localFilesPath`. */
  readonly route: (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;
  /** Tells the handlers where files are served, once the server's origin is known. */
  serveAt(origin: string): Record<string, string>;
  stop(): void;
}

export function createLocalFiles(options: { s3Endpoint: string; region: string; now?: () => Date }): LocalFiles {
  const secret = randomBytes(32).toString('base64url');
  const now = options.now ?? (() => new Date());
  const s3 = new S3Client({
    region: options.region,
    endpoint: options.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });

  const deny = (response: ServerResponse, status: number, message: string) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ message }));
  };

  const route = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return deny(response, 405, 'Method not allowed');
    const key = url.pathname
      .slice(localFilesPath.length + 1)
      .split('/')
      .map(decodeURIComponent)
      .join('/');
    const isCover = key.startsWith(coverPrefix) && !key.includes('..');
    const verdict = isCover
      ? ({ ok: true } as const)
      : verifyHmacUrl(secret, key, url.searchParams.get('expires'), url.searchParams.get('signature'), now());
    if (!verdict.ok) {
      return deny(response, 403, verdict.reason === 'expired' ? 'Access denied: the URL has expired' : 'Access denied');
    }
    try {
      const object = await s3.send(
        new GetObjectCommand({
          Bucket: buckets.books.localName,
          Key: key,
          ...(request.headers.range ? { Range: request.headers.range } : {}),
        }),
      );
      response.writeHead(object.ContentRange ? 206 : 200, {
        'content-type': object.ContentType ?? 'application/octet-stream',
        'cache-control': isCover ? 'public, max-age=86400' : 'private, no-store',
        'accept-ranges': 'bytes',
        ...(object.ContentLength !== undefined ? { 'content-length': String(object.ContentLength) } : {}),
        ...(object.ContentRange ? { 'content-range': object.ContentRange } : {}),
      });
      if (request.method === 'HEAD' || !object.Body) {
        response.end();
        return;
      }
      (object.Body as Readable).pipe(response);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return deny(response, 404, 'No such file');
      if (name === 'InvalidRange') return deny(response, 416, 'Range not satisfiable');
      throw error;
    }
  };

  return {
    environment: { [readingEnv.hmacSecret]: secret },
    route: (request, response, url) =>
      route(request, response, url).catch(() => {
        if (!response.headersSent) deny(response, 500, 'Internal error');
        else response.destroy();
      }),
    serveAt(origin) {
      const settings = {
        [readingEnv.filesUrl]: `${origin}${localFilesPath}`,
        // The catalogue API's cover URLs (lambdas/src/catalogue/config.ts).
        [coversBaseUrlEnv]: `${origin}${localFilesPath}`,
      };
      Object.assign(process.env, settings);
      return settings;
    },
    stop: () => s3.destroy(),
  };
}
