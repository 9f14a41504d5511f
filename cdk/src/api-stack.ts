/**
 * ShelfwiseApi: the stateless part. One `ShelfwiseFunction` per `FunctionSpec` in lambdas/src/functions.ts, with
 * the access its `uses` lists, and its triggers: HTTP routes on one API Gateway HTTP API, Kinesis event source
 * mappings and S3 notifications (those two with dead-letter queues and alarms), plus the alarms on metrics that
 * handlers publish themselves (`SERVICE_METRIC_ALARMS`). It also holds the operators' alarm topic, and the sign-in
 * side of the user pool (the web app client, the hosted sign-in domain and the JWT authorizer on the routes whose
 * `access` needs a token). It holds no data, so it can be destroyed and redeployed at will.
 */
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpJwtAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import {
  functions as functionSpecs,
  readerAuthorizerFunction,
  type FunctionSpec,
  type Trigger,
} from '../../lambdas/src/functions';
import { identityEnv } from '../../lambdas/src/identity/config';
import { needsToken } from '../../lambdas/src/identity/domain/access';
import { warehouseEnv } from '../../lambdas/src/warehouse/config';
import { dimBookPrefix, warehousePrefix } from '../../lambdas/src/warehouse/lake-layout';
import { BookFilesDistribution, type BookFilesSigning } from './constructs/book-files-distribution';
import { OperatorAlarmTopic } from './constructs/operator-alarm-topic';
import type { BedrockModels, ServiceMetricAlarmOptions, ShelfwiseFunction } from './constructs/shelfwise-function';
import { createShelfwiseFunction, type BindableResources } from './function-factory';
import { acknowledge, flattenCfnReference } from './nag';
import { ATHENA_RESULTS_PREFIX, type WarehouseNames } from './pipelines-stack';

/**
 * Placeholder for the reader web app's origin until the web stack (CloudFront) exists: `.invalid` can never
 * resolve, so no browser origin is allowed by accident. Set the real one with `-c shelfwise:siteOrigin=https://…`.
 */
export const PLACEHOLDER_SITE_ORIGIN = 'https://reader.shelfwise.invalid';

