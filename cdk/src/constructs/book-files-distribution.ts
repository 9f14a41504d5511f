/**
 * The books distribution: CloudFront in front of the private books bucket, serving only requests whose URL is
 * signed with a key of its key group (the loans API signs one per loan, for a few minutes, never past the loan's
 * due time). The bucket lets CloudFront read through Origin Access Control; its policy lives with the bucket in the
 * stateful stack (`books/` read for distributions of the account), so this stateless stack never edits it.
 * Covers (`covers/*`, Calibre's cover of each book, keyed by content hash) are public like the catalogue: that path is
 * served without a signature, so the web app shows them in plain `<img>` tags.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { coversBaseUrlEnv } from '../../../lambdas/src/catalogue/config';
import { readingEnv } from '../../../lambdas/src/reading/config';
import { acknowledge } from '../nag';
import type { ShelfwiseFunction } from './shelfwise-function';

export interface BookFilesSigning {
  /** The PEM public key of the signing key pair (CloudFront public key; rotate by adding a second one). */
  readonly publicKeyPem: string;
  /** The Secrets Manager secret holding the matching PEM private key (made by the operators, never by CDK). */
  readonly privateKeySecretArn: string;
}

export interface BookFilesDistributionProps extends BookFilesSigning {
  readonly bucket: s3.IBucket;
  /** Browser origins of the reader web app, allowed by CORS (epub.js fetches the file). */
  readonly siteOrigins: readonly string[];
}

export class BookFilesDistribution extends Construct {
  public readonly distribution: cloudfront.Distribution;
  public readonly publicKey: cloudfront.PublicKey;
  public readonly keyGroup: cloudfront.KeyGroup;
  private readonly privateKey: secretsmanager.ISecret;

  public constructor(scope: Construct, id: string, props: BookFilesDistributionProps) {
    super(scope, id);
    this.publicKey = new cloudfront.PublicKey(this, 'PublicKey', {
      encodedKey: props.publicKeyPem,
      comment: 'Signs short-lived URLs of borrowed book files (loans API)',
    });
    this.keyGroup = new cloudfront.KeyGroup(this, 'KeyGroup', { items: [this.publicKey] });
    this.privateKey = secretsmanager.Secret.fromSecretCompleteArn(this, 'PrivateKey', props.privateKeySecretArn);
    const accessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      description: 'CloudFront reads the books bucket (signed with SigV4)',
    });
    // Imported, so that CloudFront's origin never tries to edit a policy that belongs to the stateful stack.
    const bucket = s3.Bucket.fromBucketAttributes(this, 'Bucket', {
      bucketArn: props.bucket.bucketArn,
      bucketName: props.bucket.bucketName,
      region: Stack.of(props.bucket).region,
    });
    const cors = new cloudfront.ResponseHeadersPolicy(this, 'Cors', {
      comment: 'Book files for the reader web app',
      corsBehavior: {
        accessControlAllowOrigins: [...props.siteOrigins],
        accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
        accessControlAllowHeaders: ['range'],
        accessControlExposeHeaders: ['content-length', 'content-range', 'accept-ranges'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.hours(1),
        originOverride: true,
      },
    });
    const origin = origins.S3BucketOrigin.withBucketDefaults(bucket);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Shelfwise book files (signed URLs only) and covers (public)',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cors,
        trustedKeyGroups: [this.keyGroup],
      },
      additionalBehaviors: {
        // The same origin (one Origin Access Control): covers are public, so no key group.
        'covers/*': {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        },
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    const cfn = this.distribution.node.defaultChild as cloudfront.CfnDistribution;
    cfn.addPropertyOverride('DistributionConfig.Origins.0.OriginAccessControlId', accessControl.originAccessControlId);
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'BookFilesDistribution has no geo restriction: a public library lends to its readers wherever they travel.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'BookFilesDistribution serves signed URLs only (a key group is required on every request), but for the public ' +
        'covers (immutable images keyed by content hash, cached at the edge); a WAF adds cost without blocking ' +
        'anything the signature check and the cache do not.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'BookFilesDistribution keeps no access logs: which reader opens which book is private; the loans API ' +
        'records the loans themselves.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'BookFilesDistribution uses the default *.cloudfront.net certificate until the library has its own domain; ' +
        'CloudFront then negotiates TLS 1.2 or newer with current clients.',
    );
  }

  /** Tells a function (the catalogue API) where covers are served: `https://<distribution>/covers/…`, unsigned. */
  public bindCovers(fn: ShelfwiseFunction): void {
    fn.addEnvironment(coversBaseUrlEnv, `https://${this.distribution.distributionDomainName}`);
  }

  /** Lets a function sign URLs of this distribution: its URL, the key pair id and read access to the private key. */
  public bindSigner(fn: ShelfwiseFunction): void {
    fn.addEnvironment(readingEnv.filesUrl, `https://${this.distribution.distributionDomainName}`);
    fn.addEnvironment(readingEnv.keyPairId, this.publicKey.publicKeyId);
    fn.addEnvironment(readingEnv.privateKeySecretArn, this.privateKey.secretArn);
    this.privateKey.grantRead(fn);
  }
}
