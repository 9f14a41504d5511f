import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functions } from '../../lambdas/src/functions';
import { PLACEHOLDER_SITE_ORIGIN } from '../src/api-stack';
import { CONTEXT_KEYS } from '../src/app';
import { buildTestApp, specsWithTriggerProbe, triggerProbeSpec } from './support';

// The app as deployed (the real function specs), synthesized once for the file.
const { api } = buildTestApp();
const template = Template.fromStack(api);

describe('ShelfwiseApiStack', () => {
  it('creates one function per spec, each on nodejs24.x, arm64 and active tracing', () => {
    // Prepare
    const expected = functions.map((spec) => spec.description).sort();

    // Act
    const lambdas = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => (fn as { Properties: Record<string, unknown> }).Properties,
    );

    // Assess
    expect(lambdas.map((fn) => fn.Description).sort()).toEqual(expected);
    for (const fn of lambdas) {
      expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
  });

  it('routes every http trigger of the specs, and nothing else', () => {
    // Prepare
    const expected = functions
      .flatMap((spec) => spec.triggers.filter((trigger) => trigger.kind === 'http'))
      .map((trigger) => `${trigger.method} ${trigger.path}`)
      .sort();

    // Act
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .map((route) => (route as { Properties: { RouteKey: string } }).Properties.RouteKey)
      .sort();

    // Assess
    expect(() => template.resourceCountIs('AWS::ApiGatewayV2::Api', 1)).not.toThrow();
    expect(routeKeys).toEqual(expected);
  });

  it('logs access, throttles the default stage and outputs the API URL', () => {
    // Prepare
    const stage = { StageName: '$default', AutoDeploy: true };

    // Act + Assess
    expect(() =>
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        ...stage,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApiAccessLogs'), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context.requestId'),
        },
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      }),
    ).not.toThrow();
    const accessLogs = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) =>
      id.startsWith('HttpApiAccessLogs'),
    );
    expect(accessLogs).toEqual([
      [
        expect.any(String),
        expect.objectContaining({
          Properties: expect.objectContaining({ RetentionInDays: 30 }),
          DeletionPolicy: 'Delete',
        }),
      ],
    ]);
    expect(() => template.hasOutput('ApiUrl', { Value: Match.anyValue() })).not.toThrow();
  });

  it('allows CORS from the placeholder site origin only until one is configured', () => {
    // Prepare
    const apis = template.findResources('AWS::ApiGatewayV2::Api');

    // Act
    const origins = Object.values(apis).map(
      (api) => (api as { Properties: { CorsConfiguration: { AllowOrigins: string[] } } }).Properties.CorsConfiguration,
    );

    // Assess
    expect(origins).toEqual([expect.objectContaining({ AllowOrigins: [PLACEHOLDER_SITE_ORIGIN] })]);
  });

  it('takes the site origin from the shelfwise:siteOrigin context', () => {
    // Prepare
    const origin = 'https://d111111abcdef8.cloudfront.net';

    // Act
    const configured = buildTestApp({ context: { [CONTEXT_KEYS.siteOrigin]: origin } });

    // Assess
    expect(() =>
      Template.fromStack(configured.api).hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({ AllowOrigins: [origin] }),
      }),
    ).not.toThrow();
  });

  it('refuses a wildcard CORS origin', () => {
    // Prepare
    const context = { [CONTEXT_KEYS.siteOrigin]: '*' };

    // Act
    const act = () => buildTestApp({ context });

    // Assess
    expect(act).toThrow(/must be one https:\/\/host/);
  });

  it('places the database ingress rule of an API function in this stack', () => {
    // Prepare
    const ingress = { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 };

    // Act + Assess
    expect(() =>
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        ...ingress,
        GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseSecurityGroup') },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CatalogueApiSecurityGroup'), 'GroupId'] },
      }),
    ).not.toThrow();
  });
});

describe('ShelfwiseApiStack triggers', () => {
  // The real specs plus a test-only spec with a Kinesis trigger, two S3 triggers and every binding kind.
  const probed = Template.fromStack(buildTestApp({ functions: specsWithTriggerProbe }).api);

  it('maps the Kinesis stream with bisect-on-error, partial batch failures and an SQS failure destination', () => {
    // Prepare
    const trigger = triggerProbeSpec.triggers[0];

    // Act + Assess
    expect(() =>
      probed.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('ReaderEventsStreamArn') },
        BatchSize: trigger.batchSize,
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('FailureQueue'), 'Arn'] } },
        },
      }),
    ).not.toThrow();
    expect(() => probed.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true })).not.toThrow();
  });

  it('notifies the function of new objects under each S3 prefix, from this stack', () => {
    // Prepare
    const prefixes = triggerProbeSpec.triggers.flatMap((trigger) => (trigger.kind === 's3' ? [trigger.prefix] : []));

    // Act
    const notifications = probed.findResources('Custom::S3BucketNotifications');

    // Assess
    expect(Object.values(notifications)).toHaveLength(1);
    expect(() =>
      probed.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { 'Fn::ImportValue': Match.stringLikeRegexp('IngestBucket') },
        Managed: false,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: prefixes.map((prefix) => ({
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggerProbe'), 'Arn'] },
          })),
        },
      }),
    ).not.toThrow();
  });

  it('sets the environment variable of every bound resource and keeps the function out of the VPC', () => {
    // Prepare
    const variables = ['INGEST_BUCKET', 'LAKE_BUCKET', 'READER_TABLE', 'CONVERSATION_TABLE', 'READER_EVENTS_STREAM'];

    // Act
    const probe = Object.values(
      probed.findResources('AWS::Lambda::Function', { Properties: { Description: triggerProbeSpec.description } }),
    )[0] as { Properties: { Environment: { Variables: Record<string, unknown> }; VpcConfig?: unknown } };

    // Assess
    expect(Object.keys(probe.Properties.Environment.Variables)).toEqual(expect.arrayContaining(variables));
    expect(probe.Properties.Environment.Variables).not.toHaveProperty('DATABASE_SECRET_ARN');
    expect(probe.Properties.VpcConfig).toBeUndefined();
  });
});
