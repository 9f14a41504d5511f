/**
 * The one construct every Shelfwise Lambda function is made through.
 *
 * It fixes what every function shares (runtime, architecture, tracing, an explicit log group, local esbuild
 * bundling to ESM with files and native modules shipped beside the bundle, the Powertools environment) and it is the only place that grants a function access to anything:
 * each `bind…()` call grants exactly the requested access and sets the environment variable that tells the handler
 * the resource's name, so a grant and its variable can never drift apart.
 *
 * Triggers that invoke the function without a caller waiting for the answer (S3 notifications, Kinesis event source
 * mappings) also get a dead-letter queue and alarms on the operators' topic (`props.alarmTopic`): nothing that fails
 * there can fail unnoticed. Metrics that the handler publishes itself can get alarms too (`addServiceMetricAlarm`).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { KinesisEventSource, S3EventSourceV2, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, SourceMapMode, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { basename, dirname } from 'node:path';
import type { Access } from '../../../lambdas/src/functions';
import {
  buckets,
  databaseEnv,
  streams,
  tables,
  type BucketName,
  type StreamName,
  type TableName,
} from '../../../lambdas/src/shared/infrastructure';
import { copyIntoNodeModules, planNativeModules, type LambdaPlatform, type PackageCopy } from '../native-modules';
import { acknowledge, flattenCfnReference } from '../nag';
import { lockFile, repositoryRoot } from '../paths';
import { shellQuote } from '../shell';

/** The Lambda runtime of every function: the newest Node.js that aws-cdk-lib knows (cdk-nag AwsSolutions-L1). */
export const SHELFWISE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The architecture of every function (Graviton: cheaper per GB-second). Native modules ship its binaries only. */
export const SHELFWISE_ARCHITECTURE = lambda.Architecture.ARM_64;

/** The platform whose prebuilt binaries `nativeModules` ship (Lambda runs Linux). */
export const SHELFWISE_PLATFORM: LambdaPlatform = {
  os: 'linux',
  arch: SHELFWISE_ARCHITECTURE === lambda.Architecture.ARM_64 ? 'arm64' : 'x64',
};

/** POWERTOOLS_METRICS_NAMESPACE of every function: where the handlers' own metrics are. */
export const SHELFWISE_METRICS_NAMESPACE = 'Shelfwise';

/** esbuild target matching `SHELFWISE_RUNTIME`. */
const ESBUILD_TARGET = 'node24';

/**
 * ESM bundles still meet CommonJS inside dependencies (the AWS SDK, Powertools, pg, sql.js): give them `require`,
 * `__filename` and `__dirname` as Node.js gives a CommonJS module (sql.js' Node loader reads `__dirname`). The
 * imported identifiers are aliased so they cannot clash with names in the bundle (whose own top-level names the
 * minifier renames).
 */
const ESM_COMMONJS_BANNER =
  "import { createRequire as __shelfwiseCreateRequire } from 'node:module';" +
  "import { dirname as __shelfwiseDirname } from 'node:path';" +
  "import { fileURLToPath as __shelfwiseFileURLToPath } from 'node:url';" +
  'const require = __shelfwiseCreateRequire(import.meta.url);' +
  'const __filename = __shelfwiseFileURLToPath(import.meta.url);' +
  'const __dirname = __shelfwiseDirname(__filename);';

/** The Amazon root CAs (RDS included) that Node.js 20+ Lambda runtimes no longer load by default. */
const LAMBDA_AMAZON_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/** The window of every alarm here: a function error, a throttle or a dead letter in five minutes is one too many. */
const ALARM_PERIOD = Duration.minutes(5);

