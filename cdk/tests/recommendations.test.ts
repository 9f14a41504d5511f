import { Match, Template } from 'aws-cdk-lib/assertions';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { functions, type FunctionSpec } from '../../lambdas/src/functions';
import { SERVICE_METRIC_ALARMS } from '../src/api-stack';
import { copyIntoNodeModules, findPackageFolder, planNativeModules } from '../src/native-modules';
import { lambdasRoot, repositoryRoot } from '../src/paths';
import { buildTestApp } from './support';

const recommender: FunctionSpec = functions.find((spec) => spec.id === 'Recommender') ?? missing('Recommender');

function missing(id: string): never {
  throw new Error(`${id} is not in lambdas/src/functions.ts`);
}

/** Matches the logical ID CDK gives the construct at `path` (its path plus an 8-digit hash). */
function logicalId(path: string): Match {
  return Match.stringLikeRegexp(`^${path}[0-9A-F]{8}$`);
}

/** Every file below `folder` (symbolic links not followed), relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((path) => lstatSync(join(folder, path)).isFile())
    .sort();
}

/** Bytes of every file below `folder`: what Lambda counts against its 250 MB unzipped limit. */
function sizeOf(folder: string): number {
  return filesUnder(folder).reduce((total, path) => total + lstatSync(join(folder, path)).size, 0);
}

