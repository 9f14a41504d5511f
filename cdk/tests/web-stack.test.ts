import { App, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTEXT_KEYS } from '../src/app';
import {
  API_PREFIX_CODE,
  EMPTY_STYLE_HASH,
  SPA_REWRITE_CODE,
  ShelfwiseWebStack,
  contentSecurityPolicy,
} from '../src/web-stack';
import { buildTestApp, webDistFixture } from './support';

// The app as deployed (the web build is the fixture in tests/fixtures/web-dist), synthesized once for the file, with
// its assets staged (config.json is written at synthesis into a folder of its own, which staging keeps).
const { app, web, stateful } = buildTestApp({ context: { 'aws:cdk:disable-asset-staging': false } });
const assembly = app.synth();
afterAll(() => rmSync(assembly.directory, { recursive: true, force: true }));
const template = Template.fromStack(web);
const statefulTemplate = Template.fromStack(stateful);

interface CacheBehavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods: string[];
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  ResponseHeadersPolicyId: unknown;
  FunctionAssociations?: { EventType: string; FunctionARN: { 'Fn::GetAtt': [string, string] } }[];
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: { OriginAccessIdentity: string };
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
}
interface DistributionConfig {
  DefaultCacheBehavior: CacheBehavior;
  CacheBehaviors: CacheBehavior[];
  Origins: Origin[];
  CustomErrorResponses?: unknown[];
  Logging?: { Bucket: unknown; IncludeCookies: boolean; Prefix: string };
  Aliases?: string[];
  ViewerCertificate?: { MinimumProtocolVersion?: string; AcmCertificateArn?: string };
}

function distributionConfigOf(stackTemplate: Template): DistributionConfig {
  const distributions = Object.values(stackTemplate.findResources('AWS::CloudFront::Distribution')) as {
    Properties: { DistributionConfig: DistributionConfig };
  }[];
  expect(distributions).toHaveLength(1);
  return distributions[0]!.Properties.DistributionConfig;
}

/** A CloudFormation string as text, each token (Ref, import, …) shown as `<token>`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : '<token>')).join(join[0]);
  return '<token>';
}

/** Runs a CloudFront Function's code (JavaScript 2.0; ours use nothing Node.js lacks) on a viewer request. */
function runViewerRequest(code: string, uri: string): string {
  const handler = new Function(`${code}\nreturn handler;`)() as (event: unknown) => { uri: string };
  return handler({ request: { uri, method: 'GET', querystring: {}, headers: {}, cookies: {} } }).uri;
}

function functionCodeOf(logicalId: string): string {
  const resource = template.toJSON().Resources[logicalId] as { Properties: { FunctionCode: string } };
  return resource.Properties.FunctionCode;
}

const config = distributionConfigOf(template);
const site = config.DefaultCacheBehavior;
const api = config.CacheBehaviors.find((behavior) => behavior.PathPattern === '/api/*');
const originOf = (behavior: CacheBehavior | undefined) => config.Origins.find((o) => o.Id === behavior?.TargetOriginId);

