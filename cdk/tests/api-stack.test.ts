import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functions, readerAuthorizerFunction } from '../../lambdas/src/functions';
import { PLACEHOLDER_SITE_ORIGIN } from '../src/api-stack';
import { CONTEXT_KEYS } from '../src/app';
import { buildTestApp, specsWithTriggerProbe, triggerProbeSpec } from './support';

// The app as deployed (the real function specs), synthesized once for the file.
const { api } = buildTestApp();
const template = Template.fromStack(api);

describe('ShelfwiseApiStack', () => {
  it('creates one function per spec, each on nodejs24.x, arm64 and active tracing', () => {
    // Prepare
    const expected = [...functions, readerAuthorizerFunction].map((spec) => spec.description).sort();

    // Act
    const lambdas = Object.entries(template.findResources('AWS::Lambda::Function'))
      // CDK's own S3-notifications custom resource function is not one of ours.
      .filter(([id]) => !id.startsWith('BucketNotificationsHandler'))
      .map(([, fn]) => (fn as { Properties: Record<string, unknown> }).Properties);

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

/** A logical ID made by CDK from a construct path, e.g. `CatalogueIngest` → `CatalogueIngestCFEBBE9F`. */
function logicalId(path: string): Match {
  return Match.stringLikeRegexp(`^${path}[0-9A-F]{8}$`);
}

/** An alarm (as synthesized) on one metric: above 0 in five minutes, missing data is fine, operators notified. */
function alarmOn(namespace: string, metricName: string, statistic: string, dimension: Record<string, unknown>) {
  const topic = { Ref: logicalId('OperatorAlarmsTopic') };
  return {
    Namespace: namespace,
    MetricName: metricName,
    Statistic: statistic,
    Dimensions: [dimension],
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [topic],
    OKActions: [topic],
  };
}

interface NotificationConfiguration {
  Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
  LambdaFunctionArn: { 'Fn::GetAtt': [string, string] };
}

describe('ShelfwiseApiStack catalogue ingest', () => {
  const ingestFunction = { Ref: logicalId('CatalogueIngest') };
  const deadLetterQueue = logicalId('CatalogueIngestAsyncFailureQueue');

  it('runs the ingest function with 2048 MB for 900 s, in the VPC, with the database secret and the ingest bucket', () => {
    // Prepare
    const securityGroup = { 'Fn::GetAtt': [logicalId('CatalogueIngestSecurityGroup'), 'GroupId'] };

    // Act
    const ingest = template.findResources('AWS::Lambda::Function', {
      Properties: { MemorySize: 2048, Timeout: 900 },
    });

    // Assess
    expect(Object.keys(ingest)).toEqual([expect.stringMatching(/^CatalogueIngest[0-9A-F]{8}$/)]);
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        MemorySize: 2048,
        Timeout: 900,
        VpcConfig: Match.objectLike({ SecurityGroupIds: [securityGroup] }),
        Environment: {
          Variables: Match.objectLike({
            DATABASE_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseSecret') },
            NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
            INGEST_BUCKET: { 'Fn::ImportValue': Match.stringLikeRegexp('IngestBucket') },
          }),
        },
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseSecurityGroup') },
        SourceSecurityGroupId: securityGroup,
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId('CatalogueIngestRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
              Resource: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseSecret') },
            }),
            Match.objectLike({
              Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
              Resource: Match.arrayWith([
                { 'Fn::Join': ['', [{ 'Fn::ImportValue': Match.stringLikeRegexp('IngestBucketArn') }, '/*']] },
              ]),
            }),
            // The catalogue snapshot (dim_book) after each ingest: the lake is written, never read.
            Match.objectLike({
              Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'],
              Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': Match.stringLikeRegexp('LakeBucketArn') }, '/*']] },
            }),
          ]),
        },
      }),
    ).not.toThrow();
  });

  it('is notified of objects created under calibre/ only, so its quarantine and cover writes do not retrigger it', () => {
    // Prepare
    const [notifications] = Object.values(template.findResources('Custom::S3BucketNotifications')) as {
      Properties: { NotificationConfiguration: { LambdaFunctionConfigurations: NotificationConfiguration[] } };
    }[];
    const ownWrites = ['quarantine/lib/2026-11-01-run7-metadata.db', 'quarantine/lib/x.json', 'covers/lib/u.jpg'];

    // Act
    const prefixes = (notifications?.Properties.NotificationConfiguration.LambdaFunctionConfigurations ?? [])
      .filter((configuration) => configuration.LambdaFunctionArn['Fn::GetAtt'][0].startsWith('CatalogueIngest'))
      .flatMap((configuration) => configuration.Filter.Key.FilterRules.map((rule) => `${rule.Name}=${rule.Value}`));

    // Assess
    expect(prefixes).toEqual(['prefix=calibre/']);
    expect(ownWrites.filter((key) => key.startsWith('calibre/'))).toEqual([]);
    expect(() =>
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { 'Fn::ImportValue': Match.stringLikeRegexp('IngestBucket') },
        NotificationConfiguration: {
          LambdaFunctionConfigurations: Match.arrayWith([
            Match.objectLike({
              Events: ['s3:ObjectCreated:*'],
              LambdaFunctionArn: { 'Fn::GetAtt': [logicalId('CatalogueIngest'), 'Arn'] },
            }),
          ]),
        },
      }),
    ).not.toThrow();
  });

  it('retries a failed invocation twice, then sends the event to an encrypted, TLS-only dead-letter queue', () => {
    // Prepare
    const queueArn = { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] };

    // Act
    const queues = template.findResources('AWS::SQS::Queue', {
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
    });

    // Assess
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ingestFunction,
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      }),
    ).not.toThrow();
    expect(Object.keys(queues)).toContainEqual(expect.stringMatching(/^CatalogueIngestAsyncFailureQueue[0-9A-F]{8}$/));
    expect(() =>
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: deadLetterQueue }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: queueArn,
            }),
          ],
        },
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId('CatalogueIngestRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: queueArn }),
          ]),
        },
      }),
    ).not.toThrow();
  });

  it('alarms the operators on function errors, throttles and any message in the dead-letter queue', () => {
    // Prepare
    const expected = [
      alarmOn('AWS/Lambda', 'Errors', 'Sum', { Name: 'FunctionName', Value: ingestFunction }),
      alarmOn('AWS/Lambda', 'Throttles', 'Sum', { Name: 'FunctionName', Value: ingestFunction }),
      alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', {
        Name: 'QueueName',
        Value: { 'Fn::GetAtt': [deadLetterQueue, 'QueueName'] },
      }),
    ];

    // Act
    const check = (alarm: (typeof expected)[number]) => () =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', alarm);

    // Assess
    for (const alarm of expected) expect(check(alarm), `${alarm.MetricName} alarm`).not.toThrow();
  });

  it('gives no async settings or alarms to functions that only serve HTTP', () => {
    // Prepare
    const httpOnly = functions.filter((spec) => spec.triggers.every((trigger) => trigger.kind === 'http'));

    // Act
    const alarmed = [
      ...Object.values(template.findResources('AWS::CloudWatch::Alarm')),
      ...Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')),
    ].map((resource) => JSON.stringify(resource));

    // Assess
    expect(httpOnly.length).toBeGreaterThan(0);
    for (const spec of httpOnly) {
      expect(alarmed.filter((resource) => resource.includes(`"${spec.id}`))).toEqual([]);
    }
  });
});

describe('ShelfwiseApiStack operator alarm topic', () => {
  it('creates one KMS-encrypted, TLS-only topic that CloudWatch alarms of this account may publish to', () => {
    // Prepare
    const topic = { Ref: logicalId('OperatorAlarmsTopic') };

    // Act
    const topics = template.findResources('AWS::SNS::Topic');

    // Assess
    expect(Object.keys(topics)).toHaveLength(1);
    expect(() =>
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [logicalId('OperatorAlarmsKey'), 'Arn'] },
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': Match.anyValue() },
              },
            }),
          ],
        },
      }),
    ).not.toThrow();
  });

  it('exposes the topic as a stack property and outputs its ARN', () => {
    // Prepare
    const topic = { Ref: logicalId('OperatorAlarmsTopic') };

    // Act
    const property: unknown = api.resolve(api.alarmTopic.topicArn);

    // Assess
    expect(property).toEqual({ Ref: expect.stringMatching(/^OperatorAlarmsTopic[0-9A-F]{8}$/) });
    expect(() => template.hasOutput('AlarmTopicArn', { Value: topic })).not.toThrow();
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
          // After CatalogueIngest's own notification.
          LambdaFunctionConfigurations: Match.arrayWith(
            prefixes.map((prefix) => ({
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
              LambdaFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggerProbe'), 'Arn'] },
            })),
          ),
        },
      }),
    ).not.toThrow();
  });

  it('alarms on the Kinesis trigger: errors, throttles, failed batches and an iterator age over a minute', () => {
    // Prepare
    const probe = { Ref: logicalId('TriggerProbe') };
    const expected = [
      alarmOn('AWS/Lambda', 'Errors', 'Sum', { Name: 'FunctionName', Value: probe }),
      alarmOn('AWS/Lambda', 'Throttles', 'Sum', { Name: 'FunctionName', Value: probe }),
      alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', {
        Name: 'QueueName',
        Value: { 'Fn::GetAtt': [logicalId('TriggerProbeReaderEventsFailureQueue'), 'QueueName'] },
      }),
      {
        ...alarmOn('AWS/Lambda', 'IteratorAge', 'Maximum', { Name: 'FunctionName', Value: probe }),
        Threshold: 60_000,
      },
    ];

    // Act
    const check = (alarm: (typeof expected)[number]) => () =>
      probed.hasResourceProperties('AWS::CloudWatch::Alarm', alarm);

    // Assess
    for (const alarm of expected) expect(check(alarm), `${alarm.MetricName} alarm`).not.toThrow();
  });

  it('configures asynchronous invocation and its alarms once for a function with two S3 triggers', () => {
    // Prepare
    const probe = { Ref: logicalId('TriggerProbe') };

    // Act
    const invokeConfigs = probed.findResources('AWS::Lambda::EventInvokeConfig', {
      Properties: { FunctionName: probe },
    });
    const errorAlarms = probed.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: probe }] },
    });

    // Assess
    expect(Object.values(invokeConfigs)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          MaximumRetryAttempts: 2,
          DestinationConfig: {
            OnFailure: {
              Destination: { 'Fn::GetAtt': [expect.stringMatching(/^TriggerProbeAsyncFailureQueue/), 'Arn'] },
            },
          },
        }),
      }),
    ]);
    expect(Object.keys(errorAlarms)).toHaveLength(1);
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

describe('the insights function', () => {
  // The whole app: the API stack's insights function and the pipelines stack's warehouse.
  const app = buildTestApp();
  const apiTemplate = Template.fromStack(app.api);
  const pipelinesTemplate = Template.fromStack(app.pipelines);
  const insights = functions.find((spec) => spec.id === 'InsightsApi')!;

  type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
  function statementsOf(role: string): Statement[] {
    const policies = apiTemplate.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${role}`) }] },
    });
    return Object.values(policies).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
  }

  it('queries the pipelines stack’s workgroup and database, by the names that stack gives them', () => {
    // Prepare
    const workGroup = Object.values(pipelinesTemplate.findResources('AWS::Athena::WorkGroup'))[0] as {
      Properties: { Name: string };
    };
    const database = Object.values(pipelinesTemplate.findResources('AWS::Glue::Database'))[0] as {
      Properties: { DatabaseInput: { Name: string } };
    };

    // Act
    const fn = Object.values(
      apiTemplate.findResources('AWS::Lambda::Function', { Properties: { Description: insights.description } }),
    )[0] as { Properties: { Environment: { Variables: Record<string, unknown> }; VpcConfig?: unknown } };
    const statements = JSON.stringify(statementsOf('InsightsApiRole'));

    // Assess
    expect(fn.Properties.Environment.Variables).toMatchObject({
      ATHENA_WORKGROUP: workGroup.Properties.Name,
      WAREHOUSE_DATABASE: database.Properties.DatabaseInput.Name,
    });
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(statements).toContain(`:workgroup/${workGroup.Properties.Name}`);
    expect(statements).toContain(`:table/${database.Properties.DatabaseInput.Name}/*`);
    expect(statements).toContain('athena:GetQueryResults');
  });

  it('reads only the facts and the catalogue snapshot of the lake, and writes only Athena’s results', () => {
    // Act
    const statements = statementsOf('InsightsApiRole');
    const s3 = statements.filter((statement) => String(statement.Action).includes('s3:'));
    const prefixes = (statement: Statement) =>
      (JSON.stringify(statement.Resource).match(/"\/([\w/.-]*\*)"/g) ?? []).map((match) => JSON.parse(match) as string);

    // Assess
    const get = s3.find((statement) => statement.Action === 's3:GetObject')!;
    expect(prefixes(get).sort()).toEqual(['/athena-results/*', '/snapshots/dim_book/*', '/warehouse/*']);
    const put = s3.find((statement) => [statement.Action].flat().includes('s3:PutObject'))!;
    expect(prefixes(put)).toEqual(['/athena-results/*']);
    expect(JSON.stringify(statements)).not.toMatch(/"s3:\*"|"athena:\*"|"glue:\*"/);
  });
});