const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;
const temporaryFolders: string[] = [];
afterAll(() => {
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporaryFolders.push(folder);
  return folder;
}

describe('Recommendations stream', () => {
  const template = Template.fromStack(buildTestApp().stateful);

  it('keeps the reader events stream (same logical ID, retained) on demand, KMS-encrypted, 24 h retention', () => {
    // Prepare
    const expected = {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: 24,
      ShardCount: Match.absent(),
    };

    // Act
    const streams = template.findResources('AWS::Kinesis::Stream');

    // Assess
    expect(Object.keys(streams)).toEqual(['ReaderEventsStream']);
    expect(() =>
      template.hasResource('AWS::Kinesis::Stream', {
        Properties: expected,
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      }),
    ).not.toThrow();
  });
});

describe('Recommender', () => {
  const { api } = buildTestApp();
  const template = Template.fromStack(api);
  const fn = { Ref: logicalId('Recommender') };
  const topic = { Ref: logicalId('OperatorAlarmsTopic') };
  const failureQueue = logicalId('RecommenderReaderEventsFailureQueue');

  it('runs in the VPC with the database, the readers table and the models bucket named in its environment', () => {
    // Prepare
    const variables = {
      DATABASE_SECRET_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('DatabaseSecret') },
      READER_TABLE: { 'Fn::ImportValue': Match.stringLikeRegexp('ReadersTable') },
      MODELS_BUCKET: { 'Fn::ImportValue': Match.stringLikeRegexp('ModelsBucket') },
      POWERTOOLS_SERVICE_NAME: 'shelfwise',
      POWERTOOLS_METRICS_NAMESPACE: 'Shelfwise',
    };

    // Act
    const recommenders = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: recommender.description },
    });

    // Assess
    expect(Object.keys(recommenders)).toEqual([expect.stringMatching(/^Recommender[0-9A-F]{8}$/)]);
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: recommender.description,
        MemorySize: 2048,
        Timeout: recommender.timeoutSeconds,
        Architectures: ['arm64'],
        VpcConfig: Match.anyValue(),
        Environment: { Variables: Match.objectLike(variables) },
      }),
    ).not.toThrow();
  });

  it('may read the model objects (the pointer item lives in the readers table, which it may read and write)', () => {
    // Prepare
    const modelsBucketArn = { 'Fn::ImportValue': Match.stringLikeRegexp('ModelsBucketArn') };
    const readersTableArn = { 'Fn::ImportValue': Match.stringLikeRegexp('ReadersTableArn') };

    const statements = [
      { Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [modelsBucketArn, '/*']] } },
      { Action: 's3:ListBucket', Resource: modelsBucketArn },
      {
        Action: Match.arrayWith(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
        Resource: readersTableArn,
      },
      { Action: Match.arrayWith(['sqs:SendMessage']), Resource: { 'Fn::GetAtt': [failureQueue, 'Arn'] } },
    ];

    // Act
    const allows = (statement: object) => () =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId('RecommenderRole') }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', ...statement })]) },
      });

    // Assess
    for (const statement of statements) expect(allows(statement), `${JSON.stringify(statement.Action)}`).not.toThrow();
  });

  it('reads the stream in order per shard, reports partial failures, bisects, retries 3 times, gives up after 6 h', () => {
    // Prepare
    const trigger = recommender.triggers.find((t) => t.kind === 'kinesis');

    // Act
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: fn } });

    // Assess
    expect(trigger).toEqual({ kind: 'kinesis', stream: 'readerEvents', batchSize: 100 });
    expect(Object.keys(mappings)).toHaveLength(1);
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: fn,
        EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('ReaderEventsStreamArn') },
        BatchSize: 100,
        StartingPosition: 'TRIM_HORIZON',
        ParallelizationFactor: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failureQueue, 'Arn'] } } },
      }),
    ).not.toThrow();
  });

  it('sends failed batches to an encrypted, TLS-only queue that keeps them 14 days', () => {
    // Act + Assess
    expect(() =>
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      }),
    ).not.toThrow();
    expect(() =>
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: failureQueue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      }),
    ).not.toThrow();
  });

  it('alarms the operators on errors, throttles, failed batches, an iterator age over a minute and a rejected model', () => {
    // Prepare
    const notify = { AlarmActions: [topic], OKActions: [topic], EvaluationPeriods: 1, Period: 300 };
    const expected = {
      Errors: {
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'FunctionName', Value: fn }],
        Threshold: 0,
      },
      Throttles: {
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'FunctionName', Value: fn }],
        Threshold: 0,
      },
      IteratorAge: {
        Namespace: 'AWS/Lambda',
        Statistic: 'Maximum',
        Dimensions: [{ Name: 'FunctionName', Value: fn }],
        Threshold: 60_000,
        ComparisonOperator: 'GreaterThanThreshold',
      },
      ApproximateNumberOfMessagesVisible: {
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueue, 'QueueName'] } }],
        Threshold: 0,
      },
      ModelRejected: {
        Namespace: 'Shelfwise',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'service', Value: 'shelfwise' }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp('previous model keeps serving'),
      },
    };

    // Act
    const check = (metricName: string, properties: object) => () =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metricName, ...notify, ...properties });

    // Assess
    for (const [metricName, properties] of Object.entries(expected)) {
      expect(check(metricName, properties), `${metricName} alarm`).not.toThrow();
    }
    expect(Object.keys(SERVICE_METRIC_ALARMS)).toEqual(['Recommender']);
  });

  it('sets the environment its spec lists, and refuses one that a bind method sets', () => {
    // Prepare
    const withSettings = { ...recommender, environment: { MODEL_REFRESH_SECONDS: '30' } };
    const clashing = { ...recommender, environment: { MODELS_BUCKET: 'somewhere-else' } };

    // Act
    const configured = Template.fromStack(buildTestApp({ functions: [withSettings] }).api);
    const clash = () => buildTestApp({ functions: [clashing] });

    // Assess
    expect(() =>
      configured.hasResourceProperties('AWS::Lambda::Function', {
        Description: recommender.description,
        Environment: { Variables: Match.objectLike({ MODEL_REFRESH_SECONDS: '30' }) },
      }),
    ).not.toThrow();
    expect(clash).toThrow(/MODELS_BUCKET is set by a bind method; remove it from props.environment/);
  });
});

