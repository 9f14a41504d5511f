/**
 * ShelfwiseWeb: the reader web app on one CloudFront distribution, which also serves the API under `/api/*`, so the
 * site and the API share one origin and `config.json` says `apiUrl: "/api"`, exactly as `npm start` does.
 *
 * - `/*`: the stateful stack's `web` bucket through Origin Access Control (the bucket stays private; its policy, in
 *   the stateful stack, lets this account's distributions read it). A CloudFront Function sends every extension-less
 *   path (`/`, `/books/42`, `/librarian`) to `/index.html`, so client routes load the app while a missing file, and
 *   every API error, keeps its real status (no 403/404 → index.html error responses).
 * - `/api/*`: the HTTP API, caching disabled, every viewer header but Host forwarded (Authorization reaches the JWT
 *   authorizer), the `/api` prefix stripped by a second CloudFront Function (the API's routes stay `/books`, … as in
 *   `functions.ts`, the `ApiUrl` output and the local runtime).
 * - Both: a response-headers policy with a strict Content-Security-Policy (`contentSecurityPolicy`), HSTS (2 years,
 *   subdomains, preload), nosniff, `Referrer-Policy: same-origin` and `X-Frame-Options: DENY`.
 *
 * The build (`npm run build -w web` → `web/dist`) is uploaded by two BucketDeployments: the hashed `assets/` with a
 * year-long immutable Cache-Control, never pruned (a tab still running the previous build can load its lazy chunks),
 * then `index.html` and the other root files with `no-cache`, plus a `config.json` written at deploy time from the
 * API stack's Cognito client and sign-in domain. The cache policy has a minimum TTL of 0, so CloudFront honours
 * `no-cache` and a deploy needs no invalidation.
 */
import { Annotations, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acknowledge, flattenCfnReference } from './nag';
import { repositoryRoot } from './paths';

/** Where `npm run build -w web` writes the site. */
export const DEFAULT_WEB_DIST = resolve(repositoryRoot, 'web/dist');

/** The path prefix of the API on the site's origin (`config.json`'s `apiUrl`, as under `npm start`). */
export const API_PATH_PREFIX = '/api';

/** Vite's output folder of content-hashed files (`build.assetsDir`): cached for a year, never changed in place. */
export const HASHED_ASSETS_FOLDER = 'assets';

/** The API stack's side of the site: the HTTP API behind `/api/*` and the hosted sign-in settings of config.json. */
export interface WebApi {
  readonly httpApi: apigwv2.IHttpApi;
  /** Cognito's hosted sign-in base URL (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly signInUrl: string;
  /** The web app's Cognito app client id. */
  readonly webClientId: string;
  /** The books distribution's URL (`https://…`), when the API stack has one (signed URLs of borrowed files). */
  readonly bookFilesUrl?: string;
}

/** A domain of the library's own, instead of the distribution's `*.cloudfront.net` name. */
export interface WebCustomDomain {
  /** e.g. `reader.library.example`; point a CNAME (or Route 53 alias) at the distribution after the deploy. */
  readonly domainName: string;
  /** An ACM certificate for `domainName`, issued in us-east-1 (CloudFront's region for certificates). */
  readonly certificateArn: string;
}

export interface ShelfwiseWebStackProps extends StackProps {
  /** The private bucket the site is served from (the stateful stack's `buckets.web`). */
  readonly bucket: s3.IBucket;
  readonly api: WebApi;
  /** The built site (its `index.html` and `assets/`). @default DEFAULT_WEB_DIST */
  readonly webDist?: string;
  /** @default the distribution's `*.cloudfront.net` name with CloudFront's default certificate */
  readonly customDomain?: WebCustomDomain;
}

/** The origins the web app reaches besides its own. */
export interface ContentSecurityPolicySources {
  /** The hosted sign-in base URL: the app posts the authorization code to its `/oauth2/token`. */
  readonly signInUrl: string;
  /** The books distribution (`https://…`), when there is one: the reader fetches EPUBs and frames PDFs from it. */
  readonly bookFilesUrl?: string;
}

/**
 * The SHA-256 of the empty string as a `style-src` hash source: it lets a script append an empty `<style>` element
 * and fill it through the CSSOM (`sheet.insertRule`), as epub.js does for its layout rules, while every `<style>`
 * with content and every `style` attribute stays blocked. Without it the element gets no `sheet` and epub.js throws.
 */
export const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * The site's Content-Security-Policy: no inline script or CSS, nothing from elsewhere but the two origins it needs.
 * The build has one module script and one stylesheet (`index.html`); React sets the cover colours and Chart.js sizes
 * its canvas through the CSSOM (which `style-src` does not govern); the favicon is `data:,`; the chat streams over
 * fetch from `/api`; the hosted sign-in's redirects are navigations (not governed) and its token exchange a fetch.
 * The reader (epub.js) renders each chapter in a `srcdoc` frame, which inherits this policy, with the book's images,
 * stylesheets and fonts turned into `blob:` URLs: hence `blob:` in `img-src`, `style-src` and `font-src`, and
 * `EMPTY_STYLE_HASH`. A book's own inline `<style>` and `style` attributes are dropped (its linked stylesheets
 * apply), and its scripts never run. PDFs open in a frame of the books distribution, and books' covers are images of
 * it (its public `covers/*`).
 */
