/**
 * CloudFront signed URLs (canned policy) for the books distribution, whose behaviour trusts the key group holding
 * this key pair's public key. The private key is read from Secrets Manager once per container (Powertools caches it).
 */
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import type { UrlSigner } from '../ports';
import { keyPath } from './hmac-url-signer';

export class CloudFrontUrlSigner implements UrlSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly keyPairId: string,
    private readonly privateKey: () => Promise<string>,
  ) {}

  async sign(key: string, expiresAt: Date): Promise<string> {
    return getSignedUrl({
      url: `${this.baseUrl.replace(/\/$/, '')}/${keyPath(key)}`,
      keyPairId: this.keyPairId,
      privateKey: await this.privateKey(),
      dateLessThan: expiresAt.toISOString(),
    });
  }
}