describe('Native modules', () => {
  it('plans onnxruntime-node with its JS and one platform binding, plus onnxruntime-common, not its install tools', () => {
    // Prepare
    const fromDir = lambdasRoot;

    // Act
    const plan = planNativeModules(['onnxruntime-node'], fromDir, { os: 'linux', arch: 'arm64' });

    // Assess
    expect(plan.map((pkg) => pkg.name)).toEqual(['onnxruntime-node', 'onnxruntime-common']);
    expect(plan[0]?.paths).toEqual(['package.json', 'dist', 'bin/napi-v6/linux/arm64']);
  });

  it('leaves out only dependencies that the runtime code of onnxruntime-node never requires', () => {
    // Prepare
    const folder = findPackageFolder('onnxruntime-node', lambdasRoot) ?? missing('onnxruntime-node');
    const declared = Object.keys(
      (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
    );

    // Act
    const runtimeCode = filesUnder(join(folder, 'dist'))
      .filter((path) => path.endsWith('.js'))
      .map((path) => readFileSync(join(folder, 'dist', path), 'utf8'))
      .join('\n');
    const required = declared.filter((name) => runtimeCode.includes(`require("${name}")`));

    // Assess
    expect(declared.sort()).toEqual(['adm-zip', 'global-agent', 'onnxruntime-common']);
    expect(required).toEqual(['onnxruntime-common']);
  });

  it('refuses a native module it has no layout for, or one that is not installed', () => {
    // Prepare
    const platform = { os: 'linux', arch: 'arm64' } as const;

    // Act
    const unknown = () => planNativeModules(['sharp'], lambdasRoot, platform);
    const absent = () => planNativeModules(['onnxruntime-node'], tmpdir(), platform);

    // Assess
    expect(unknown).toThrow(/No packaging layout for the native module sharp/);
    expect(absent).toThrow(/Native module onnxruntime-node is not installed/);
  });

  it('copies a node_modules/ that runs on its own: onnxruntime-node loads its binding outside the repository', () => {
    // Prepare
    // This machine's platform (the Lambda one, arm64, cannot load here); the copy lies outside any node_modules/.
    const folder = temporaryFolder('shelfwise-native-');
    const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
    const plan = planNativeModules(['onnxruntime-node'], lambdasRoot, { os: 'linux', arch });
    writeFileSync(
      join(folder, 'index.mjs'),
      "import * as ort from 'onnxruntime-node';" +
        "const tensor = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [2, 2]);" +
        'console.log(JSON.stringify({ backends: ort.listSupportedBackends().map((b) => b.name), dims: tensor.dims }));',
    );

    // Act
    execFileSync('/bin/sh', ['-c', copyIntoNodeModules(plan, folder).join(' && ')]);
    const output = execFileSync(process.execPath, [join(folder, 'index.mjs')], { cwd: folder, encoding: 'utf8' });

    // Assess
    expect(relative(repositoryRoot, folder).startsWith('..')).toBe(true);
    expect(JSON.parse(output)).toEqual({ backends: expect.arrayContaining(['cpu']), dims: [2, 2] });
  });
});

describe('Recommender asset', () => {
  // The real Recommender bundled with the local esbuild, into a throw-away cloud assembly (only the API stack).
  const { app, api } = buildTestApp({
    functions: [recommender],
    context: { 'aws:cdk:bundling-stacks': ['ShelfwiseApi'] },
  });
  const assembly = app.synth();
  const resources = assembly.getStackByName(api.stackName).template.Resources as Record<
    string,
    { Type: string; Properties: { Description?: string; Code?: { S3Key?: string } } }
  >;
  const [, lambdaResource] =
    Object.entries(resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::Lambda::Function' && resource.Properties.Description === recommender.description,
    ) ?? missing('the Recommender function resource');
  // The asset's S3 key is `<asset hash>.zip`; the cloud assembly keeps its folder as `asset.<asset hash>`.
  const assetHash = lambdaResource.Properties.Code?.S3Key?.replace(/\.zip$/, '') ?? 'missing';
  const assetDir = join(assembly.directory, `asset.${assetHash}`);
  const files = filesUnder(assetDir);
  afterAll(() => rmSync(assembly.directory, { recursive: true, force: true }));

  it('keeps onnxruntime-node out of the bundle and ships it in node_modules/ with its linux arm64 binding only', () => {
    // Prepare
    const binaries = 'node_modules/onnxruntime-node/bin/napi-v6';

    // Act
    const platforms = readdirSync(join(assetDir, binaries), { recursive: true, encoding: 'utf8' }).filter((path) =>
      lstatSync(join(assetDir, binaries, path)).isDirectory(),
    );
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');

    // Assess
    expect(bundle).toMatch(/from\s*"onnxruntime-node"/);
    expect(platforms.sort()).toEqual(['linux', 'linux/arm64']);
    expect(files).toEqual(
      expect.arrayContaining([
        'index.mjs',
        `${binaries}/linux/arm64/onnxruntime_binding.node`,
        `${binaries}/linux/arm64/libonnxruntime.so.1`,
        'node_modules/onnxruntime-node/dist/index.js',
        'node_modules/onnxruntime-node/package.json',
        'node_modules/onnxruntime-common/package.json',
      ]),
    );
    expect(files.filter((path) => /\.(dll|dylib)$|darwin|win32|linux\/x64/.test(path))).toEqual([]);
    expect(existsSync(join(assetDir, 'node_modules/adm-zip'))).toBe(false);
  });

  it('fits in the 250 MB unzipped limit of Lambda', () => {
    // Act
    const bytes = sizeOf(assetDir);

    // Assess
    console.log(`Recommender asset: ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${files.length} files`);
    expect(bytes).toBeLessThan(LAMBDA_UNZIPPED_LIMIT_BYTES);
  });
});
