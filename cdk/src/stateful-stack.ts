/**
 * ShelfwiseStateful: everything that holds data (network, database, buckets, tables, stream, and the readers' and
 * librarians' accounts: the Cognito user pool and its `librarians` group).
 *
 * It changes rarely and is deployed on its own. Every data-bearing resource RETAINs (or SNAPSHOTs) its data and has
 * a pinned logical ID (`PINNED_LOGICAL_IDS`, checked by tests/stateful-stack.test.ts), so a refactor of this file
 * cannot make CloudFormation replace the database or empty a bucket. The stateless stacks receive these resources as
 * typed properties (`ShelfwiseStatefulStack.buckets`, `.tables`, …), never by name.
 *
 * The table, bucket and stream list comes from lambdas/src/shared/infrastructure.ts, the same description the local
 * emulators are created from.
 */
import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct, IConstruct } from 'constructs';
import { functions, migrationFunction, type FunctionSpec } from '../../lambdas/src/functions';
import { librarianGroup } from '../../lambdas/src/identity/domain/access';
import {
  buckets as bucketSpecs,
  streams as streamSpecs,
  tables as tableSpecs,
  type BucketName,
  type StreamName,
  type TableName,
} from '../../lambdas/src/shared/infrastructure';
import { hashFolder } from './content-hash';
import { createShelfwiseFunction, type BindableResources } from './function-factory';
import type { DatabaseAccess, ShelfwiseFunction } from './constructs/shelfwise-function';
import { acknowledge } from './nag';
import { migrationsFolder as defaultMigrationsFolder } from './paths';

/** The Aurora PostgreSQL engine: 16.x ships pgvector (`CREATE EXTENSION vector`) and Serverless v2. */
export const DATABASE_ENGINE_VERSION = rds.AuroraPostgresEngineVersion.VER_16_9;
export const DATABASE_PORT = 5432;
export const DATABASE_NAME = 'shelfwise';
export const VPC_CIDR = '10.40.0.0/16';

/** Subnet groups of the VPC; both isolated (no route to the internet, no NAT gateway). */
export const FUNCTION_SUBNETS: ec2.SubnetSelection = { subnetGroupName: 'Functions' };
export const DATABASE_SUBNETS: ec2.SubnetSelection = { subnetGroupName: 'Database' };

/**
 * The logical IDs of every data-bearing resource. Never change one: CloudFormation would create a new resource and
 * delete (or orphan) the old one with its data. tests/stateful-stack.test.ts lists them again on purpose.
 */
export const PINNED_LOGICAL_IDS = {
  accessLogsBucket: 'AccessLogsBucket',
  buckets: {
    ingest: 'IngestBucket',
    lake: 'LakeBucket',
    models: 'ModelsBucket',
    web: 'WebBucket',
    books: 'BooksBucket',
  },
  tables: { readers: 'ReadersTable', conversations: 'ConversationsTable' },
  streams: { readerEvents: 'ReaderEventsStream' },
  database: {
    cluster: 'DatabaseCluster',
    writer: 'DatabaseWriter',
    secret: 'DatabaseSecret',
    subnetGroup: 'DatabaseSubnetGroup',
  },
  identity: { userPool: 'UserPool', librariansGroup: 'LibrariansGroup' },
} as const satisfies {
  accessLogsBucket: string;
  buckets: Record<BucketName, string>;
  tables: Record<TableName, string>;
  streams: Record<StreamName, string>;
  database: Record<string, string>;
  identity: Record<string, string>;
};

export interface DatabaseCapacity {
  /** Aurora capacity units; 0 lets the cluster pause when idle (resuming takes ~15 s). */
  readonly minAcu: number;
  readonly maxAcu: number;
}

export interface ShelfwiseStatefulStackProps extends StackProps {
  /** The folder whose content hash re-runs the migrations on deploy. @default lambdas/src/platform/db/migrations */
  readonly migrationsFolder?: string;
  /** @default { minAcu: 0.5, maxAcu: 4 } */
  readonly databaseCapacity?: DatabaseCapacity;
  /**
   * Rotate the database secret every 30 days. Switch off only for LocalStack, whose plans below Ultimate lack the
   * Serverless Application Repository that the rotation function comes from. @default true
   */
  readonly secretRotation?: boolean;
}

/** The database as the other stacks see it. */
export interface ShelfwiseDatabase extends DatabaseAccess {
  readonly cluster: rds.DatabaseCluster;
  readonly secret: secretsmanager.ISecret;
}