describe('ShelfwiseWebStack', () => {
  it('reads the private web bucket through Origin Access Control only (no OAI, no public access)', () => {
    // Prepare
    const s3Origin = originOf(site);

    // Act
    const policies = Object.values(statefulTemplate.findResources('AWS::S3::BucketPolicy')) as {
      Properties: { Bucket: { Ref: string }; PolicyDocument: { Statement: Record<string, unknown>[] } };
    }[];
    const webPolicy = policies.find((policy) => policy.Properties.Bucket.Ref === 'WebBucket');

    // Assess
    expect(s3Origin?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    expect(s3Origin?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const webBucket = statefulTemplate.toJSON().Resources.WebBucket as { Properties: Record<string, unknown> };
    expect(webBucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(webBucket.Properties.WebsiteConfiguration).toBeUndefined();
    const statements = webPolicy?.Properties.PolicyDocument.Statement ?? [];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'WebDistributionReads',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
      }),
    );
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows.map((statement) => statement.Principal)).toEqual([{ Service: 'cloudfront.amazonaws.com' }]);
  });

  it('serves client routes with /index.html by a viewer-request function, with no error-page fallback', () => {
    // Prepare
    const association = site.FunctionAssociations?.[0];

    // Act
    const code = functionCodeOf(association?.FunctionARN['Fn::GetAtt'][0] ?? '');
    const rewrite = (uri: string) => runViewerRequest(code, uri);

    // Assess
    expect(association?.EventType).toBe('viewer-request');
    expect(code).toBe(SPA_REWRITE_CODE);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/books/42')).toBe('/index.html');
    expect(rewrite('/librarian/ingest-runs/7')).toBe('/index.html');
    expect(rewrite('/assets/index-Fixture01.js')).toBe('/assets/index-Fixture01.js');
    expect(rewrite('/config.json')).toBe('/config.json');
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('serves the site over HTTPS (HTTP redirected), GET and HEAD only, cached by the objects Cache-Control', () => {
    // Prepare
    const cachePolicyId = (site.CachePolicyId as { Ref: string }).Ref;

    // Act
    const cachePolicy = template.toJSON().Resources[cachePolicyId] as {
      Properties: { CachePolicyConfig: { MinTTL: number; MaxTTL: number } };
    };

    // Assess
    expect(site.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(site.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(cachePolicy.Properties.CachePolicyConfig.MinTTL).toBe(0);
    expect(cachePolicy.Properties.CachePolicyConfig.MaxTTL).toBe(365 * 24 * 3600);
  });

  it('sends /api/* to the HTTP API uncached, with every viewer header but Host (Authorization included)', () => {
    // Prepare
    const apiOrigin = originOf(api);
    const association = api?.FunctionAssociations?.[0];

    // Act
    const code = functionCodeOf(association?.FunctionARN['Fn::GetAtt'][0] ?? '');
    const strip = (uri: string) => runViewerRequest(code, uri);

    // Assess
    expect(api?.CachePolicyId).toBe(cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(api?.OriginRequestPolicyId).toBe(
      cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    );
    expect(api?.ViewerProtocolPolicy).toBe('https-only');
    expect(api?.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']));
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain('ApiEndpoint');
    expect(apiOrigin?.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(code).toBe(API_PREFIX_CODE);
    expect(strip('/api/books')).toBe('/books');
    expect(strip('/api/readers/anon-1/history')).toBe('/readers/anon-1/history');
    expect(strip('/api/')).toBe('/');
    template.resourceCountIs('AWS::CloudFront::OriginRequestPolicy', 0);
  });

  it('sends a strict Content-Security-Policy, HSTS and the other security headers on the site and the API', () => {
    // Prepare
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Record<
      string,
      {
        Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, Record<string, unknown>> } };
      }
    >;
    const [policyId, policy] = Object.entries(policies)[0] ?? [];

    // Act
    const headers = policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig ?? {};
    const csp = text(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    const directives = new Map(
      csp.split(';').map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );

    // Assess
    expect(Object.keys(policies)).toHaveLength(1);
    expect(site.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(api?.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(csp).not.toMatch(/unsafe-|\*/);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    // blob: and the empty-content hash for the reader (epub.js), nothing inline with content.
    expect(directives.get('style-src')).toEqual(["'self'", 'blob:', EMPTY_STYLE_HASH]);
    expect(createHash('sha256').update('').digest('base64')).toBe(EMPTY_STYLE_HASH.slice(8, -1));
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(directives.get('font-src')).toEqual(["'self'", 'blob:']);
    expect(directives.get('connect-src')).toEqual(["'self'", 'https://<token>.auth.<token>.amazoncognito.com']);
    expect(directives.get('frame-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'self'"]);
    expect(headers.ContentSecurityPolicy?.Override).toBe(true);
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 2 * 365 * 24 * 3600,
      IncludeSubdomains: true,
      Preload: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
  });

  it('lets the reader fetch and frame files and show covers of the books distribution, when there is one', () => {
    // Prepare
    const sources = {
      signInUrl: 'https://s.auth.eu-west-1.amazoncognito.com',
      bookFilesUrl: 'https://d1.cloudfront.net',
    };

    // Act
    const directives = contentSecurityPolicy(sources).split('; ');

    // Assess
    expect(directives).toContain(
      "connect-src 'self' https://s.auth.eu-west-1.amazoncognito.com https://d1.cloudfront.net",
    );
    expect(directives).toContain("frame-src 'self' https://d1.cloudfront.net");
    expect(directives).toContain("img-src 'self' data: blob: https://d1.cloudfront.net");
    expect(contentSecurityPolicy({ signInUrl: sources.signInUrl })).not.toContain('cloudfront.net');
  });

  it('deploys config.json with apiUrl "/api" and the API stack\'s hosted sign-in settings, uncached', () => {
    // Prepare
    const deployments = template.findResources('Custom::CDKBucketDeployment') as Record<
      string,
      { Properties: { SourceObjectKeys: string[]; SourceMarkers: Record<string, unknown>[] } }
    >;
    const site = Object.values(deployments).find((deployment) => deployment.Properties.SourceObjectKeys.length === 2);
    const configKey = site?.Properties.SourceObjectKeys[1] ?? '';

    // Act
    const manifest = JSON.parse(readFileSync(join(assembly.directory, `${web.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    const configSource = manifest.files[configKey.replace(/\.zip$/, '')]?.source.path ?? 'missing';
    const configJson = JSON.parse(
      readFileSync(resolve(assembly.directory, configSource, 'config.json'), 'utf8'),
    ) as Record<string, string>;
    const markers = JSON.stringify(site?.Properties.SourceMarkers[1]);

    // Assess
    expect(configJson.apiUrl).toBe('/api');
    expect(configJson.signInUrl).toMatch(
      /^https:\/\/<<marker:0xbaba:\d>>\.auth\.<<marker:0xbaba:\d>>\.amazoncognito\.com$/,
    );
    expect(configJson.webClientId).toMatch(/^<<marker:0xbaba:\d>>$/);
    expect(markers).toContain('ShelfwiseApi:ExportsOutputRefSignInDomain');
    expect(markers).toContain('ShelfwiseApi:ExportsOutputRefWebClient');
  });

  it('uploads hashed assets immutable and unpruned, then index.html and config.json with no-cache', () => {
    // Prepare
    const deployments = Object.entries(template.findResources('Custom::CDKBucketDeployment')) as [
      string,
      { DependsOn?: string[]; Properties: Record<string, unknown> },
    ][];

    // Act
    const assets = deployments.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === 'assets/');
    const site = deployments.find(([, d]) => d.Properties.DestinationBucketKeyPrefix === undefined);

    // Assess
    expect(assets?.[1].Properties).toMatchObject({
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(site?.[1].Properties).toMatchObject({
      Prune: true,
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(site?.[1].DependsOn).toEqual(expect.arrayContaining([assets?.[0]]));
  });

  it('writes access logs, without cookies, to its own bucket that keeps them 30 days', () => {
    // Prepare
    const logging = config.Logging;

    // Act
    const bucketId = (logging?.Bucket as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const bucket = template.toJSON().Resources[bucketId] as { DeletionPolicy: string; Properties: unknown };

    // Assess
    expect(logging).toMatchObject({ IncludeCookies: false, Prefix: 'cloudfront/' });
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 30 })]) },
    });
  });

  it('outputs the site URL', () => {
    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(text(outputs.SiteUrl?.Value)).toBe('https://<token>');
    expect(JSON.stringify(outputs.SiteUrl?.Value)).toContain('DomainName');
  });

  it('serves a custom domain with its certificate and TLS 1.2, and allows it as the site origin', () => {
    // Prepare
    const custom = buildTestApp({
      context: {
        [CONTEXT_KEYS.webDomainName]: 'reader.library.example',
        [CONTEXT_KEYS.webCertificateArn]: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      },
    });

    // Act
    const customConfig = distributionConfigOf(Template.fromStack(custom.web));

    // Assess
    expect(customConfig.Aliases).toEqual(['reader.library.example']);
    expect(customConfig.ViewerCertificate).toMatchObject({
      AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    Template.fromStack(custom.api).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://reader.library.example'],
    });
    Template.fromStack(custom.web).hasOutput('SiteUrl', { Value: 'https://reader.library.example' });
  });

  it('refuses to synthesize without a built web app, naming the build command', () => {
    // Prepare
    const bare = new App();
    const deps = new Stack(bare, 'Deps');
    const bucket = new s3.Bucket(deps, 'Web');
    const httpApi = new apigwv2.HttpApi(deps, 'Api');
    const api = { httpApi, signInUrl: 'https://x.auth.eu-west-1.amazoncognito.com', webClientId: 'client' };

    // Act
    const build = (webDist: string) => () =>
      new ShelfwiseWebStack(bare, `Web${webDist.length}`, { bucket, api, webDist });

    // Assess
    expect(build(join(webDistFixture, 'missing'))).toThrow(/npm run build -w web/);
    expect(build(webDistFixture)).not.toThrow();
  });
});