export interface ShelfwiseFunctionProps {
  /** Absolute path of the handler module; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** POWERTOOLS_SERVICE_NAME, also the `service` dimension of the metrics the handler publishes. @default 'shelfwise' */
  readonly serviceName?: string;
  /** POWERTOOLS_LOG_LEVEL. @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Attach the function to this VPC (needed by `bindDatabase`). @default - not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** @default - the VPC's isolated subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the function's log group when the function is deleted. @default DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Extra environment variables (resource names come from the bind methods, not from here: a bind method refuses a
   * variable set here).
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Absolute paths of files that the handler loads at run time from beside its bundle (e.g. a WASM binary): the
   * bundling copies each into the asset root, next to `index.mjs`. File names must be unique. @default - none
   */
  readonly assetFiles?: readonly string[];
  /**
   * Packages with native binaries, resolved as the entry imports them (from its folder up): kept external by
   * esbuild and copied into the asset's `node_modules/` with the binaries of this function's platform only and their
   * runtime dependencies (see native-modules.ts; each needs a `NATIVE_MODULE_LAYOUTS` entry). @default - none
   */
  readonly nativeModules?: readonly string[];
  /**
   * The operators' SNS topic: the alarms of this function's S3 and Kinesis triggers notify it. Required before
   * `addS3Trigger` or `addKinesisTrigger` (their failures must not go unnoticed). @default - no triggers but HTTP
   */
  readonly alarmTopic?: sns.ITopic;
}

/** What `bindDatabase` needs to know about the database. */
/** The Bedrock foundation models chosen at deploy time (model ids, e.g. `amazon.titan-embed-text-v2:0`). */
export interface BedrockModels {
  /** The book and request embedding model: Titan Text Embeddings v2 (1024 dimensions). */
  readonly embeddingModelId: string;
  /** The chatbot's model, called with Converse streaming. */
  readonly chatModelId: string;
}

export interface DatabaseAccess {
  /** The Secrets Manager secret with host, port, username, password and dbname. */
  readonly secret: secretsmanager.ISecret;
  /** The database's security group; the function is allowed in on `port`. */
  readonly securityGroup: ec2.ISecurityGroup;
  readonly port: number;
}

export interface KinesisTriggerOptions {
  readonly batchSize: number;
  /** Retries of a failing batch (halves count: the batch is bisected on each error). @default 3 */
  readonly retryAttempts?: number;
  /**
   * Records older than this are not retried but sent to the failure queue (as pointers). It must stay well below the
   * stream retention, so that a failed batch can still be read back from the stream and replayed.
   * @default six hours (the stream keeps 24 h: 18 h left to replay)
   */
  readonly maxRecordAge?: Duration;
  /** @default TRIM_HORIZON (nothing written before the mapping existed is skipped; handlers must be idempotent) */
  readonly startingPosition?: lambda.StartingPosition;
  /**
   * Alarm when the oldest unprocessed record is older than this. @default one minute (the stream carries reader
   * events that readers expect to see reflected at once; much sooner than records expire)
   */
  readonly iteratorAgeAlarm?: Duration;
}

/** An alarm on a metric that the handler publishes itself (Powertools Metrics, EMF). */
export interface ServiceMetricAlarmOptions {
  /** The metric name, as the handler publishes it (namespace and `service` dimension are this function's). */
  readonly metricName: string;
  /** Alarm when the metric's sum over five minutes is at least this. */
  readonly threshold: number;
  /** What happened and what to do: the alarm description the operators read. */
  readonly description: string;
}

/** How asynchronous invocations (S3 notifications) are retried before they go to the dead-letter queue. */
export interface AsyncInvokeOptions {
  /** Retries after the first failed attempt (Lambda waits about 1, then 2 minutes). @default 2 */
  readonly retryAttempts?: number;
  /**
   * How long Lambda keeps an event it could not run yet (throttled, retrying) before it goes to the dead-letter
   * queue. @default six hours (the maximum: an upload waits out a throttle or a database outage)
   */
  readonly maxEventAge?: Duration;
}

export class ShelfwiseFunction extends NodejsFunction {
  /** The function's own log group (explicit retention and removal policy). */
  public readonly functionLogGroup: logs.LogGroup;
  /** The execution role: it starts with the right to write to its own log group and nothing else. */
  public readonly executionRole: iam.Role;
  /** The dead-letter queues of the Kinesis triggers, by stream name. */
  public readonly kinesisFailureQueues = new Map<StreamName, sqs.Queue>();
  /** What the bundling copies into the asset's `node_modules/` (`props.nativeModules`, planned at synth). */
  public readonly nativePackages: readonly PackageCopy[];
  /** POWERTOOLS_SERVICE_NAME: the `service` dimension of the handler's own metrics. */
  public readonly serviceName: string;
  /** POWERTOOLS_METRICS_NAMESPACE: the namespace of the handler's own metrics. */
  public readonly metricsNamespace = SHELFWISE_METRICS_NAMESPACE;

