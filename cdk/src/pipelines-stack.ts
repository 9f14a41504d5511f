/**
 * ShelfwisePipelines: the warehouse (Glue database and tables, Athena workgroup) and the two Step Functions state
 * machines that replace Airflow:
 *
 * - `warehouse-etl` (hourly, EventBridge Scheduler): per fact, in the order of lambdas/src/warehouse/queries.ts
 *   `etlSteps`, an Athena `DELETE` and `INSERT` (the facts are Iceberg tables, rebuilt whole), their texts rendered
 *   at synth time from the same .sql files DuckDB runs (lambdas/src/warehouse/athena-dialect.ts);
 * - `retrain` (daily, and on demand with `{ "margin": 0.01, "hyperparameters": { … } }`): export the training
 *   window, older history and the held-out window (Athena) → read the serving model's pointer → SageMaker training
 *   job (warm start from the serving model, uncompressed output in the models bucket) → `EvaluateModels` (NDCG@10 of
 *   candidate and serving model on the same held-out window) → `PromoteModel` only if the candidate is better by
 *   the margin → notify.
 *
 * Every task retries transient service errors with backoff and catches everything else into an SNS message to the
 * operators' topic, then fails: the model pointer moves only in `PromoteModel`'s last step. Both machines log every
 * event to their own log group and trace with X-Ray. local/src/pipelines/ runs the very same definitions.
 *
 * A stack of its own: it holds no data (the facts live in the lake bucket of the stateful stack), changes with the
 * SQL, and reads the stateful resources and the alarm topic as typed props (CloudFormation exports).
 */
