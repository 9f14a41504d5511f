/**
 * HMAC-signed book file URLs, for `npm start` (local/src/reading/ serves them): `<base>/<key>?expires=<epoch
 * seconds>&signature=<base64url HMAC-SHA256 of "<key>\n<expires>">`. Like a CloudFront signed URL, it works for
 * whoever holds it until it expires; the signature covers the key and the expiry, so neither can be changed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UrlSigner } from '../ports';

function signature(secret: string, key: string, expires: number): string {
  return createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
}

/** An object key as a URL path: each segment encoded, slashes kept. */
export function keyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

export class HmacUrlSigner implements UrlSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  sign(key: string, expiresAt: Date): Promise<string> {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const url = new URL(`${this.baseUrl.replace(/\/$/, '')}/${keyPath(key)}`);
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', signature(this.secret, key, expires));
    return Promise.resolve(url.toString());
  }
}

export type HmacVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: 'bad-signature' | 'expired' };

/** Checks a signed URL's key, expiry and signature at `now`. */
export function verifyHmacUrl(
  secret: string,
  key: string,
  expires: string | null,
  given: string | null,
  now: Date,
): HmacVerdict {
  if (!expires || !/^\d{1,12}$/.test(expires) || !given) return { ok: false, reason: 'bad-signature' };
  const expected = Buffer.from(signature(secret, key, Number(expires)));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, reason: 'bad-signature' };
  }
  return Number(expires) * 1000 > now.getTime() ? { ok: true } : { ok: false, reason: 'expired' };
}