export interface ApiThrottle {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The user pool whose tokens the API accepts (the ShelfwiseStatefulStack's). */
export interface IdentityResources {
  readonly userPool: cognito.IUserPool;
}

export interface ShelfwiseApiStackProps extends StackProps {
  /** The stateful resources (normally the ShelfwiseStatefulStack). */
  readonly stateful: BindableResources & IdentityResources;
  /**
   * Prefix of the hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`), unique per region.
   * @default `shelfwise-<account id>`
   */
  readonly signInDomainPrefix?: string;
  /** Browser origins allowed by CORS (the reader web app); `*` is refused. @default [PLACEHOLDER_SITE_ORIGIN] */
  readonly siteOrigins?: readonly string[];
  /** @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: ApiThrottle;
  /** The functions to deploy. @default every spec in lambdas/src/functions.ts */
  readonly functions?: readonly FunctionSpec[];
  /** The Bedrock models the chatbot and the ingest's embeddings use. @default DEFAULT_BEDROCK_MODELS */
  readonly bedrock?: BedrockModels;
  /**
   * The key pair that signs book file URLs. With it, the books distribution is created and the functions in
   * `BOOK_FILE_SIGNERS` sign its URLs; without it, they answer 503 for files.
   */
  readonly bookFiles?: BookFilesSigning;
  /**
   * The pipelines stack's Glue database and Athena workgroup (`warehouseNames()`), for the functions whose spec
   * `uses.warehouse`. Names, not references: the pipelines stack is deployed after this one. @default - such a spec
   * is refused
   */
  readonly warehouse?: WarehouseNames;
}

/** The functions that hand out signed URLs of book files. */
export const BOOK_FILE_SIGNERS: readonly string[] = ['LoansApi', 'OpdsApi'];

/**
 * Titan Text Embeddings v2 for books and requests; Amazon Nova Lite for the chatbot (on-demand in the regions that
 * offer it; elsewhere pass another model id with `-c shelfwise:chatModelId=…`).
 */
export const DEFAULT_BEDROCK_MODELS: BedrockModels = {
  embeddingModelId: 'amazon.titan-embed-text-v2:0',
  chatModelId: 'amazon.nova-lite-v1:0',
};

type HttpTrigger = Extract<Trigger, { kind: 'http' }>;

/** The id of a deployed function (lambdas/src/functions.ts). */
export type FunctionId = (typeof functionSpecs)[number]['id'];

/**
 * Alarms on the metrics that handlers publish themselves (Powertools Metrics: namespace `Shelfwise`, dimension
 * `service`), by function, each notifying the operators' topic. The handler owns the metric's name; a function that
 * is not deployed gets none.
 */
export const SERVICE_METRIC_ALARMS: {
  readonly [Id in FunctionId]?: Readonly<Record<string, ServiceMetricAlarmOptions>>;
} = {
  Recommender: {
    ModelRejectedAlarm: {
      metricName: 'ModelRejected',
      threshold: 1,
      description:
        'Recommender rejected a new model (it failed to load, or its manifest does not match the catalogue); the ' +
        'previous model keeps serving. Check the recommender logs and the model pointer (readers table, ' +
        'pk MODEL / sk CURRENT), then fix or roll back the model.',
    },
  },
};

export class ShelfwiseApiStack extends Stack {
  public readonly httpApi: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  /** Every function, by `FunctionSpec.id`. */
  public readonly functions: ReadonlyMap<string, ShelfwiseFunction>;
  /** Where every alarm notifies the operators (encrypted, TLS only); later stacks pass it to their alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** The reader web app's client: public (no secret), authorization code flow with PKCE, callbacks = site origins. */
  public readonly webClient: cognito.UserPoolClient;
  public readonly signInDomain: cognito.UserPoolDomain;
  /** On every route whose access is `signed-in` or `librarian`. */
  public readonly authorizer: HttpJwtAuthorizer;
  /** On every `reader` route: anonymous readers pass, a bearer token is verified when one is sent. */
  public readonly readerAuthorizer: HttpLambdaAuthorizer;
  /** `https://<books distribution>` when `bookFiles` is given (the web app's CSP allows the reader to fetch from it). */
  public readonly bookFilesUrl?: string;
  /** The stage's route settings: the routes whose trigger sets a `throttle`, by route key. */
  private readonly routeThrottles = new Map<string, ApiThrottle>();

  public constructor(scope: Construct, id: string, props: ShelfwiseApiStackProps) {
    super(scope, id, props);
    const specs: readonly FunctionSpec[] = props.functions ?? functionSpecs;
    const siteOrigins = checkedOrigins(props.siteOrigins ?? [PLACEHOLDER_SITE_ORIGIN]);
    const httpMethods = new Set(specs.flatMap((spec) => spec.triggers.filter(isHttp).map((t) => t.method)));

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-reader-api`,
      description: 'Shelfwise reader API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...siteOrigins],
        allowMethods: [apigwv2.CorsHttpMethod.OPTIONS, ...[...httpMethods].map((m) => apigwv2.CorsHttpMethod[m])],
        allowHeaders: ['content-type', 'authorization'],
        maxAge: Duration.hours(1),
      },
    });
    this.stage = this.createDefaultStage(props.throttle ?? { rateLimit: 50, burstLimit: 100 });

    this.alarmTopic = new OperatorAlarmTopic(this, 'OperatorAlarms').topic;

    const { userPool } = props.stateful;
    this.webClient = new cognito.UserPoolClient(this, 'WebClient', {
      userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        // Cognito accepts a PKCE code_challenge (S256) on the code flow; the web app always sends one.
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...siteOrigins],
        logoutUrls: [...siteOrigins],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    this.signInDomain = new cognito.UserPoolDomain(this, 'SignInDomain', {
      userPool,
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `shelfwise-${this.account}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // The issuer is the user pool (`https://cognito-idp.<region>.amazonaws.com/<pool id>`); the audience, the web
    // client (API Gateway checks `aud` of ID tokens and `client_id` of access tokens against it).
    const issuer = `https://cognito-idp.${this.region}.${this.urlSuffix}/${userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('CognitoAuthorizer', issuer, {
      jwtAudience: [this.webClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
    // An HTTP API JWT authorizer cannot be optional, so `reader` routes get a Lambda authorizer with the same
    // settings, run for every request (no identity source, no cache). It runs outside the VPC, where it can fetch
    // Cognito's key set; the handlers behind it (some in isolated subnets) never verify a token themselves.
    const readerAuthorizerFn = createShelfwiseFunction(this, readerAuthorizerFunction, props.stateful);
    readerAuthorizerFn.addEnvironment(identityEnv.issuer, issuer);
    readerAuthorizerFn.addEnvironment(identityEnv.audience, this.webClient.userPoolClientId);
    this.readerAuthorizer = new HttpLambdaAuthorizer('ReaderAuthorizer', readerAuthorizerFn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });

    const created = new Map<string, ShelfwiseFunction>();
    for (const spec of specs) {
      const fn = createShelfwiseFunction(this, spec, props.stateful, {
        alarmTopic: this.alarmTopic,
        bedrock: props.bedrock ?? DEFAULT_BEDROCK_MODELS,
      });
      if (spec.uses.warehouse) this.bindWarehouse(fn, props.warehouse, props.stateful.buckets.lake);
      this.wireTriggers(fn, spec, props.stateful);
      for (const [alarmId, alarm] of serviceMetricAlarmsOf(spec.id)) fn.addServiceMetricAlarm(alarmId, alarm);
      created.set(spec.id, fn);
    }
    this.functions = created;
    if (props.bookFiles) {
      const bucket = props.stateful.buckets.books;
      const bookFiles = new BookFilesDistribution(this, 'BookFiles', { ...props.bookFiles, bucket, siteOrigins });
      for (const id of BOOK_FILE_SIGNERS) {
        const fn = created.get(id);
        if (fn) bookFiles.bindSigner(fn);
      }
      const catalogueApi = created.get('CatalogueApi');
      if (catalogueApi) bookFiles.bindCovers(catalogueApi);
      this.bookFilesUrl = `https://${bookFiles.distribution.distributionDomainName}`;
      new CfnOutput(this, 'BookFilesUrl', {
        value: this.bookFilesUrl,
        description: 'Books distribution (signed URLs of borrowed files only)',
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the Shelfwise reader API' });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId, description: 'Cognito user pool of readers' });
    new CfnOutput(this, 'WebClientId', {
      value: this.webClient.userPoolClientId,
      description: 'Cognito app client of the reader web app (public, authorization code + PKCE)',
    });
    new CfnOutput(this, 'SignInUrl', {
      value: this.signInDomain.baseUrl(),
      description: 'Hosted sign-in base URL (/oauth2/authorize, /oauth2/token)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'SNS topic of the Shelfwise alarms: subscribe the operators to it',
    });
  }

  /**
   * Lets `fn` run queries in the warehouse's workgroup over the Glue database's tables, as Athena reads with the
   * caller's permissions: the facts and the catalogue snapshot in the lake (read), Athena's results prefix (write,
   * and read back by GetQueryResults); sets ATHENA_WORKGROUP and WAREHOUSE_DATABASE.
   */
  private bindWarehouse(fn: ShelfwiseFunction, warehouse: WarehouseNames | undefined, lake: s3.IBucket): void {
    if (!warehouse) throw new Error(`${fn.node.id} queries the warehouse: pass its names (props.warehouse)`);
    const { databaseName, workGroupName } = warehouse;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
        ],
        resources: [this.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroupName })],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['athena:GetDataCatalog'],
        resources: [this.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
      }),
    );
    const tables = this.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/*` });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [
          this.formatArn({ service: 'glue', resource: 'catalog' }),
          this.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName }),
          tables,
        ],
      }),
    );
    const read = [`${warehousePrefix}/`, `${dimBookPrefix}/`];
    const objects = [...read, ATHENA_RESULTS_PREFIX].map((prefix) => lake.arnForObjects(`${prefix}*`));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [lake.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [lake.bucketArn],
        conditions: { StringLike: { 's3:prefix': [...read, ATHENA_RESULTS_PREFIX].map((p) => `${p}*`) } },
      }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [lake.bucketArn] }));
    fn.addEnvironment(warehouseEnv.workGroup, workGroupName);
    fn.addEnvironment(warehouseEnv.database, databaseName);

    acknowledge(
      fn.executionRole,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/${databaseName}/*]`,
      `${fn.node.id}: read-only Glue metadata (GetTable/GetPartitions) of the warehouse database's tables only, ` +
        'which Athena needs for every query.',
    );
    // The object ARNs' IAM5 ids exist only once the lake bucket's cross-stack reference is resolved.
    this.node.addValidation({
      validate: () => {
        for (const arn of objects) {
          acknowledge(
            fn.executionRole,
            `AwsSolutions-IAM5[Resource::${flattenCfnReference(this.resolve(arn))}]`,
            `${fn.node.id} reads the facts and the catalogue snapshot and writes Athena's results, each under its ` +
              'own key prefix of the lake: S3 object ARNs need the key wildcard; the actions are listed one by one.',
          );
        }
        return [];
      },
    });
  }

  private createDefaultStage(throttle: ApiThrottle): apigwv2.HttpStage {
    const accessLogs = new logs.LogGroup(this, 'HttpApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // No client IP or user agent: readers browse anonymously and their library use is private.
    const format = AccessLogFormat.custom(
      JSON.stringify({
        requestId: '$context.requestId',
        requestTime: '$context.requestTime',
        routeKey: '$context.routeKey',
        status: '$context.status',
        protocol: '$context.protocol',
        responseLength: '$context.responseLength',
        responseLatency: '$context.responseLatency',
        integrationLatency: '$context.integration.latency',
        integrationError: '$context.integrationErrorMessage',
      }),
    );
    const stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format },
    });
    // Per-route throttles (the L2 stage has only the default), filled in by addRoute; never looser than the stage's.
    (stage.node.defaultChild as apigwv2.CfnStage).routeSettings = Lazy.any({
      produce: () =>
        this.routeThrottles.size === 0
          ? undefined
          : Object.fromEntries(
              [...this.routeThrottles].map(([routeKey, route]) => [
                routeKey,
                {
                  ThrottlingRateLimit: Math.min(route.rateLimit, throttle.rateLimit),
                  ThrottlingBurstLimit: Math.min(route.burstLimit, throttle.burstLimit),
                },
              ]),
            ),
    });
    return stage;
  }

  private wireTriggers(fn: ShelfwiseFunction, spec: FunctionSpec, stateful: BindableResources): void {
    const http = spec.triggers.filter(isHttp);
    const integration = http.length > 0 ? new HttpLambdaIntegration(`${spec.id}Integration`, fn) : undefined;
    for (const trigger of spec.triggers) {
      switch (trigger.kind) {
        case 'http':
          if (integration) this.addRoute(spec, trigger, integration);
          break;
        case 'kinesis':
          fn.addKinesisTrigger(trigger.stream, stateful.streams[trigger.stream], { batchSize: trigger.batchSize });
          break;
        case 's3':
          fn.addS3Trigger(trigger.bucket, stateful.buckets[trigger.bucket], trigger.prefix);
          break;
      }
    }
  }

  private addRoute(spec: FunctionSpec, trigger: HttpTrigger, integration: HttpLambdaIntegration): void {
    const authorizer = needsToken(trigger.access)
      ? this.authorizer
      : trigger.access === 'reader'
        ? this.readerAuthorizer
        : undefined;
    const [route] = this.httpApi.addRoutes({
      path: trigger.path,
      methods: [apigwv2.HttpMethod[trigger.method]],
      integration,
      ...(authorizer ? { authorizer } : {}),
    });
    if (!route) throw new Error(`No route was created for ${trigger.method} ${trigger.path}`);
    if (trigger.throttle) {
      this.routeThrottles.set(`${trigger.method} ${trigger.path}`, trigger.throttle);
      // A stage's route settings may name only routes that already exist.
      this.stage.node.addDependency(route);
    }
    const described = `${trigger.method} ${trigger.path} (${spec.id})`;
    if (trigger.access === 'public') {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        `${described} is public by design: the catalogue is open to everyone and holds no reader data.`,
      );
    }
  }
}

function serviceMetricAlarmsOf(functionId: string): [string, ServiceMetricAlarmOptions][] {
  const byId: Partial<Record<string, Readonly<Record<string, ServiceMetricAlarmOptions>>>> = SERVICE_METRIC_ALARMS;
  return Object.entries(byId[functionId] ?? {});
}

function isHttp(trigger: Trigger): trigger is HttpTrigger {
  return trigger.kind === 'http';
}

function checkedOrigins(origins: readonly string[]): readonly string[] {
  if (origins.length === 0) throw new Error('At least one site origin is required for CORS');
  for (const origin of origins) {
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) {
      throw new Error(`CORS site origin "${origin}" must be one https://host[:port] origin (no "*", no path)`);
    }
  }
  return origins;
}
