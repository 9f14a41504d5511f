import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { hashFolder } from '../src/content-hash';
import { CONTEXT_KEYS } from '../src/app';
import { migrationsFolder } from '../src/paths';
import { buildTestApp } from './support';

// One synthesized app for the whole file (bundling off); every test only reads it.
const { stateful } = buildTestApp();
const template = Template.fromStack(stateful);

/** Logical IDs of the resources of the given types, sorted. */
function logicalIdsOf(...types: string[]): string[] {
  return types.flatMap((type) => Object.keys(template.findResources(type))).sort();
}

describe('ShelfwiseStatefulStack', () => {
  it('keeps the pinned logical ID of every data-bearing resource', () => {
    // Prepare
    // Changing this list means CloudFormation replaces (and loses) a database, bucket, table or stream.
    const pinned = [
      'AccessLogsBucket',
      'BooksBucket',
      'ConversationsTable',
      'DatabaseCluster',
      'DatabaseSecret',
      'DatabaseSubnetGroup',
      'DatabaseWriter',
      'IngestBucket',
      'LakeBucket',
      'ModelsBucket',
      'ReaderEventsStream',
      'ReadersTable',
      'WebBucket',
    ];

    // Act
    const actual = logicalIdsOf(
      'AWS::RDS::DBCluster',
      'AWS::RDS::DBInstance',
      'AWS::RDS::DBSubnetGroup',
      'AWS::SecretsManager::Secret',
      'AWS::S3::Bucket',
      'AWS::DynamoDB::Table',
      'AWS::Kinesis::Stream',
    );

    // Assess
    expect(actual).toEqual(pinned);
  });

  it('keeps the pinned logical IDs of the user pool and the librarians group, and retains both', () => {
    // Prepare
    // Changing these means CloudFormation replaces the pool: every account (and its sub, the reader id) is lost.
    const pinned = ['LibrariansGroup', 'UserPool'];

    // Act
    const actual = logicalIdsOf('AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolGroup');
    const policies = actual.map((id) => template.toJSON().Resources[id].DeletionPolicy);

    // Assess
    expect(actual).toEqual(pinned);
    expect(policies).toEqual(['Retain', 'Retain']);
  });

  it('retains every bucket, table, stream and the database secret, and snapshots the cluster', () => {
    // Prepare
    const retained = logicalIdsOf(
      'AWS::S3::Bucket',
      'AWS::DynamoDB::Table',
      'AWS::Kinesis::Stream',
      'AWS::SecretsManager::Secret',
    );

    // Act
    const policies = retained.map((id) => template.toJSON().Resources[id].DeletionPolicy);

    // Assess
    expect(new Set(policies)).toEqual(new Set(['Retain']));
    expect(() =>
      template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' }),
    ).not.toThrow();
    expect(stateful.terminationProtection).toBe(true);
  });

  it('encrypts, blocks public access, enforces TLS and logs access on every bucket', () => {
    // Prepare
    const buckets = template.findResources('AWS::S3::Bucket');

    // Act
    const withoutLogging = Object.entries(buckets)
      .filter(
        ([, bucket]) => !(bucket as { Properties: { LoggingConfiguration?: unknown } }).Properties.LoggingConfiguration,
      )
      .map(([id]) => id);

    // Assess
    expect(Object.keys(buckets)).toHaveLength(6);
    expect(withoutLogging).toEqual(['AccessLogsBucket']);
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket, `${id}`).toMatchObject({
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        },
      });
      expect(() =>
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        }),
      ).not.toThrow();
    }
  });

  it('versions the ingest and models buckets and expires quarantined and old objects', () => {
    // Prepare
    const resources = template.toJSON().Resources;

    // Act
    const versioned = Object.keys(
      template.findResources('AWS::S3::Bucket', {
        Properties: { VersioningConfiguration: { Status: 'Enabled' } },
      }),
    ).sort();

    // Assess
    expect(versioned).toEqual(['IngestBucket', 'ModelsBucket']);
    expect(resources.IngestBucket.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'quarantine/', ExpirationInDays: 30 })]),
    );
    expect(resources.LakeBucket.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Prefix: 'raw/',
          Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }],
        }),
      ]),
    );
  });

  it('creates the tables on demand with PITR, TTL, encryption and the contract key schema', () => {
    // Prepare
    const expected = {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    };

    // Act
    const matching = template.findResources('AWS::DynamoDB::Table', { Properties: expected });

    // Assess
    expect(Object.keys(matching).sort()).toEqual(['ConversationsTable', 'ReadersTable']);
  });

  it('creates the reader events stream on demand, encrypted with the AWS-managed key, with 24 h retention', () => {
    // Prepare
    const expected = {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    };

    // Act
    const streams = template.findResources('AWS::Kinesis::Stream', { Properties: expected });

    // Assess
    expect(Object.keys(streams)).toEqual(['ReaderEventsStream']);
  });

  it('runs Aurora PostgreSQL 16 Serverless v2, encrypted, protected and backed up', () => {
    // Prepare
    const cluster = {
      Engine: 'aurora-postgresql',
      EngineVersion: Match.stringLikeRegexp('^16\\.'),
      StorageEncrypted: true,
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
      EnableCloudwatchLogsExports: ['postgresql'],
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
    };

    // Act + Assess
    expect(() => template.resourceCountIs('AWS::RDS::DBCluster', 1)).not.toThrow();
    expect(() => template.hasResourceProperties('AWS::RDS::DBCluster', cluster)).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/rds/cluster/shelfwisestateful-database/postgresql',
        RetentionInDays: 30,
      }),
    ).not.toThrow();
  });

  it('uses isolated subnets with endpoints and flow logs, and no NAT or internet gateway', () => {
    // Prepare
    const endpoints = template.findResources('AWS::EC2::VPCEndpoint');

    // Act
    const services = Object.values(endpoints).map((endpoint) =>
      JSON.stringify((endpoint as { Properties: { ServiceName: unknown } }).Properties.ServiceName),
    );

    // Assess
    expect(() => template.resourceCountIs('AWS::EC2::NatGateway', 0)).not.toThrow();
    expect(() => template.resourceCountIs('AWS::EC2::InternetGateway', 0)).not.toThrow();
    expect(() => template.resourceCountIs('AWS::EC2::FlowLog', 1)).not.toThrow();
    expect(services).toHaveLength(5);
    expect(services.some((service) => service.includes('.s3'))).toBe(true);
    expect(services.some((service) => service.includes('.dynamodb'))).toBe(true);
    expect(services.some((service) => service.includes('secretsmanager'))).toBe(true);
    // The chatbot and the ingest (both in the VPC) call Bedrock's runtime.
    expect(services.some((service) => service.includes('bedrock-runtime'))).toBe(true);
    // The loans and OPDS APIs (in the VPC) put borrow, return and hold events on the stream.
    expect(services.some((service) => service.includes('kinesis-streams'))).toBe(true);
  });

  it('runs the migrations through a custom resource keyed by the hash of the migrations folder', () => {
    // Prepare
    const hash = hashFolder(migrationsFolder);

    // Act
    const resources = template.findResources('Custom::ShelfwiseDatabaseMigrations');

    // Assess
    expect(Object.values(resources)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({ MigrationsHash: hash }),
        DependsOn: expect.arrayContaining(['DatabaseWriter', expect.stringMatching(/^VpcSecretsManagerEndpoint/)]),
      }),
    ]);
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('migrations'),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: 300,
        VpcConfig: Match.anyValue(),
      }),
    ).not.toThrow();
  });
});

describe('ShelfwiseStatefulStack for LocalStack', () => {
  it('skips the secret rotation when shelfwise:secretRotation is false, and stays nag-clean', () => {
    // Prepare
    const context = { [CONTEXT_KEYS.secretRotation]: 'false' };

    // Act
    const local = Template.fromStack(buildTestApp({ context }).stateful);

    // Assess
    expect(local.findResources('AWS::SecretsManager::RotationSchedule')).toEqual({});
    expect(local.findResources('AWS::Serverless::Application')).toEqual({});
    expect(Object.keys(local.findResources('AWS::SecretsManager::Secret'))).toEqual(['DatabaseSecret']);
  });
});