export function contentSecurityPolicy(sources: ContentSecurityPolicySources): string {
  const books = sources.bookFilesUrl ? [sources.bookFilesUrl] : [];
  const directives: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", 'blob:', EMPTY_STYLE_HASH],
    'img-src': ["'self'", 'data:', 'blob:', ...books],
    'font-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", sources.signInUrl, ...books],
    'frame-src': ["'self'", ...books],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * Viewer-request function of the site: a path whose last segment has no dot is a client route of the single-page
 * app, served by `/index.html` (the bucket keeps its own answer for files: a missing `/assets/x.js` is not the app).
 * CloudFront Functions JavaScript runtime 2.0.
 */
export const SPA_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;

/** Viewer-request function of `/api/*`: `/api/books?q=x` reaches the HTTP API as `/books?q=x`. */
export const API_PREFIX_CODE = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.substring(${API_PATH_PREFIX.length}) || '/';
  return request;
}`;

export class ShelfwiseWebStack extends Stack {
  public readonly distribution: cloudfront.Distribution;
  /** `https://<distribution or custom domain>`: the origin to set as `shelfwise:siteOrigin`. */
  public readonly siteUrl: string;
  /** Receives the distribution's standard logs (CloudFront needs ACLs, which the stateful log bucket disables). */
  public readonly accessLogsBucket: s3.Bucket;
  public readonly securityHeaders: cloudfront.ResponseHeadersPolicy;

  public constructor(scope: Construct, id: string, props: ShelfwiseWebStackProps) {
    super(scope, id, props);
    const webDist = props.webDist ?? DEFAULT_WEB_DIST;
    if (!existsSync(join(webDist, 'index.html'))) {
      throw new Error(`${webDist}/index.html is missing: build the web app first (npm run build -w web)`);
    }
    // Imported, so that neither the origin nor the deployments try to edit a policy owned by the stateful stack.
    const bucket = s3.Bucket.fromBucketAttributes(this, 'WebBucket', {
      bucketArn: props.bucket.bucketArn,
      bucketName: props.bucket.bucketName,
      region: Stack.of(props.bucket).region,
    });
    const { httpApi, signInUrl, webClientId, bookFilesUrl } = props.api;

    this.securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Shelfwise web app: strict CSP, HSTS, nosniff, same-origin referrer, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy({ signInUrl, bookFilesUrl }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        // Book pages are private reading: no other site learns from a Referer which book a reader had open.
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      },
    });

    // Honours the objects' Cache-Control: a year for hashed assets, revalidation for `no-cache` (minimum TTL 0).
    const siteCachePolicy = new cloudfront.CachePolicy(this, 'SiteCachePolicy', {
      comment: 'Shelfwise web app: the Cache-Control of each object decides (no-cache index.html, immutable assets)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      comment: 'Client routes (extension-less paths) load /index.html',
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const apiPrefix = new cloudfront.Function(this, 'ApiPrefix', {
      comment: `Strips ${API_PATH_PREFIX} before the HTTP API`,
      code: cloudfront.FunctionCode.fromInline(API_PREFIX_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logs are written with ACLs; the bucket owner still owns every object.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      // Logs are not the library's data; kept when the stack goes, and they expire by themselves.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // They hold viewers' IP addresses and the pages they asked for: as short as the API's own access logs.
        { id: 'ExpireLogs', expiration: Duration.days(30) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    acknowledge(
      this.accessLogsBucket,
      'AwsSolutions-S1',
      'AccessLogsBucket of the web stack is itself a log destination (CloudFront standard logs); S3 server access ' +
        'logs of it would only record the log deliveries.',
    );

    const certificate = props.customDomain
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn)
      : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Shelfwise reader web app and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(bucket, {
          originAccessControl: new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
            description: 'CloudFront reads the web bucket (signed with SigV4)',
          }),
        }),
        // HTTP is answered with a redirect (the HSTS preload list requires it), never with content.
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: siteCachePolicy,
        responseHeadersPolicy: this.securityHeaders,
        functionAssociations: [{ function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${API_PATH_PREFIX}/*`]: {
          origin: new origins.HttpOrigin(Fn.select(2, Fn.split('/', httpApi.apiEndpoint)), {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          // A plain-HTTP API call (its bearer token already sent in the clear) is refused, not redirected and repeated.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // API Gateway routes by its own Host name; everything else (Authorization included) goes through.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.securityHeaders,
          functionAssociations: [{ function: apiPrefix, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        },
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.accessLogsBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      ...(props.customDomain && certificate
        ? {
            domainNames: [props.customDomain.domainName],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    // The bucket's policy (stateful stack, `WebDistributionReads`) already lets this account's distributions read it.
    Annotations.of(this.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      'The web bucket policy lives in the stateful stack, which grants CloudFront reads through OAC',
    );
    this.acknowledgeDistributionFindings(props.customDomain === undefined);
    this.siteUrl = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;

    this.deploySite(bucket, webDist, { apiUrl: API_PATH_PREFIX, signInUrl, webClientId });

    new CfnOutput(this, 'SiteUrl', {
      value: this.siteUrl,
      description: 'The reader web app (set it as shelfwise:siteOrigin for CORS and the Cognito callbacks)',
    });
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.distribution.distributionDomainName,
      description: 'Where a custom domain CNAME points',
    });
  }

  /**
   * Hashed assets first (a year, immutable, never pruned: an open tab of the previous build still loads its lazy
   * chunks), then the root files and config.json (`no-cache`), whose deployment prunes old root files but leaves
   * `assets/` alone.
   */
  private deploySite(bucket: s3.IBucket, webDist: string, config: Record<string, string>): void {
    const logGroup = new logs.LogGroup(this, 'SiteDeploymentLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const assets = new s3deploy.BucketDeployment(this, 'AssetsDeployment', {
      sources: [s3deploy.Source.asset(join(webDist, HASHED_ASSETS_FOLDER))],
      destinationBucket: bucket,
      destinationKeyPrefix: `${HASHED_ASSETS_FOLDER}/`,
      prune: false,
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
      memoryLimit: 512,
      logGroup,
    });
    const site = new s3deploy.BucketDeployment(this, 'SiteDeployment', {
      sources: [
        s3deploy.Source.asset(webDist, { exclude: [HASHED_ASSETS_FOLDER, 'config.json'] }),
        s3deploy.Source.jsonData('config.json', config),
      ],
      destinationBucket: bucket,
      // Keeps `assets/` out of this deployment's sync, so its pruning never deletes them.
      exclude: [`${HASHED_ASSETS_FOLDER}/*`],
      prune: true,
      cacheControl: [s3deploy.CacheControl.noCache()],
      memoryLimit: 512,
      logGroup,
    });
    site.node.addDependency(assets);
    // One handler function serves both deployments (a CDK singleton); its findings are acknowledged once.
    const handler = this.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('The BucketDeployment handler was not found in the web stack');
    this.acknowledgeDeploymentHandler(handler, bucket);
  }

  private acknowledgeDistributionFindings(defaultCertificate: boolean): void {
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'The web distribution has no geo restriction: a public library serves its readers wherever they travel.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'The web distribution has no WAF (about $5/month plus rules and requests): static files and an API with ' +
        'its own stage throttling and JWT checks; add a web ACL here if abuse shows in the access logs.',
    );
    if (defaultCertificate) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'The web distribution uses the default *.cloudfront.net certificate until the library has a domain ' +
          '(-c shelfwise:webDomainName and shelfwise:webCertificateArn then set TLSv1.2_2021 as the minimum).',
      );
    }
  }

  /** The findings on CDK's own BucketDeployment function, which copies the build into the web bucket on deploy. */
  private acknowledgeDeploymentHandler(handler: Construct, bucket: s3.IBucket): void {
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The BucketDeployment handler is the aws-s3-deployment function generated by CDK; its role comes with ' +
        'AWSLambdaBasicExecutionRole (CloudWatch Logs only).',
    );
    acknowledge(
      handler,
      'AwsSolutions-L1',
      'The BucketDeployment handler is the aws-s3-deployment function generated by CDK; aws-cdk-lib fixes its ' +
        'Python runtime (with the AWS CLI layer), and an upgrade of aws-cdk-lib moves it.',
    );
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      acknowledge(
        handler,
        `AwsSolutions-IAM5[Action::${action}]`,
        `The BucketDeployment handler's ${action} comes from CDK's grantRead/grantReadWrite on the staged build ` +
          'asset and the web bucket only (sync and prune of the site).',
      );
    }
    // The object ARNs (`…/*`) resolve to their exact ids only at synthesis (the web bucket's is an export).
    this.node.addValidation({
      validate: () => {
        // The bootstrap bucket of the staged build (the deployments' assets all live in the same one).
        const staged = this.node.findAll().filter((child): child is s3assets.Asset => child instanceof s3assets.Asset);
        const objects = [bucket.arnForObjects('*'), ...staged.map((asset) => asset.bucket.arnForObjects('*'))];
        for (const arn of new Set(objects.map((objectsArn) => flattenCfnReference(this.resolve(objectsArn))))) {
          acknowledge(
            handler,
            `AwsSolutions-IAM5[Resource::${arn}]`,
            'The BucketDeployment handler reads the staged build from the CDK assets bucket and writes the site ' +
              'into the web bucket: object ARNs need the key wildcard.',
          );
        }
        return [];
      },
    });
  }
}