export class ShelfwiseStatefulStack extends Stack implements BindableResources {
  public readonly vpc: ec2.Vpc;
  /** The isolated subnets where functions that use the database run. */
  public readonly functionSubnets = FUNCTION_SUBNETS;
  public readonly database: ShelfwiseDatabase;
  public readonly accessLogsBucket: s3.Bucket;
  public readonly buckets: Readonly<Record<BucketName, s3.Bucket>>;
  public readonly tables: Readonly<Record<TableName, dynamodb.Table>>;
  public readonly streams: Readonly<Record<StreamName, kinesis.Stream>>;
  /** Readers' and librarians' accounts; the API stack adds the web app client, the sign-in domain and the authorizer. */
  public readonly userPool: cognito.UserPool;
  /** The function that applies the migrations, and the custom resource that runs it on deploy. */
  public readonly migrationFunction: ShelfwiseFunction;
  public readonly migrations: CustomResource;

  public constructor(scope: Construct, id: string, props: ShelfwiseStatefulStackProps = {}) {
    super(scope, id, props);

    this.accessLogsBucket = this.createAccessLogsBucket();
    this.vpc = this.createVpc();
    this.database = this.createDatabase(
      props.databaseCapacity ?? { minAcu: 0.5, maxAcu: 4 },
      props.secretRotation ?? true,
    );
    this.buckets = {
      ingest: this.createBucket('ingest', {
        versioned: true,
        lifecycleRules: [
          { id: 'ExpireQuarantine', prefix: 'quarantine/', expiration: Duration.days(30) },
          { id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(90) },
        ],
      }),
      lake: this.createBucket('lake', {
        lifecycleRules: [
          {
            id: 'TierRawEvents',
            prefix: 'raw/',
            transitions: [{ storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) }],
          },
          { id: 'ExpireQuarantine', prefix: 'quarantine/', expiration: Duration.days(30) },
        ],
      }),
      models: this.createBucket('models', {
        versioned: true,
        lifecycleRules: [{ id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(90) }],
      }),
      web: this.createBucket('web', {}),
      // Books' files, keyed by content hash (an object never changes); read only by the books distribution.
      books: this.createBucket('books', {}),
    };
    // The books distribution (API stack, Origin Access Control) reads the files; the policy stays with the bucket,
    // so the stateless stack never edits it (any distribution of this account: the distribution's id is not known here).
    this.buckets.books.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BooksDistributionReads',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.buckets.books.arnForObjects('*')],
        conditions: {
          ArnLike: { 'AWS:SourceArn': `arn:${this.partition}:cloudfront::${this.account}:distribution/*` },
        },
      }),
    );
    // The same for the web distribution (web stack): the site's files, read through Origin Access Control only.
    this.buckets.web.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'WebDistributionReads',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.buckets.web.arnForObjects('*')],
        conditions: {
          ArnLike: { 'AWS:SourceArn': `arn:${this.partition}:cloudfront::${this.account}:distribution/*` },
        },
      }),
    );
    this.tables = {
      readers: this.createTable('readers'),
      conversations: this.createTable('conversations'),
    };
    this.streams = { readerEvents: this.createStream('readerEvents') };
    this.userPool = this.createUserPool();

    this.migrationFunction = createShelfwiseFunction(this, migrationFunction, this);
    this.migrations = this.createMigrationResource(props.migrationsFolder ?? defaultMigrationsFolder);
  }

  private createAccessLogsBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'ExpireLogs', expiration: Duration.days(365) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    pin(bucket, PINNED_LOGICAL_IDS.accessLogsBucket);
    return bucket;
  }

  /**
   * Two isolated subnet groups in two AZs and no NAT gateway: the functions reach AWS services through gateway
   * endpoints (S3, DynamoDB: free) and interface endpoints (Secrets Manager; Kinesis only when a VPC function uses
   * a stream; Bedrock's runtime only when one uses Bedrock), which cost far less than a NAT gateway per AZ.
   * Functions that do not use the database run outside the VPC and need none of this.
   */
  private createVpc(): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'Functions', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
        { name: 'Database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: {
        ToS3: {
          destination: ec2.FlowLogDestination.toS3(this.accessLogsBucket, 'vpc-flow-logs/'),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    const interfaceEndpoint = (id: string, service: ec2.InterfaceVpcEndpointAwsService) => {
      const endpoint = vpc.addInterfaceEndpoint(id, { service, subnets: FUNCTION_SUBNETS, open: false });
      endpoint.connections.allowFrom(ec2.Peer.ipv4(VPC_CIDR), ec2.Port.tcp(443), 'HTTPS from inside the VPC');
    };
    interfaceEndpoint('SecretsManagerEndpoint', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
    const specs: readonly FunctionSpec[] = [...functions, migrationFunction];
    if (specs.some((spec) => spec.uses.database === true && Object.keys(spec.uses.streams ?? {}).length > 0)) {
      interfaceEndpoint('KinesisEndpoint', ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS);
    }
    // The chatbot and the ingest (in the VPC for the database) call Bedrock's runtime for embeddings and answers.
    if (specs.some((spec) => spec.uses.database === true && spec.uses.bedrock !== undefined)) {
      interfaceEndpoint('BedrockRuntimeEndpoint', ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME);
    }
    return vpc;
  }

  private createDatabase(capacity: DatabaseCapacity, secretRotation: boolean): ShelfwiseDatabase {
    const clusterIdentifier = `${this.stackName}-database`.toLowerCase();
    // Created before the cluster so that it owns the exported PostgreSQL log with a retention (no LogRetention Lambda).
    const logGroup = new logs.LogGroup(this, 'DatabaseLogGroup', {
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const subnetGroup = new rds.SubnetGroup(this, 'DatabaseSubnetGroup', {
      description: 'Isolated subnets of the Shelfwise database',
      vpc: this.vpc,
      vpcSubnets: DATABASE_SUBNETS,
      // Only meaningful with the cluster (which leaves a snapshot); pinned because replacing it replaces the cluster.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    pin(subnetGroup, PINNED_LOGICAL_IDS.database.subnetGroup);

    const securityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description: 'Shelfwise database: PostgreSQL from the Shelfwise functions only',
      allowAllOutbound: false,
    });

    const cluster = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: DATABASE_ENGINE_VERSION }),
      clusterIdentifier,
      writer: rds.ClusterInstance.serverlessV2('Writer', {
        autoMinorVersionUpgrade: true,
        enablePerformanceInsights: true,
      }),
      serverlessV2MinCapacity: capacity.minAcu,
      serverlessV2MaxCapacity: capacity.maxAcu,
      vpc: this.vpc,
      subnetGroup,
      securityGroups: [securityGroup],
      port: DATABASE_PORT,
      credentials: rds.Credentials.fromGeneratedSecret('shelfwise_admin'),
      defaultDatabaseName: DATABASE_NAME,
      storageEncrypted: true,
      iamAuthentication: true,
      deletionProtection: true,
      backup: { retention: Duration.days(14), preferredWindow: '02:00-03:00' },
      preferredMaintenanceWindow: 'sun:03:30-sun:04:30',
      copyTagsToSnapshot: true,
      cloudwatchLogsExports: ['postgresql'],
      enablePerformanceInsights: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    cluster.node.addDependency(logGroup);
    pin(cluster, PINNED_LOGICAL_IDS.database.cluster);
    pin(cluster.node.findChild('Writer'), PINNED_LOGICAL_IDS.database.writer);
    const generatedSecret = cluster.node.findChild('Secret');
    pin(generatedSecret, PINNED_LOGICAL_IDS.database.secret);
    (generatedSecret.node.defaultChild as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
    const secret = cluster.secret;
    if (!secret) throw new Error('The database cluster has no generated secret');
    if (secretRotation) {
      cluster.addRotationSingleUser({ automaticallyAfter: Duration.days(30), vpcSubnets: FUNCTION_SUBNETS });
    } else {
      acknowledge(
        generatedSecret,
        'AwsSolutions-SMG4',
        'DatabaseSecret rotation is off only when deployed with -c shelfwise:secretRotation=false, for LocalStack ' +
          '(the rotation function is a Serverless Application Repository app, an Ultimate-plan service there).',
      );
    }

    return { cluster, secret, securityGroup, port: DATABASE_PORT };
  }

  private createBucket(name: BucketName, options: Pick<s3.BucketProps, 'versioned' | 'lifecycleRules'>): s3.Bucket {
    const bucket = new s3.Bucket(this, PINNED_LOGICAL_IDS.buckets[name], {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: options.versioned ?? false,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${bucketSpecs[name].localName}/`,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        ...(options.lifecycleRules ?? []),
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    pin(bucket, PINNED_LOGICAL_IDS.buckets[name]);
    return bucket;
  }

  private createTable(name: TableName): dynamodb.Table {
    const spec = tableSpecs[name];
    const table = new dynamodb.Table(this, PINNED_LOGICAL_IDS.tables[name], {
      partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: spec.sortKey ? { name: spec.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pin(table, PINNED_LOGICAL_IDS.tables[name]);
    return table;
  }

  /**
   * On demand: capacity follows the readers (no shard count to manage; `StreamSpec.shardCount` sizes the local
   * emulator only), and switching an existing stream's mode is an in-place update. Encrypted with KMS under the
   * AWS-managed `aws/kinesis` key: no key policy to keep, no KMS grant for producers and consumers, and none of the
   * costs that a customer-managed key adds per producer and consumer (cdk-nag AwsSolutions-KDS3).
   */
  private createStream(name: StreamName): kinesis.Stream {
    const spec = streamSpecs[name];
    const stream = new kinesis.Stream(this, PINNED_LOGICAL_IDS.streams[name], {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      retentionPeriod: Duration.hours(spec.retentionHours),
      encryption: kinesis.StreamEncryption.MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pin(stream, PINNED_LOGICAL_IDS.streams[name]);
    return stream;
  }

  /**
   * The accounts: readers sign themselves up with an e-mail address (verified by a code), librarians are readers an
   * administrator adds to the `librarians` group. Deletion protection and RETAIN: losing the pool loses every account
   * (and the `sub` that keys each signed-in reader's history).
   */
  private createUserPool(): cognito.UserPool {
    const userPool = new cognito.UserPool(this, PINNED_LOGICAL_IDS.identity.userPool, {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pin(userPool, PINNED_LOGICAL_IDS.identity.userPool);
    acknowledge(
      userPool,
      'AwsSolutions-COG2',
      'UserPool MFA is OPTIONAL (TOTP, no SMS): readers of a public library sign in to sync their reading history, ' +
        'and requiring MFA of every reader would keep most of them anonymous; librarians are asked to enrol TOTP.',
    );
    acknowledge(
      userPool,
      'AwsSolutions-COG8',
      'UserPool is on the Essentials feature plan: Plus (threat protection) is billed per monthly active user; the ' +
        'Essentials plan is kept for a public library with many occasional readers. Revisit if abuse is seen.',
    );
    const librarians = new cognito.CfnUserPoolGroup(this, PINNED_LOGICAL_IDS.identity.librariansGroup, {
      userPoolId: userPool.userPoolId,
      groupName: librarianGroup,
      description: 'Librarians: ingest runs, quarantine reports, pipeline runs and insights',
    });
    librarians.applyRemovalPolicy(RemovalPolicy.RETAIN);
    pin(librarians, PINNED_LOGICAL_IDS.identity.librariansGroup);
    return userPool;
  }

  /**
   * Runs `migrationFunction` through a CloudFormation custom resource whenever the migrations change: the resource
   * carries the hash of the migrations folder, so a new or edited migration file means an Update event.
   */
  private createMigrationResource(migrationsFolder: string): CustomResource {
    const providerLogs = new logs.LogGroup(this, 'MigrationProviderLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const provider = new cr.Provider(this, 'MigrationProvider', {
      onEventHandler: this.migrationFunction,
      logGroup: providerLogs,
    });
    const framework = provider.node.findChild('framework-onEvent');
    acknowledge(
      framework,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'MigrationProvider framework-onEvent is the custom-resources Provider function generated by CDK; its role ' +
        'comes with AWSLambdaBasicExecutionRole (CloudWatch Logs only) and is not configurable.',
    );
    const migrationFunctionId = this.resolve((this.migrationFunction.node.defaultChild as CfnResource).logicalId);
    acknowledge(
      framework,
      `AwsSolutions-IAM5[Resource::<${migrationFunctionId}.Arn>:*]`,
      'MigrationProvider framework-onEvent may invoke any version of the DatabaseMigrations function only ' +
        '(lambda:InvokeFunction on its ARN and ARN:*), as generated by the CDK Provider.',
    );

    const migrations = new CustomResource(this, 'DatabaseMigrationsRun', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ShelfwiseDatabaseMigrations',
      properties: { MigrationsHash: hashFolder(migrationsFolder) },
    });
    // The writer must accept connections, and the function must reach it and the secret, before migrating.
    migrations.node.addDependency(this.database.cluster, this.database.securityGroup, this.vpc);
    return migrations;
  }
}

/** Fixes the logical ID of a construct's CloudFormation resource (its default child, or itself). */
function pin(construct: IConstruct, logicalId: string): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource to pin as ${logicalId}`);
  }
  resource.overrideLogicalId(logicalId);
}