import { ArnFormat, Aws, CfnParameter, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { evaluateModelsFunction, promoteModelFunction } from '../../lambdas/src/functions';
import { defaultPromotionMargin } from '../../lambdas/src/pipelines/evaluate-models';
import type { TrainingExportStatement } from '../../lambdas/src/pipelines/training-exports';
import {
  factColumns,
  factPartitionColumn,
  type AthenaEtlStatement,
  type AthenaNamedQuery,
} from '../../lambdas/src/warehouse/athena-dialect';
import { dimBookColumns } from '../../lambdas/src/warehouse/domain/dim-book';
import {
  deletionLogPrefix,
  dimBookCurrentPrefix,
  dimBookPrefix,
  rawDatasets,
  rawTables,
  warehousePrefix,
  type RawTable,
} from '../../lambdas/src/warehouse/lake-layout';
import type { ShelfwiseFunction } from './constructs/shelfwise-function';
import { createShelfwiseFunction, type BindableResources } from './function-factory';
import { acknowledge, flattenCfnReference } from './nag';

/** Construct ids of the state machines (local/src/pipelines/ finds their definitions by them). */
export const PIPELINE_IDS = { etl: 'WarehouseEtl', retrain: 'Retrain' } as const;
export type PipelineName = keyof typeof PIPELINE_IDS;

/** Where Athena writes query results (encrypted; the training exports are such results) in the lake bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';
/** Where training jobs write their (uncompressed) models in the models bucket. */
export const TRAINING_OUTPUT_PREFIX = 'training-jobs/';
/** How long one Athena step may run (ETL statement or export). */
export const ATHENA_STEP_TIMEOUT = Duration.minutes(30);
/** How long a training job may run. */
export const TRAINING_MAX_RUNTIME = Duration.hours(3);
/** The most one Athena query may scan before it is cancelled. */
export const BYTES_SCANNED_CUTOFF = 10 * 1024 ** 3;
/** The training job's first state's name prefix, `retrain-<uuid>` (IAM scopes the state machine to it). */
export const TRAINING_JOB_PREFIX = 'retrain-';

/** State names the local runner and the tests refer to. */
export const STATE_NAMES = {
  etlClear: (fact: string) => `Clear ${fact}`,
  etlStep: (fact: string) => `Build ${fact}`,
  export: (channel: string) => `Export ${channel}`,
  readCurrentModel: 'Read current model',
  train: 'Train candidate',
  evaluate: 'Evaluate candidate',
  better: 'Better by the margin?',
  promote: 'Promote candidate',
  notifyOutcome: 'Notify outcome',
  notifyFailure: 'Notify failure',
} as const;

/** The warehouse's Glue database and Athena workgroup, by name (the API stack's insights function queries them). */
export interface WarehouseNames {
  readonly databaseName: string;
  readonly workGroupName: string;
}

/**
 * The names the pipelines stack called `stackName` gives its warehouse: plain strings, so that a stack deployed
 * before it (the API's insights function) can be granted them without a cross-stack reference in either direction.
 */
export function warehouseNames(stackName: string): WarehouseNames {
  return {
    databaseName: `${stackName.toLowerCase().replace(/[^a-z0-9]/g, '_')}_warehouse`,
    workGroupName: `${stackName}-warehouse`,
  };
}

export interface ShelfwisePipelinesStackProps extends StackProps {
  readonly stateful: BindableResources;
  /** The operators' topic: failures and retrain outcomes are published there. */
  readonly alarmTopic: sns.ITopic;
  /** The ETL's statements (lambdas/src/warehouse/athena-dialect.ts `athenaEtlStatements()`), read at synth time. */
  readonly etlStatements: readonly AthenaEtlStatement[];
  /** The training exports (lambdas/src/pipelines/training-exports.ts), read at synth time. */
  readonly exportStatements: readonly TrainingExportStatement[];
  /** The analysts' queries (athena-dialect.ts `athenaNamedQueries()`), saved in the workgroup. */
  readonly namedQueries: readonly AthenaNamedQuery[];
}

const transientAthenaErrors = [
  'Athena.TooManyRequestsException',
  'Athena.InternalServerException',
  'Athena.AthenaException',
];

export class ShelfwisePipelinesStack extends Stack {
  public readonly database: glue.CfnDatabase;
  public readonly workGroup: athena.CfnWorkGroup;
  public readonly warehouseEtl: sfn.StateMachine;
  public readonly retrain: sfn.StateMachine;
  public readonly evaluateModels: ShelfwiseFunction;
  public readonly promoteModel: ShelfwiseFunction;
  /** The role the training jobs run with. */
  public trainingJobRole!: iam.Role;
  /** The training image's URI (an ECR image built from training/Dockerfile and pushed before deploying). */
  public readonly trainingImageUri: CfnParameter;

  private readonly databaseName: string;
  private readonly alarmTopic: sns.ITopic;
  /** The machine whose states are being built, and its failure branch (one per machine). */
  private currentMachine = '';
  private failure: sfn.Chain | undefined;
  private readonly objectGrants: { role: iam.IRole; objects: string; reason: string }[] = [];

  /** Kinesis → Firehose → the lake's raw events (what `npm start`'s archiver does locally). */
  public readonly eventsToLake: firehose.CfnDeliveryStream;

  public constructor(scope: Construct, id: string, props: ShelfwisePipelinesStackProps) {
    super(scope, id, props);
    const lake = props.stateful.buckets.lake;
    this.alarmTopic = props.alarmTopic;
    const names = warehouseNames(this.stackName);
    this.databaseName = names.databaseName;

    this.database = new glue.CfnDatabase(this, 'WarehouseDatabase', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: this.databaseName, description: 'Shelfwise warehouse: raw lake tables and facts' },
    });
    this.createTables(lake.bucketName);
    this.eventsToLake = this.createEventsToLake(props);

    this.workGroup = new athena.CfnWorkGroup(this, 'WarehouseWorkGroup', {
      name: names.workGroupName,
      description: 'Shelfwise warehouse ETL, training exports and analysts’ named queries',
      recursiveDeleteOption: true,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: lake.s3UrlForObject(ATHENA_RESULTS_PREFIX),
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });

    for (const query of props.namedQueries) {
      const id = query.name.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
      new athena.CfnNamedQuery(this, `NamedQuery${id}`, {
        name: query.name,
        description: query.description.slice(0, 1024),
        database: this.databaseName,
        workGroup: this.workGroup.name,
        queryString: query.sql,
      }).addResourceDependency(this.workGroup);
    }

    this.trainingImageUri = new CfnParameter(this, 'TrainingImageUri', {
      type: 'String',
      description:
        'ECR URI of the training image (docker build -f training/Dockerfile .; see cdk/README.md), e.g. ' +
        '<account>.dkr.ecr.<region>.amazonaws.com/shelfwise-training:<tag>',
      allowedPattern:
        '^\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/[a-z0-9._/-]+(:[\\w.-]+|@sha256:[a-f0-9]{64})$',
    });

    this.evaluateModels = createShelfwiseFunction(this, evaluateModelsFunction, props.stateful);
    this.promoteModel = createShelfwiseFunction(this, promoteModelFunction, props.stateful);

    this.warehouseEtl = this.createWarehouseEtl(props);
    this.retrain = this.createRetrain(props);
    this.node.addValidation({ validate: () => this.acknowledgeObjectGrants() });
    this.acknowledgeWildcards(this.trainingJobRole);
    this.schedule('WarehouseEtlSchedule', this.warehouseEtl, scheduler.ScheduleExpression.rate(Duration.hours(1)));
    this.schedule('RetrainSchedule', this.retrain, scheduler.ScheduleExpression.cron({ hour: '3', minute: '30' }));
  }

  /**
   * An Athena query run to completion (`startQueryExecution.sync`) in the workgroup, against the warehouse database;
   * transient Athena errors are retried with backoff. Written as ASL rather than with the CDK task so that the
   * grants stay scoped (`grantAthena`): the CDK task grants s3:GetObject on every bucket.
   */
  private athenaTask(
    stateName: string,
    sql: string,
    output: { resultSelector?: Record<string, string>; resultPath: string | null },
  ): sfn.CustomState {
    // A custom state's construct id is its state name.
    const task = new sfn.CustomState(this, stateName, {
      stateJson: {
        Type: 'Task',
        Resource: `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`,
        TimeoutSeconds: ATHENA_STEP_TIMEOUT.toSeconds(),
        Parameters: {
          QueryString: sql,
          WorkGroup: this.workGroup.name,
          QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: this.databaseName },
        },
        ...(output.resultSelector ? { ResultSelector: output.resultSelector } : {}),
        ResultPath: output.resultPath,
      },
    });
    task.addRetry({
      errors: transientAthenaErrors,
      interval: Duration.seconds(10),
      backoffRate: 2,
      maxAttempts: 3,
      jitterStrategy: sfn.JitterType.FULL,
    });
    task.addCatch(this.failureBranch(), { resultPath: '$.error' });
    return task;
  }

  /** Runs queries in the workgroup over the warehouse database's tables (results: the lake's results prefix). */
  private grantAthena(machine: sfn.StateMachine, lake: BindableResources['buckets']['lake']): void {
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
        resources: [this.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroup.name })],
      }),
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['athena:GetDataCatalog'],
        resources: [this.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
      }),
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [
          this.formatArn({ service: 'glue', resource: 'catalog' }),
          this.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
          this.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/*` }),
        ],
      }),
    );
    this.grantObjects(machine.role, lake, ATHENA_RESULTS_PREFIX, 'readWrite', 'Athena query results');
  }

  /** Tells the operators (SNS), then fails the execution; every task's Catch of the current machine leads here. */
  private failureBranch(): sfn.Chain {
    if (this.failure) return this.failure;
    const machine = this.currentMachine;
    const notify = new tasks.SnsPublish(this, `${machine}NotifyFailure`, {
      stateName: STATE_NAMES.notifyFailure,
      topic: this.alarmTopic,
      subject: `Shelfwise ${machine} failed`,
      message: sfn.TaskInput.fromObject({
        machine,
        execution: sfn.JsonPath.executionId,
        error: sfn.JsonPath.stringAt('$.error.Error'),
        cause: sfn.JsonPath.stringAt('$.error.Cause'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    this.failure = sfn.Chain.start(notify).next(
      new sfn.Fail(this, `${machine}Failed`, { stateName: 'Failed', error: `${machine}Failed` }),
    );
    return this.failure;
  }

  private startMachine(name: string): void {
    this.currentMachine = name;
    this.failure = undefined;
  }

  private createWarehouseEtl(props: ShelfwisePipelinesStackProps): sfn.StateMachine {
    this.startMachine('warehouse-etl');
    const lake = props.stateful.buckets.lake;
    const steps = props.etlStatements.flatMap(({ fact, clear, build }) => [
      this.athenaTask(STATE_NAMES.etlClear(fact), clear, { resultPath: sfn.JsonPath.DISCARD }),
      this.athenaTask(STATE_NAMES.etlStep(fact), build, { resultPath: sfn.JsonPath.DISCARD }),
    ]);
    const [first, ...rest] = steps;
    if (!first) throw new Error('The warehouse ETL has no steps');
    let chain: sfn.Chain = sfn.Chain.start(first);
    for (const step of rest) chain = chain.next(step);
    chain = chain.next(new sfn.Succeed(this, 'WarehouseEtlDone', { stateName: 'Done' }));

    const machine = this.stateMachine(PIPELINE_IDS.etl, chain, Duration.hours(1));
    this.grantAthena(machine, lake);
    this.grantObjects(machine.role, lake, `${rawDatasets.events}/`, 'read', 'the raw reader events');
    this.grantObjects(machine.role, lake, `${rawDatasets.recommendations}/`, 'read', 'the raw served lists');
    this.grantObjects(machine.role, lake, `${deletionLogPrefix}/`, 'read', 'the deletion log');
    this.grantObjects(machine.role, lake, `${dimBookPrefix}/`, 'read', 'the catalogue snapshot');
    this.grantObjects(machine.role, lake, `${warehousePrefix}/`, 'readWrite', 'the facts (Athena DELETE, INSERT)');
    // Writing an Iceberg table commits a new metadata version to its Glue table.
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['glue:UpdateTable'],
        resources: props.etlStatements.map(({ fact }) =>
          this.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${fact}` }),
        ),
      }),
    );
    return machine;
  }

  private createRetrain(props: ShelfwisePipelinesStackProps): sfn.StateMachine {
    this.startMachine('retrain');
    const { lake, models } = props.stateful.buckets;
    const readers = props.stateful.tables.readers;
    const failure = this.failureBranch();
    const catchTo = <T extends sfn.TaskStateBase | sfn.CustomState>(state: T): T => {
      state.addCatch(failure, { resultPath: '$.error' });
      return state;
    };

    const defaults = new sfn.Pass(this, 'RetrainDefaults', {
      stateName: 'Apply defaults',
      parameters: {
        defaults: { margin: defaultPromotionMargin, hyperparameters: {} },
        input: sfn.JsonPath.objectAt('$'),
      },
    });
    const merge = new sfn.Pass(this, 'RetrainSettings', {
      stateName: 'Settings',
      parameters: {
        settings: sfn.JsonPath.jsonMerge(sfn.JsonPath.objectAt('$.defaults'), sfn.JsonPath.objectAt('$.input')),
      },
    });
    const exports = props.exportStatements.map(({ channel, sql }) =>
      this.athenaTask(STATE_NAMES.export(channel), sql, {
        resultSelector: { 'outputLocation.$': '$.QueryExecution.ResultConfiguration.OutputLocation' },
        resultPath: `$.exports.${channel}`,
      }),
    );
    const readCurrent = catchTo(
      new tasks.DynamoGetItem(this, 'RetrainReadCurrentModel', {
        stateName: STATE_NAMES.readCurrentModel,
        table: readers,
        key: {
          pk: tasks.DynamoAttributeValue.fromString('MODEL'),
          sk: tasks.DynamoAttributeValue.fromString('CURRENT'),
        },
        consistentRead: true,
        resultPath: '$.current',
      }),
    );

    const channel = (name: string, uri: string) => ({
      ChannelName: name,
      InputMode: 'File',
      DataSource: {
        S3DataSource: { S3DataType: 'S3Prefix', S3DataDistributionType: 'FullyReplicated', 'S3Uri.$': uri },
      },
    });
    // The held-out export is not a channel: the candidate never sees it.
    const newData = [
      channel('train', '$.exports.train.outputLocation'),
      channel('history', '$.exports.history.outputLocation'),
    ];
    const previousUri = `States.Format('s3://${models.bucketName}/{}', $.current.Item.prefix.S)`;
    const withPrevious = new sfn.Pass(this, 'RetrainWithPrevious', {
      stateName: 'Warm start from current model',
      parameters: { channels: [...newData, channel('previous', previousUri)] },
      resultPath: '$.training',
    });
    const withoutPrevious = new sfn.Pass(this, 'RetrainWithoutPrevious', {
      stateName: 'Cold start',
      parameters: { channels: newData },
      resultPath: '$.training',
    });

    const sageMakerRole = this.trainingRole(lake, models);
    this.trainingJobRole = sageMakerRole;
    const train = catchTo(
      new sfn.CustomState(this, STATE_NAMES.train, {
        stateJson: {
          Type: 'Task',
          Resource: `arn:${Aws.PARTITION}:states:::sagemaker:createTrainingJob.sync`,
          // The job's own limit (MaxRuntimeInSeconds) plus time to start and upload.
          TimeoutSeconds: TRAINING_MAX_RUNTIME.plus(Duration.minutes(30)).toSeconds(),
          Parameters: {
            'TrainingJobName.$': `States.Format('${TRAINING_JOB_PREFIX}{}', States.UUID())`,
            AlgorithmSpecification: { TrainingImage: this.trainingImageUri.valueAsString, TrainingInputMode: 'File' },
            RoleArn: sageMakerRole.roleArn,
            'HyperParameters.$': '$.settings.hyperparameters',
            'InputDataConfig.$': '$.training.channels',
            OutputDataConfig: { S3OutputPath: models.s3UrlForObject(TRAINING_OUTPUT_PREFIX), CompressionType: 'NONE' },
            ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 10 },
            StoppingCondition: { MaxRuntimeInSeconds: TRAINING_MAX_RUNTIME.toSeconds() },
            EnableNetworkIsolation: true,
          },
          ResultSelector: {
            'jobName.$': '$.TrainingJobName',
            'artifacts.$': '$.ModelArtifacts.S3ModelArtifacts',
          },
          ResultPath: '$.training',
        },
      }),
    );
    train.addRetry({
      errors: ['SageMaker.AmazonSageMakerException', 'SageMaker.ResourceLimitExceededException'],
      interval: Duration.seconds(30),
      backoffRate: 2,
      maxAttempts: 3,
      jitterStrategy: sfn.JitterType.FULL,
    });

    const evaluate = catchTo(
      new tasks.LambdaInvoke(this, 'RetrainEvaluate', {
        stateName: STATE_NAMES.evaluate,
        lambdaFunction: this.evaluateModels,
        payload: sfn.TaskInput.fromObject({
          candidateArtifacts: sfn.JsonPath.stringAt('$.training.artifacts'),
          holdoutLocation: sfn.JsonPath.stringAt('$.exports.holdout.outputLocation'),
          margin: sfn.JsonPath.numberAt('$.settings.margin'),
        }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(15)),
        resultPath: '$.evaluation',
      }),
    );
    const promote = catchTo(
      new tasks.LambdaInvoke(this, 'RetrainPromote', {
        stateName: STATE_NAMES.promote,
        lambdaFunction: this.promoteModel,
        payload: sfn.TaskInput.fromObject({
          candidateArtifacts: sfn.JsonPath.stringAt('$.training.artifacts'),
          // null when no model was serving: the pointer must then still be absent.
          expectedVersion: sfn.JsonPath.stringAt('$.evaluation.currentVersion'),
          reason: sfn.JsonPath.stringAt('$.evaluation.reason'),
        }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
        taskTimeout: sfn.Timeout.duration(Duration.minutes(15)),
        resultPath: '$.promotion',
      }),
    );
    const notifyOutcome = catchTo(
      new tasks.SnsPublish(this, 'RetrainNotifyOutcome', {
        stateName: STATE_NAMES.notifyOutcome,
        topic: props.alarmTopic,
        subject: 'Shelfwise retrain finished',
        message: sfn.TaskInput.fromObject({
          machine: 'retrain',
          execution: sfn.JsonPath.executionId,
          trainingJob: sfn.JsonPath.stringAt('$.training.jobName'),
          evaluation: sfn.JsonPath.objectAt('$.evaluation'),
        }),
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );

    const [firstExport, ...otherExports] = exports;
    if (!firstExport) throw new Error('The retrain pipeline has no exports');
    let chain = sfn.Chain.start(defaults).next(merge).next(firstExport);
    for (const state of otherExports) chain = chain.next(state);
    const decide = new sfn.Choice(this, 'RetrainBetter', { stateName: STATE_NAMES.better })
      .when(sfn.Condition.booleanEquals('$.evaluation.better', true), promote.next(notifyOutcome))
      .otherwise(notifyOutcome);
    notifyOutcome.next(new sfn.Succeed(this, 'RetrainDone', { stateName: 'Done' }));
    const afterChannels = train.next(evaluate).next(decide);
    chain = chain
      .next(readCurrent)
      .next(
        new sfn.Choice(this, 'RetrainHasCurrentModel', { stateName: 'Is a model serving?' })
          .when(sfn.Condition.isPresent('$.current.Item.prefix.S'), withPrevious.next(afterChannels))
          .otherwise(withoutPrevious.next(train)),
      );

    const machine = this.stateMachine(PIPELINE_IDS.retrain, chain, Duration.hours(6));
    this.grantAthena(machine, lake);
    this.grantObjects(machine.role, lake, `${warehousePrefix}/`, 'read', 'the facts the exports read');
    this.grantTrainingJobs(machine, sageMakerRole);
    return machine;
  }

  private stateMachine(id: string, chain: sfn.IChainable, timeout: Duration): sfn.StateMachine {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-${id}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new sfn.StateMachine(this, id, {
      definitionBody: sfn.DefinitionBody.fromChainable(chain),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  private schedule(id: string, machine: sfn.StateMachine, expression: scheduler.ScheduleExpression): void {
    new scheduler.Schedule(this, id, {
      schedule: expression,
      description: `Starts ${machine.node.id}`,
      target: new schedulerTargets.StepFunctionsStartExecution(machine, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 2,
      }),
    });
  }

  /**
   * Object access under one key prefix, the actions listed one by one (and ListBucket limited to the prefix). The
   * key wildcard is acknowledged (cdk-nag IAM5) at synthesis, once the bucket's ARN resolves to its export.
   */
  private grantObjects(
    role: iam.IRole,
    bucket: BindableResources['buckets']['lake'],
    prefix: string,
    access: 'read' | 'write' | 'readWrite',
    what: string,
  ): void {
    const read = ['s3:GetObject'];
    const write = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:DeleteObject'];
    const actions = access === 'read' ? read : access === 'write' ? write : [...read, ...write];
    const objects = bucket.arnForObjects(`${prefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [objects] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`, ''] } },
      }),
    );
    this.objectGrants.push({ role, objects, reason: `${access} access to ${what} (${prefix}*) only` });
  }

  private acknowledgeObjectGrants(): string[] {
    for (const grant of this.objectGrants) {
      acknowledge(
        grant.role,
        `AwsSolutions-IAM5[Resource::${flattenCfnReference(this.resolve(grant.objects))}]`,
        `${grant.role.node.path} has ${grant.reason}: S3 object ARNs need the key wildcard; the actions are ` +
          'listed one by one and the bucket and prefix are named.',
      );
    }
    return [];
  }

  /** The remaining wildcards, each narrowed as far as the service allows. */
  private acknowledgeWildcards(trainingRole: iam.Role): void {
    const glueTables = `arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/${this.databaseName}/*`;
    for (const machine of [this.warehouseEtl, this.retrain]) {
      acknowledge(
        machine.role,
        'AwsSolutions-IAM5[Resource::*]',
        `${machine.node.id}: X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) and the ` +
          'CloudWatch Logs delivery actions of state machine logging, which accept no resource ARN.',
      );
      acknowledge(
        machine.role,
        `AwsSolutions-IAM5[Resource::${glueTables}]`,
        `${machine.node.id}: read-only Glue metadata (GetTable/GetPartitions) of the warehouse database's tables ` +
          'only, which Athena needs for every query.',
      );
    }
    for (const fn of [this.evaluateModels, this.promoteModel]) {
      acknowledge(
        this.retrain.role,
        `AwsSolutions-IAM5[Resource::<${this.resolve((fn.node.defaultChild as CfnResource).logicalId)}.Arn>:*]`,
        `Retrain may invoke the ${fn.node.id} function only (lambda:InvokeFunction on its ARN and its versions), ` +
          'as the CDK LambdaInvoke task grants it.',
      );
    }
    acknowledge(
      this.retrain.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:training-job/${TRAINING_JOB_PREFIX}*]`,
      'Retrain names each training job retrain-<uuid>; it may create, describe and stop those jobs only.',
    );
    acknowledge(
      trainingRole,
      'AwsSolutions-IAM5[Resource::*]',
      'TrainingJobRole: ecr:GetAuthorizationToken and cloudwatch:PutMetricData (training metrics) accept no ' +
        'resource ARN.',
    );
    acknowledge(
      trainingRole,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/TrainingJobs:*]',
      "TrainingJobRole writes to SageMaker's own training job log group only (its streams are per job).",
    );
    acknowledge(
      trainingRole,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/*]',
      'TrainingJobRole pulls the training image, whose repository is a deploy-time parameter (TrainingImageUri); ' +
        'pull actions only, in this account and region.',
    );
  }

  /** The role SageMaker runs the training job with: read the exports and the serving model, write its output. */
  private trainingRole(lake: BindableResources['buckets']['lake'], models: BindableResources['buckets']['models']) {
    const role = new iam.Role(this, 'TrainingJobRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Shelfwise retrain: the SageMaker training job',
    });
    this.grantObjects(role, lake, ATHENA_RESULTS_PREFIX, 'read', 'the training exports (Athena results)');
    this.grantObjects(role, models, 'policies/', 'read', 'the serving model to warm-start from');
    this.grantObjects(role, models, TRAINING_OUTPUT_PREFIX, 'write', 'its model output');
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [
          this.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '/aws/sagemaker/TrainingJobs:*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken', 'cloudwatch:PutMetricData'], resources: ['*'] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [this.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' })],
      }),
    );
    return role;
  }

  /** What the state machine needs to run `createTrainingJob.sync` (as the service integration documents it). */
  private grantTrainingJobs(machine: sfn.StateMachine, trainingRole: iam.IRole): void {
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'sagemaker:CreateTrainingJob',
          'sagemaker:DescribeTrainingJob',
          'sagemaker:StopTrainingJob',
          'sagemaker:AddTags',
        ],
        resources: [
          this.formatArn({ service: 'sagemaker', resource: 'training-job', resourceName: `${TRAINING_JOB_PREFIX}*` }),
        ],
      }),
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [trainingRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          this.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule',
          }),
        ],
      }),
    );
  }

  /**
   * Glue tables over the lake's raw files (events and served lists by day and hour, the deletion log by day) and the
   * facts, with partition projection (no crawler, no MSCK).
   */
  /**
   * Kinesis → Firehose → the lake: every reader event as received, one JSON per line (a newline appended to each
   * record), in objects partitioned by the UTC hour of arrival (`raw/events/dt=…/hour=…/`, lake-layout.ts), the
   * layout `npm start`'s archiver writes and the raw Glue table projects. Buffers up to 5 minutes or 64 MiB; records
   * Firehose cannot deliver go under `raw/errors/events/`. Its role reads the stream and writes those two prefixes
   * only (the L2 construct would grant read, write and delete on the whole lake).
   */
  private createEventsToLake(props: ShelfwisePipelinesStackProps): firehose.CfnDeliveryStream {
    const { lake } = props.stateful.buckets;
    const stream = props.stateful.streams.readerEvents;
    const hourly = 'dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/';
    const role = new iam.Role(this, 'EventsToLakeRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      description: 'Firehose EventsToLake: reads the reader-events stream, writes raw events into the lake',
    });
    stream.grantRead(role);
    const prefixes = [rawDatasets.events, rawDatasets.eventErrors].map((prefix) => lake.arnForObjects(`${prefix}/*`));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: prefixes,
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [lake.bucketArn],
      }),
    );
    const logGroup = new logs.LogGroup(this, 'EventsToLakeLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logStream = logGroup.addStream('S3Delivery');
    logGroup.grantWrite(role);
    const delivery = new firehose.CfnDeliveryStream(this, 'EventsToLake', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: stream.streamArn, roleArn: role.roleArn },
      extendedS3DestinationConfiguration: {
        bucketArn: lake.bucketArn,
        roleArn: role.roleArn,
        prefix: `${rawDatasets.events}/${hourly}`,
        errorOutputPrefix: `${rawDatasets.eventErrors}/!{firehose:error-output-type}/${hourly}`,
        bufferingHints: { intervalInSeconds: 300, sizeInMBs: 64 },
        compressionFormat: 'UNCOMPRESSED',
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'AppendDelimiterToRecord',
              parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }],
            },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    delivery.node.addDependency(role);
    // Acknowledged at validation, once the lake's ARN has become the stateful stack's export.
    for (const objects of prefixes) {
      this.objectGrants.push({
        role,
        objects,
        reason: 'write access to the raw events it delivers (one object per buffer)',
      });
    }
    acknowledge(
      delivery,
      'AwsSolutions-KDF1',
      'The delivery stream reads from the reader-events Kinesis stream, which is encrypted (KMS); Firehose does not ' +
        'allow its own server-side encryption with a Kinesis source, and the lake bucket encrypts the objects.',
    );
    return delivery;
  }

  private createTables(bucketName: string): void {
    const location = (prefix: string) => `s3://${bucketName}/${prefix}`;
    const dtProjection = {
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2025-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
    };
    const hourProjection = {
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    };
    for (const [name, table] of Object.entries(rawTables) as [string, RawTable][]) {
      const folders = table.partitions.map((column) => `${column}=\${${column}}/`).join('');
      new glue.CfnTable(this, `Table${name}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: this.databaseName,
        tableInput: {
          name,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            classification: 'json',
            'projection.enabled': 'true',
            ...dtProjection,
            ...(table.partitions.includes('hour') ? hourProjection : {}),
            'storage.location.template': `${location(table.prefix)}/${folders}`,
          },
          partitionKeys: table.partitions.map((column) => ({ name: column, type: 'string' })),
          storageDescriptor: {
            location: `${location(table.prefix)}/`,
            inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
              parameters: {
                'ignore.malformed.json': 'true',
                ...Object.fromEntries(table.columns.map((c) => [`mapping.${c.name}`, c.field])),
              },
            },
            columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
          },
        },
      }).addResourceDependency(this.database);
    }
    const parquet = {
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    };
    // The facts: Iceberg tables (rebuilt by DELETE + INSERT; a Hive table could only be appended to), partitioned by
    // the day with an identity transform, so queries by `dt` read only their days' files.
    const icebergTypes: Record<string, string> = { string: 'string', int: 'int', timestamp: 'timestamp' };
    for (const [fact, columns] of Object.entries(factColumns)) {
      const fields = [...columns, { name: factPartitionColumn, type: 'string' }].map((column, i) => ({
        id: i + 1,
        name: column.name,
        type: icebergTypes[column.type] ?? column.type,
        required: false,
      }));
      new glue.CfnTable(this, `Table${fact}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: this.databaseName,
        tableInput: { name: fact },
        openTableFormatInput: {
          icebergInput: {
            metadataOperation: 'CREATE',
            version: '2',
            icebergTableInput: {
              location: location(`${warehousePrefix}/${fact}`),
              schema: { schemaId: 0, type: 'struct', fields },
              partitionSpec: {
                specId: 0,
                fields: [{ sourceId: fields.length, fieldId: 1000, name: factPartitionColumn, transform: 'identity' }],
              },
              properties: { 'write.format.default': 'parquet', 'write.parquet.compression-codec': 'zstd' },
            },
          },
        },
      }).addResourceDependency(this.database);
    }
    // The catalogue: the latest snapshot, which the export also writes at a fixed key (Athena cannot follow
    // `latest.json`, and a table over every snapshot would count each book once per export).
    new glue.CfnTable(this, 'Tabledim_book', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: this.databaseName,
      tableInput: {
        name: 'dim_book',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'parquet' },
        storageDescriptor: {
          location: `${location(dimBookCurrentPrefix)}/`,
          ...parquet,
          columns: dimBookColumns.map((column) => ({ name: column.name, type: column.glue })),
        },
      },
    }).addResourceDependency(this.database);
  }
}
