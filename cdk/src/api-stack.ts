/**
 * ShelfwiseApi: the stateless part. One `ShelfwiseFunction` per `FunctionSpec` in lambdas/src/functions.ts, with
 * the access its `uses` lists, and its triggers: HTTP routes on one API Gateway HTTP API, Kinesis event source
 * mappings and S3 notifications (those two with dead-letter queues and alarms), plus the alarms on metrics that
 * handlers publish themselves (`SERVICE_METRIC_ALARMS`). It also holds the operators' alarm topic. It holds no data, so it can be destroyed and redeployed at will.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { functions as functionSpecs, type FunctionSpec, type Trigger } from '../../lambdas/src/functions';
import { OperatorAlarmTopic } from './constructs/operator-alarm-topic';
import type { ServiceMetricAlarmOptions, ShelfwiseFunction } from './constructs/shelfwise-function';
import { createShelfwiseFunction, type BindableResources } from './function-factory';
import { acknowledge } from './nag';

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

export interface ShelfwiseApiStackProps extends StackProps {
  /** The stateful resources (normally the ShelfwiseStatefulStack). */
  readonly stateful: BindableResources;
  /** Browser origins allowed by CORS (the reader web app); `*` is refused. @default [PLACEHOLDER_SITE_ORIGIN] */
  readonly siteOrigins?: readonly string[];
  /** @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: ApiThrottle;
  /** The functions to deploy. @default every spec in lambdas/src/functions.ts */
  readonly functions?: readonly FunctionSpec[];
}

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

    const created = new Map<string, ShelfwiseFunction>();
    for (const spec of specs) {
      const fn = createShelfwiseFunction(this, spec, props.stateful, { alarmTopic: this.alarmTopic });
      this.wireTriggers(fn, spec, props.stateful);
      for (const [alarmId, alarm] of serviceMetricAlarmsOf(spec.id)) fn.addServiceMetricAlarm(alarmId, alarm);
      created.set(spec.id, fn);
    }
    this.functions = created;

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the Shelfwise reader API' });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'SNS topic of the Shelfwise alarms: subscribe the operators to it',
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
    return this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format },
    });
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
    const [route] = this.httpApi.addRoutes({
      path: trigger.path,
      methods: [apigwv2.HttpMethod[trigger.method]],
      integration,
    });
    if (!route) throw new Error(`No route was created for ${trigger.method} ${trigger.path}`);
    acknowledge(
      route,
      'AwsSolutions-APIG4',
      `${trigger.method} ${trigger.path} (${spec.id}) is a reader route and anonymous by design: readers browse ` +
        'anonymously; a JWT authorizer comes with the identity issue.',
    );
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