  private readonly objectGrants: { label: string; objectsArn: string }[] = [];
  private readonly alarmTopic: sns.ITopic | undefined;
  private readonly alarmList: cloudwatch.Alarm[] = [];
  private readonly ownEnvironment: ReadonlySet<string>;
  private asyncQueue: sqs.Queue | undefined;
  private iteratorAgeAlarmCreated = false;

  public constructor(scope: Construct, id: string, props: ShelfwiseFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    logGroup.grantWrite(role);
    if (props.vpc) {
      // The actions of AWSLambdaVPCAccessExecutionRole, inline so the role carries no AWS-managed policy.
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }

    // In the VPC, egress is HTTPS (AWS APIs through the VPC endpoints; the subnets have no other route) plus
    // whatever a bind method opens (the database port).
    const securityGroup = props.vpc
      ? new ec2.SecurityGroup(scope, `${id}SecurityGroup`, {
          vpc: props.vpc,
          description: `${id}: HTTPS to AWS APIs and the ports its bindings open`,
          allowAllOutbound: false,
        })
      : undefined;
    securityGroup?.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs through the VPC endpoints');

    // The metric alarms rely on these two; they have their own prop (service) or are fixed (namespace).
    for (const fixed of ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE']) {
      if (props.environment?.[fixed] !== undefined) {
        throw new Error(`${id}: ${fixed} cannot be set through props.environment (see props.serviceName)`);
      }
    }
    const serviceName = props.serviceName ?? 'shelfwise';
    const nativePackages = props.nativeModules?.length
      ? planNativeModules(props.nativeModules, dirname(props.entry), SHELFWISE_PLATFORM)
      : [];
    const assetFiles = props.assetFiles ?? [];

    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: SHELFWISE_RUNTIME,
      architecture: SHELFWISE_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      vpc: props.vpc,
      securityGroups: securityGroup ? [securityGroup] : undefined,
      vpcSubnets: props.vpc ? (props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }) : undefined,
      projectRoot: repositoryRoot,
      depsLockFilePath: lockFile,
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: SHELFWISE_METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        mainFields: ['module', 'main'],
        banner: ESM_COMMONJS_BANNER,
        minify: true,
        sourceMap: true,
        // DEFAULT = linked: index.mjs.map beside the bundle, referenced by a sourceMappingURL comment.
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // The SDK in the runtime is not pinned; bundle the versions we test with.
        bundleAwsSDK: true,
        // Native modules and their dependencies are loaded from the asset's node_modules/ (copied by the hooks).
        externalModules: nativePackages.map((pkg) => pkg.name),
        commandHooks:
          assetFiles.length > 0 || nativePackages.length > 0
            ? afterBundlingHooks((outputDir) => [
                ...copyIntoAssetRoot(assetFiles).afterBundling('', outputDir),
                ...copyIntoNodeModules(nativePackages, outputDir),
              ])
            : undefined,
      },
    });
    this.nativePackages = nativePackages;
    this.serviceName = serviceName;
    this.ownEnvironment = new Set(Object.keys(props.environment ?? {}));
    this.functionLogGroup = logGroup;
    this.executionRole = role;
    this.alarmTopic = props.alarmTopic;

    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      `${id}: xray:PutTraceSegments/PutTelemetryRecords (active tracing)` +
        (props.vpc ? ' and the Lambda VPC ENI actions (ec2:*NetworkInterface*, ec2:DescribeSubnets)' : '') +
        ' support no resource-level permissions; every other statement of this role names its resources.',
    );
    // Object-level grants end in `/*`; their exact IAM5 ids exist only once cross-stack references are resolved.
    this.node.addValidation({ validate: () => this.acknowledgeObjectGrants() });
  }

  /** Grants `access` to the objects of bucket `name` and sets its environment variable (e.g. INGEST_BUCKET). */
  public bindBucket(name: BucketName, bucket: s3.IBucket, access: Access): this {
    const objectsArn = bucket.arnForObjects('*');
    if (access === 'read' || access === 'readWrite') {
      this.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objectsArn] }));
      this.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      bucket.encryptionKey?.grantDecrypt(this);
    }
    if (access === 'write' || access === 'readWrite') {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
          resources: [objectsArn],
        }),
      );
      bucket.encryptionKey?.grantEncryptDecrypt(this);
    }
    this.objectGrants.push({ label: `the objects of the ${name} bucket (${access})`, objectsArn });
    this.setResourceEnvironment(buckets[name].envVar, bucket.bucketName);
    return this;
  }

  /** Grants `access` to the items of table `name` and sets its environment variable (e.g. READER_TABLE). */
  public bindTable(name: TableName, table: dynamodb.ITable, access: Access): this {
    if (access === 'read') table.grantReadData(this);
    if (access === 'write') table.grantWriteData(this);
    if (access === 'readWrite') table.grantReadWriteData(this);
    this.setResourceEnvironment(tables[name].envVar, table.tableName);
    return this;
  }

  /** Grants `access` to stream `name` and sets its environment variable (e.g. READER_EVENTS_STREAM). */
  public bindStream(name: StreamName, stream: kinesis.IStream, access: Access): this {
    if (access === 'read') stream.grantRead(this);
    if (access === 'write') stream.grantWrite(this);
    if (access === 'readWrite') stream.grantReadWrite(this);
    this.setResourceEnvironment(streams[name].envVar, stream.streamName);
    return this;
  }

  /**
   * Lets the function invoke the Bedrock models of `use` and sets the handler's settings for them: `embeddings`
   * invokes the embedding model (EMBEDDER=bedrock-titan, 1024 dimensions); `chat` also invokes and streams from the
   * chat model (CHAT_MODEL=bedrock, CHAT_MODEL_ID). Only these foundation-model ARNs, no wildcard.
   */
  public bindBedrock(models: BedrockModels, use: 'embeddings' | 'chat'): this {
    const modelArn = (modelId: string) =>
      Stack.of(this).formatArn({
        service: 'bedrock',
        account: '',
        resource: 'foundation-model',
        resourceName: modelId,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        resources: [modelArn(models.embeddingModelId)],
      }),
    );
    this.setResourceEnvironment('EMBEDDER', 'bedrock-titan');
    this.setResourceEnvironment('EMBEDDER_DIMENSION', '1024');
    if (use === 'chat') {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: [modelArn(models.chatModelId)],
        }),
      );
      this.setResourceEnvironment('CHAT_MODEL', 'bedrock');
      this.setResourceEnvironment('CHAT_MODEL_ID', models.chatModelId);
    }
    return this;
  }

  /**
   * Lets the function read the database secret and open connections to the database: sets DATABASE_SECRET_ARN,
   * trusts the RDS certificate authorities (TLS), and adds an ingress rule from this function's security group.
   */
  public bindDatabase(database: DatabaseAccess): this {
    if (!this.isBoundToVpc) {
      throw new Error(`${this.node.path}: bindDatabase needs a function in the database's VPC (pass props.vpc)`);
    }
    database.secret.grantRead(this);
    this.setResourceEnvironment(databaseEnv.secretArn, database.secret.secretArn);
    this.setResourceEnvironment('NODE_EXTRA_CA_CERTS', LAMBDA_AMAZON_CA_BUNDLE);
    // allowTo (not the database's allowFrom): across stacks it puts the ingress rule in this function's stack, so
    // the stateful stack never depends on a stateless one.
    this.connections.allowTo(database.securityGroup, ec2.Port.tcp(database.port), `${this.node.id} to the database`);
    return this;
  }

  /**
   * A metric that the handler publishes itself through Powertools Metrics (EMF): namespace `Shelfwise`, dimension
   * `service` = this function's service name. @default statistic Sum over five minutes
   */
  public metricService(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricsNamespace,
      metricName,
      dimensionsMap: { service: this.serviceName },
      statistic: cloudwatch.Stats.SUM,
      period: ALARM_PERIOD,
      ...props,
    });
  }

  /**
   * Alarms the operators (`props.alarmTopic`) when the handler's own metric `options.metricName` sums to at least
   * `options.threshold` in five minutes; no data (nothing published) is fine.
   */
  public addServiceMetricAlarm(id: string, options: ServiceMetricAlarmOptions): cloudwatch.Alarm {
    return this.addAlarm(
      id,
      this.metricService(options.metricName),
      options.threshold,
      options.description,
      cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
  }

  /** The alarms of this function (see the trigger methods), all notifying `props.alarmTopic`. */
  public get alarms(): readonly cloudwatch.Alarm[] {
    return this.alarmList;
  }

  /** The dead-letter queue (on-failure destination) of asynchronous invocations, once an S3 trigger exists. */
  public get asyncFailureQueue(): sqs.Queue | undefined {
    return this.asyncQueue;
  }

  /**
   * Runs the function on batches of stream `name`: bisects a failing batch, reports partial batch failures
   * (the handler returns `batchItemFailures`), retries a bounded number of times, gives up on records older than
   * `maxRecordAge`, and sends what still fails to an encrypted SQS dead-letter queue. One batch per shard at a time
   * (parallelization factor 1), so a partition key's (e.g. a reader's) records are processed in order.
   * Alarms: function errors, throttles, a message in that queue, and an iterator age over `iteratorAgeAlarm`.
   */
  public addKinesisTrigger(name: StreamName, stream: kinesis.IStream, options: KinesisTriggerOptions): sqs.Queue {
    this.requireAlarmTopic(`the ${name} Kinesis trigger`);
    const queue = this.newFailureQueue(
      `${capitalise(name)}FailureQueue`,
      `${this.node.id}'s ${name} Kinesis event source mapping; it holds pointers to failed batches`,
    );
    this.addEventSource(
      new KinesisEventSource(stream, {
        startingPosition: options.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
        batchSize: options.batchSize,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: options.retryAttempts ?? 3,
        maxRecordAge: options.maxRecordAge ?? Duration.hours(6),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(queue),
      }),
    );
    this.kinesisFailureQueues.set(name, queue);
    this.addInvocationAlarms();
    this.addDeadLetterAlarm(`${capitalise(name)}FailureQueueAlarm`, queue, `failed ${name} batches`);
    if (!this.iteratorAgeAlarmCreated) {
      this.iteratorAgeAlarmCreated = true;
      const maxAge = options.iteratorAgeAlarm ?? Duration.minutes(1);
      this.addAlarm(
        'IteratorAgeAlarm',
        this.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: ALARM_PERIOD }),
        maxAge.toMilliseconds(),
        `${this.node.id} is more than ${maxAge.toHumanString()} behind on its Kinesis stream(s): what readers do ` +
          'shows late, and records older than the maximum record age go to the dead-letter queue unprocessed.',
      );
    }
    return queue;
  }

  /**
   * Runs the function for every object created under `prefix` in `bucket` (an S3 event notification). The bucket
   * may live in another stack: the notification is then managed from this function's stack, next to the
   * bucket's other notifications.
   *
   * S3 invokes asynchronously, so the function also gets (once, whatever the number of S3 triggers) its async
   * invocation settings (`options`), an encrypted SQS dead-letter queue as on-failure destination, and alarms:
   * function errors, throttles and a message in that queue.
   */
  public addS3Trigger(name: BucketName, bucket: s3.IBucket, prefix: string, options: AsyncInvokeOptions = {}): this {
    this.requireAlarmTopic(`the ${name} S3 trigger`);
    this.handleAsyncFailures(options);
    // A bucket's notifications are a child of the bucket construct. For a bucket of the stateful stack that would
    // make the stateful stack depend on this one, so the bucket is imported into this stack, once per stack so that
    // one custom resource writes all of its notifications (notifications set outside this stack are kept).
    const stack = Stack.of(this);
    const importId = `${capitalise(name)}BucketNotifications`;
    const local =
      Stack.of(bucket) === stack
        ? bucket
        : ((stack.node.tryFindChild(importId) as s3.IBucket | undefined) ??
          s3.Bucket.fromBucketAttributes(stack, importId, {
            bucketArn: bucket.bucketArn,
            bucketName: bucket.bucketName,
          }));
    this.addEventSource(new S3EventSourceV2(local, { events: [s3.EventType.OBJECT_CREATED], filters: [{ prefix }] }));
    acknowledgeNotificationsHandler(stack);
    return this;
  }

  /** Retries, dead-letter queue and alarms of asynchronous invocations; the first call's options count. */
  private handleAsyncFailures(options: AsyncInvokeOptions): void {
    if (this.asyncQueue) return;
    const queue = this.newFailureQueue(
      'AsyncFailureQueue',
      `${this.node.id}'s asynchronous invocations (S3 notifications); it holds the events that failed every retry`,
    );
    this.configureAsyncInvoke({
      retryAttempts: options.retryAttempts ?? 2,
      maxEventAge: options.maxEventAge ?? Duration.hours(6),
      onFailure: new SqsDestination(queue),
    });
    this.asyncQueue = queue;
    this.addInvocationAlarms();
    this.addDeadLetterAlarm('AsyncFailureQueueAlarm', queue, 'S3 events that failed every retry or expired');
  }

  /** An encrypted, TLS-only queue that keeps failures for 14 days (the SQS maximum) for inspection and redrive. */
  private newFailureQueue(id: string, whose: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      queue,
      'AwsSolutions-SQS3',
      `This queue is itself the on-failure destination (dead-letter queue) of ${whose}; ` +
        'it needs no dead-letter queue of its own.',
    );
    return queue;
  }

  /** Errors and throttles of the function, once per function. */
  private addInvocationAlarms(): void {
    if (this.node.tryFindChild('ErrorsAlarm')) return;
    this.addAlarm(
      'ErrorsAlarm',
      this.metricErrors({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
      0,
      `${this.node.id} failed an invocation (each failed attempt counts, retries included).`,
    );
    this.addAlarm(
      'ThrottlesAlarm',
      this.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
      0,
      `${this.node.id} was throttled (account or reserved concurrency); its events wait and may expire.`,
    );
  }

  private addDeadLetterAlarm(id: string, queue: sqs.Queue, what: string): void {
    this.addAlarm(
      id,
      queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: ALARM_PERIOD }),
      0,
      `${this.node.id}'s dead-letter queue holds ${what}: inspect, fix, then redrive or purge (kept 14 days).`,
    );
  }

  /** Sets a resource's environment variable (bind methods), refusing one that `props.environment` already set. */
  private setResourceEnvironment(key: string, value: string): void {
    if (this.ownEnvironment.has(key)) {
      throw new Error(`${this.node.path}: ${key} is set by a bind method; remove it from props.environment`);
    }
    this.addEnvironment(key, value);
  }

  /** An alarm when `metric` is above `threshold` in one period (no data is fine), notifying the operators. */
  private addAlarm(
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  ): cloudwatch.Alarm {
    const topic = this.requireAlarmTopic(id);
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      comparisonOperator,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    const notify = new SnsAction(topic);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    this.alarmList.push(alarm);
    return alarm;
  }

  private requireAlarmTopic(what: string): sns.ITopic {
    if (!this.alarmTopic) {
      throw new Error(`${this.node.path}: ${what} needs props.alarmTopic, or its failures would go unnoticed`);
    }
    return this.alarmTopic;
  }

  private acknowledgeObjectGrants(): string[] {
    const stack = Stack.of(this);
    for (const grant of this.objectGrants) {
      acknowledge(
        this.executionRole,
        `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(grant.objectsArn))}]`,
        `${this.node.id} is granted ${grant.label}: S3 object ARNs need the key wildcard; ` +
          'the actions are listed one by one and the bucket is named.',
      );
    }
    return [];
  }
}

/** The singleton Lambda that CDK adds to a stack to manage S3 notifications (`BucketNotificationsHandler<hash>`). */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
  const role = handler?.node.tryFindChild('Role');
  if (!role || role.node.metadata.length > 0) return;
  acknowledge(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'BucketNotificationsHandler is the S3-notifications custom resource function generated by CDK for the S3 ' +
      'triggers; its role comes with AWSLambdaBasicExecutionRole (CloudWatch Logs only) and is not configurable.',
  );
}

/**
 * esbuild command hooks that copy `files` (absolute paths) into the asset root, beside `index.mjs`. They run in a
 * shell on the machine that synthesizes (local bundling), after esbuild.
 */
export function copyIntoAssetRoot(files: readonly string[]): ICommandHooks {
  const names = files.map((file) => basename(file));
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`Two asset files would both be copied to ${duplicate} in the asset root`);
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      files.map((file) => `cp ${shellQuote(file)} ${shellQuote(`${outputDir}/${basename(file)}`)}`),
  };
}

/** Command hooks that run `commands(outputDir)` after esbuild (local bundling: a shell on the synthesizing machine). */
function afterBundlingHooks(commands: (outputDir: string) => string[]): ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => commands(outputDir),
  };
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
