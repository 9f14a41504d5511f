import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copyIntoAssetRoot,
  ShelfwiseFunction,
  type ShelfwiseFunctionProps,
} from '../src/constructs/shelfwise-function';
import { repositoryRoot } from '../src/paths';

const entry = resolve(repositoryRoot, 'cdk/tests/fixtures/noop-handler.ts');

function newStack(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'FunctionTest');
}

function newFunction(stack: Stack, props: Partial<ShelfwiseFunctionProps> = {}): ShelfwiseFunction {
  return new ShelfwiseFunction(stack, 'Probe', {
    entry,
    description: 'probe',
    memorySize: 256,
    timeout: Duration.seconds(5),
    ...props,
  });
}

/** The statements of the probe function's role, as synthesized. */
function roleStatements(template: Template): { Action: string | string[]; Resource: unknown }[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ProbeRole') }] },
  });
  return Object.values(policies).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: [] } } }).Properties.PolicyDocument.Statement,
  );
}

function actionsOf(template: Template): string[] {
  return roleStatements(template).flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );
}

describe('ShelfwiseFunction', () => {
  it('fixes the runtime, architecture, tracing, handler and Powertools environment', () => {
    // Prepare
    const stack = newStack();

    // Act
    newFunction(stack, { memorySize: 1024, timeout: Duration.seconds(20) });
    const template = Template.fromStack(stack);

    // Assess
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        MemorySize: 1024,
        Timeout: 20,
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'shelfwise',
            POWERTOOLS_METRICS_NAMESPACE: 'Shelfwise',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      }),
    ).not.toThrow();
  });

  it('logs to its own log group with an explicit retention and removal policy', () => {
    // Prepare
    const stack = newStack();

    // Act
    newFunction(stack);
    const template = Template.fromStack(stack);

    // Assess
    expect(() =>
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^ProbeLogs') } },
      }),
    ).not.toThrow();
  });

  it('starts with a role that may only write its own logs and send traces', () => {
    // Prepare
    const stack = newStack();

    // Act
    newFunction(stack);
    const template = Template.fromStack(stack);

    // Assess
    expect(() => template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() })).not.toThrow();
    expect(actionsOf(template).sort()).toEqual(
      ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'].sort(),
    );
    expect(roleStatements(template)).toContainEqual(
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ProbeLogs/), 'Arn'] } }),
    );
  });

  it('binds a table: data-plane grant on that table and its environment variable', () => {
    // Prepare
    const stack = newStack();
    const table = new dynamodb.Table(stack, 'Readers', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    const fn = newFunction(stack);

    // Act
    fn.bindTable('readers', table, 'read');
    const template = Template.fromStack(stack);

    // Assess
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { READER_TABLE: { Ref: Match.stringLikeRegexp('^Readers') } } },
      }),
    ).not.toThrow();
    expect(actionsOf(template)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actionsOf(template)).not.toContain('dynamodb:PutItem');
  });

  it('binds a bucket with explicit object actions for the access asked for', () => {
    // Prepare
    const stack = newStack();
    const readBucket = new s3.Bucket(stack, 'Ingest');
    const writeBucket = new s3.Bucket(stack, 'Lake');
    const fn = newFunction(stack);

    // Act
    fn.bindBucket('ingest', readBucket, 'read').bindBucket('lake', writeBucket, 'write');
    const template = Template.fromStack(stack);

    // Assess
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            INGEST_BUCKET: { Ref: Match.stringLikeRegexp('^Ingest') },
            LAKE_BUCKET: { Ref: Match.stringLikeRegexp('^Lake') },
          },
        },
      }),
    ).not.toThrow();
    expect(actionsOf(template)).toEqual(
      expect.arrayContaining(['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject']),
    );
    expect(actionsOf(template).filter((action) => action.includes('*') && action.startsWith('s3:'))).toEqual([]);
  });

  it('binds a stream for writing without granting reads', () => {
    // Prepare
    const stack = newStack();
    const stream = new kinesis.Stream(stack, 'Events');
    const fn = newFunction(stack);

    // Act
    fn.bindStream('readerEvents', stream, 'write');
    const template = Template.fromStack(stack);

    // Assess
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { READER_EVENTS_STREAM: { Ref: Match.stringLikeRegexp('^Events') } } },
      }),
    ).not.toThrow();
    expect(actionsOf(template)).toEqual(expect.arrayContaining(['kinesis:PutRecord', 'kinesis:PutRecords']));
    expect(actionsOf(template)).not.toContain('kinesis:GetRecords');
  });

  it('binds the database: secret, CA bundle and an ingress rule from the function only', () => {
    // Prepare
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const securityGroup = new ec2.SecurityGroup(stack, 'DatabaseSg', { vpc });
    const secret = new secretsmanager.Secret(stack, 'DatabaseSecret');
    const fn = newFunction(stack, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });

    // Act
    fn.bindDatabase({ secret, securityGroup, port: 5432 });
    const template = Template.fromStack(stack);

    // Assess
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
        Environment: {
          Variables: {
            DATABASE_SECRET_ARN: { Ref: Match.stringLikeRegexp('^DatabaseSecret') },
            NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
          },
        },
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseSg'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProbeSecurityGroup'), 'GroupId'] },
      }),
    ).not.toThrow();
    expect(actionsOf(template)).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue']));
  });

  it('refuses to bind the database to a function outside the VPC', () => {
    // Prepare
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const database = {
      secret: new secretsmanager.Secret(stack, 'DatabaseSecret'),
      securityGroup: new ec2.SecurityGroup(stack, 'DatabaseSg', { vpc }),
      port: 5432,
    };
    const fn = newFunction(stack);

    // Act
    const act = () => fn.bindDatabase(database);

    // Assess
    expect(act).toThrow(/needs a function in the database's VPC/);
  });

  it('refuses an S3 or Kinesis trigger without an alarm topic', () => {
    // Prepare
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Ingest');
    const stream = new kinesis.Stream(stack, 'Events');
    const fn = newFunction(stack);

    // Act
    const addS3 = () => fn.addS3Trigger('ingest', bucket, 'calibre/');
    const addKinesis = () => fn.addKinesisTrigger('readerEvents', stream, { batchSize: 10 });

    // Assess
    expect(addS3).toThrow(/the ingest S3 trigger needs props.alarmTopic/);
    expect(addKinesis).toThrow(/the readerEvents Kinesis trigger needs props.alarmTopic/);
  });

  it('gives an S3-triggered function its async settings, dead-letter queue and three alarms once', () => {
    // Prepare
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Ingest');
    const fn = newFunction(stack, { alarmTopic: new sns.Topic(stack, 'Alarms') });

    // Act
    fn.addS3Trigger('ingest', bucket, 'calibre/').addS3Trigger('ingest', bucket, 'exports/', { retryAttempts: 0 });
    const template = Template.fromStack(stack);

    // Assess
    expect(fn.asyncFailureQueue).toBeDefined();
    expect(fn.alarms.map((alarm) => alarm.node.id)).toEqual([
      'ErrorsAlarm',
      'ThrottlesAlarm',
      'AsyncFailureQueueAlarm',
    ]);
    expect(() => template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1)).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
      }),
    ).not.toThrow();
  });

  it('refuses to take the service name or metrics namespace from props.environment (metric alarms rely on them)', () => {
    // Prepare
    const stack = newStack();

    // Act
    const act = () => newFunction(stack, { environment: { POWERTOOLS_SERVICE_NAME: 'elsewhere' } });

    // Assess
    expect(act).toThrow(/Probe: POWERTOOLS_SERVICE_NAME cannot be set through props.environment/);
  });

  it('copies asset files into the asset root after bundling, each under its own name', () => {
    // Prepare
    const files = ['/repo/node_modules/sql.js/dist/sql-wasm.wasm', "/repo/it's/model.onnx"];

    // Act
    const commands = copyIntoAssetRoot(files).afterBundling('/repo', '/asset-output');
    const duplicate = () => copyIntoAssetRoot(['/a/sql-wasm.wasm', '/b/sql-wasm.wasm']);

    // Assess
    expect(commands).toEqual([
      "cp '/repo/node_modules/sql.js/dist/sql-wasm.wasm' '/asset-output/sql-wasm.wasm'",
      "cp '/repo/it'\\''s/model.onnx' '/asset-output/model.onnx'",
    ]);
    expect(duplicate).toThrow(/both be copied to sql-wasm.wasm/);
  });
});
