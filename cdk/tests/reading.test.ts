import { generateKeyPairSync } from 'node:crypto';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { coversBaseUrlEnv } from '../../lambdas/src/catalogue/config';
import { functions } from '../../lambdas/src/functions';
import { readingEnv } from '../../lambdas/src/reading/config';
import { ShelfwiseApiStack } from '../src/api-stack';
import { ShelfwiseStatefulStack } from '../src/stateful-stack';
import { CONTEXT_KEYS } from '../src/app';
import { buildTestApp, cdkJsonContext } from './support';

const privateKeySecretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shelfwise/book-files-key-AbCdEf';
const publicKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

// The stateful and API stacks with the book files' key pair (bundling off), synthesized once for the file.
const app = new App({
  context: {
    ...cdkJsonContext(),
    'aws:cdk:bundling-stacks': [],
    '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  },
});
const stateful = new ShelfwiseStatefulStack(app, 'ReadingStateful');
const api = new ShelfwiseApiStack(app, 'ReadingApi', {
  stateful,
  siteOrigins: ['https://reader.example.org'],
  functions: functions.filter((spec) => ['LoansApi', 'OpdsApi'].includes(spec.id)),
  bookFiles: { publicKeyPem, privateKeySecretArn },
});
const statefulTemplate = Template.fromStack(stateful);
const apiTemplate = Template.fromStack(api);

describe('Reading in the CDK app', () => {
  it('keeps the books bucket private, encrypted and retained, readable by CloudFront only', () => {
    // Assess
    expect(() =>
      statefulTemplate.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketEncryption: Match.anyValue(),
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        }),
      }),
    ).not.toThrow();
    expect(Object.keys(statefulTemplate.findResources('AWS::S3::Bucket'))).toContain('BooksBucket');
    expect(() =>
      statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: 'BooksBucket' },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'BooksDistributionReads',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:GetObject',
              Condition: { ArnLike: { 'AWS:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      }),
    ).not.toThrow();
  });

  it('serves book files through CloudFront with Origin Access Control and signed URLs of one key group', () => {
    // Act
    const distributions = apiTemplate.findResources('AWS::CloudFront::Distribution');
    const [distribution] = Object.values(distributions) as {
      Properties: { DistributionConfig: Record<string, unknown> & { DefaultCacheBehavior: Record<string, unknown> } };
    }[];
    const config = distribution!.Properties.DistributionConfig;

    // Assess
    expect(Object.keys(distributions)).toHaveLength(1);
    expect(() => apiTemplate.resourceCountIs('AWS::CloudFront::KeyGroup', 1)).not.toThrow();
    expect(() =>
      apiTemplate.hasResourceProperties('AWS::CloudFront::PublicKey', {
        PublicKeyConfig: Match.objectLike({ EncodedKey: publicKeyPem }),
      }),
    ).not.toThrow();
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      TrustedKeyGroups: [{ Ref: expect.stringMatching(/KeyGroup/) }],
    });
    expect(config.Origins).toEqual([
      expect.objectContaining({
        OriginAccessControlId: { 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    ]);
  });

  it('serves covers/* from the same origin without a signature, and tells the catalogue API where', () => {
    // Prepare
    const coversApp = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const coversStateful = new ShelfwiseStatefulStack(coversApp, 'CoversStateful');
    const coversApi = new ShelfwiseApiStack(coversApp, 'CoversApi', {
      stateful: coversStateful,
      siteOrigins: ['https://reader.example.org'],
      functions: functions.filter((spec) => spec.id === 'CatalogueApi'),
      bookFiles: { publicKeyPem, privateKeySecretArn },
    });

    // Act
    const template = Template.fromStack(coversApi);
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as {
      Properties: { DistributionConfig: { CacheBehaviors?: Record<string, unknown>[] } };
    }[];
    const behaviors = distribution!.Properties.DistributionConfig.CacheBehaviors ?? [];
    const lambdas = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: Record<string, unknown> } };
    }[];
    const catalogue = lambdas.find((fn) => fn.Properties.Environment?.Variables?.[coversBaseUrlEnv] !== undefined);

    // Assess
    expect(behaviors).toHaveLength(1);
    expect(behaviors[0]).toMatchObject({ PathPattern: 'covers/*', ViewerProtocolPolicy: 'https-only' });
    expect(behaviors[0]).not.toHaveProperty('TrustedKeyGroups');
    expect(catalogue?.Properties.Environment?.Variables?.[coversBaseUrlEnv]).toEqual({
      'Fn::Join': ['', ['https://', expect.anything()]],
    });
  });

  it('gives the loans and OPDS functions the files URL, the key pair id and read access to the private key', () => {
    // Act
    const lambdas = Object.values(apiTemplate.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: Record<string, unknown> } };
    }[];
    const signers = lambdas.filter((fn) => fn.Properties.Environment?.Variables?.[readingEnv.keyPairId] !== undefined);

    // Assess
    expect(signers).toHaveLength(2);
    for (const signer of signers) {
      expect(signer.Properties.Environment?.Variables).toMatchObject({
        [readingEnv.privateKeySecretArn]: privateKeySecretArn,
        [readingEnv.filesUrl]: { 'Fn::Join': ['', ['https://', expect.anything()]] },
      });
    }
    expect(() =>
      apiTemplate.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
              Resource: Match.arrayWith([privateKeySecretArn]),
            }),
          ]),
        },
      }),
    ).not.toThrow();
  });

  it('guards every loans route with the JWT authorizer and leaves the OPDS catalogue public', () => {
    // Act
    const routes = Object.values(apiTemplate.findResources('AWS::ApiGatewayV2::Route')) as {
      Properties: { RouteKey: string; AuthorizationType?: string };
    }[];
    const byKey = Object.fromEntries(
      routes.map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType ?? 'NONE']),
    );

    // Assess
    expect(byKey['POST /readers/{readerId}/loans']).toBe('JWT');
    expect(byKey['GET /readers/{readerId}/loans/{loanId}/file']).toBe('JWT');
    expect(byKey['POST /opds/books/{bookId}/borrow']).toBe('JWT');
    expect(byKey['GET /opds/loans']).toBe('JWT');
    expect(byKey['GET /opds/search']).toBe('NONE');
  });

  it('is clean under AwsSolutionsChecks, with no warning annotation', () => {
    // Act
    const violations = new AwsSolutionsChecks().validateScope(app).violations;
    const findings = [stateful, api].flatMap((stack) => [
      ...Annotations.fromStack(stack).findWarning('*', Match.anyValue()),
      ...Annotations.fromStack(stack).findError('*', Match.anyValue()),
    ]);

    // Assess
    expect(violations).toEqual([]);
    expect(findings).toEqual([]);
  });
});

describe('The book files signing key in the app context', () => {
  it('makes the books distribution when both context keys are set, and refuses one without the other', () => {
    // Act
    const { api: withKey } = buildTestApp({
      context: {
        [CONTEXT_KEYS.bookFilesPublicKey]: publicKeyPem.replace(/\n/g, '\\n'),
        [CONTEXT_KEYS.bookFilesPrivateKeySecretArn]: privateKeySecretArn,
      },
    });
    const halfSet = () => buildTestApp({ context: { [CONTEXT_KEYS.bookFilesPublicKey]: publicKeyPem } });

    // Assess
    expect(withKey.bookFilesUrl).toBeDefined();
    expect(() =>
      Template.fromStack(withKey).hasResourceProperties('AWS::CloudFront::PublicKey', {
        PublicKeyConfig: Match.objectLike({ EncodedKey: publicKeyPem }),
      }),
    ).not.toThrow();
    expect(halfSet).toThrow(/must be set together/);
  });
});
