import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { trainingExportStatements } from '../../lambdas/src/pipelines/training-exports';
import { athenaEtlStatements, athenaNamedQueries, factColumns } from '../../lambdas/src/warehouse/athena-dialect';
import { etlSteps } from '../../lambdas/src/warehouse/queries';
import { dimBookCurrentPrefix, rawTables } from '../../lambdas/src/warehouse/lake-layout';
import { dimBookColumns } from '../../lambdas/src/warehouse/domain/dim-book';
import { BYTES_SCANNED_CUTOFF, PIPELINE_IDS, STATE_NAMES } from '../src/pipelines-stack';
import { buildTestApp } from './support';

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Parameters?: Record<string, unknown>;
  readonly Retry?: { ErrorEquals: string[] }[];
  readonly Catch?: { ErrorEquals: string[]; Next: string }[];
  readonly Choices?: { Next: string }[];
  readonly Default?: string;
}

interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

/** The state machine's definition, each CloudFormation token (Ref, GetAtt, ImportValue) shown as `TOKEN`. */
function definitionOf(template: Template, id: string): Definition {
  const [resource] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).filter(([logicalId]) =>
    new RegExp(`^${id}[0-9A-F]{8}$`).test(logicalId),
  );
  if (!resource) throw new Error(`No state machine ${id}`);
  const body = resource[1].Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text) as Definition;
}

/** The state names from StartAt following `Next` (and a Choice's Default), until a state without one. */
function mainPath(definition: Definition): string[] {
  const path: string[] = [];
  let name: string | undefined = definition.StartAt;
  while (name && !path.includes(name)) {
    path.push(name);
    const state: State = definition.States[name]!;
    name = state.Next ?? state.Default;
  }
  return path;
}

describe('Pipelines stack', () => {
  // One synthesis for the whole file: the pipelines stack of the app as the CLI builds it.
  const { pipelines } = buildTestApp();
  const template = Template.fromStack(pipelines);
  const etl = definitionOf(template, PIPELINE_IDS.etl);
  const retrain = definitionOf(template, PIPELINE_IDS.retrain);

  it('declares the raw tables with partition projection and the facts as Iceberg tables, with no crawler', () => {
    // Prepare
    const rawNames = Object.keys(rawTables) as (keyof typeof rawTables)[];

    // Act
    const tables = Object.values(template.findResources('AWS::Glue::Table'));
    const byName = (name: string) => tables.find((table) => table.Properties.TableInput.Name === name);

    // Assess
    template.resourceCountIs('AWS::Glue::Crawler', 0);
    template.resourceCountIs('AWS::Glue::Database', 1);
    for (const name of rawNames) {
      const partitions: readonly string[] = rawTables[name].partitions;
      const input = byName(name)?.Properties.TableInput;
      expect(input?.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        ...(partitions.includes('hour') ? { 'projection.hour.type': 'integer' } : {}),
      });
      expect(input?.PartitionKeys.map((key: { Name: string }) => key.Name)).toEqual(partitions);
    }
    // The deletion log is partitioned by day only, at the keys the reader-data API writes.
    expect(byName('raw_deletions')?.Properties.TableInput.Parameters['storage.location.template']).toEqual({
      'Fn::Join': ['', [expect.stringMatching(/^s3:\/\/$/), expect.anything(), '/deletions/dt=${dt}/']],
    });
    for (const [fact, columns] of Object.entries(factColumns)) {
      const iceberg = byName(fact)?.Properties.OpenTableFormatInput.IcebergInput.IcebergTableInput;
      expect(iceberg.Schema.Fields.map((field: { Name: string }) => field.Name)).toEqual([
        ...columns.map((column) => column.name),
        'dt',
      ]);
      expect(iceberg.PartitionSpec.Fields).toEqual([expect.objectContaining({ Name: 'dt', Transform: 'identity' })]);
    }
    expect(byName('dim_book')?.Properties.TableInput.StorageDescriptor).toMatchObject({
      Location: { 'Fn::Join': ['', expect.arrayContaining([`/${dimBookCurrentPrefix}/`])] },
      Columns: dimBookColumns.map((column) => ({ Name: column.name, Type: column.glue })),
    });
  });

  it('delivers the event stream to the lake through Firehose, one JSON per line, by arrival hour', () => {
    // Act
    const streams = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream')).map(
      (resource) =>
        (
          resource as {
            Properties: {
              DeliveryStreamType: string;
              ExtendedS3DestinationConfiguration: {
                Prefix: string;
                ErrorOutputPrefix: string;
                CompressionFormat: string;
                ProcessingConfiguration: unknown;
              };
            };
          }
        ).Properties,
    );

    // Assess
    expect(streams).toHaveLength(1);
    const [stream] = streams;
    expect(stream?.DeliveryStreamType).toBe('KinesisStreamAsSource');
    const s3 = stream!.ExtendedS3DestinationConfiguration;
    expect(s3.Prefix).toBe('raw/events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/');
    expect(s3.ErrorOutputPrefix).toMatch(/^raw\/errors\/events\//);
    expect(s3.CompressionFormat).toBe('UNCOMPRESSED');
    expect(JSON.stringify(s3.ProcessingConfiguration)).toContain('AppendDelimiterToRecord');
  });

  it('runs Athena in a workgroup that enforces encrypted results and a bytes-scanned limit', () => {
    // Act
    const [workGroup] = Object.values(template.findResources('AWS::Athena::WorkGroup'));

    // Assess
    expect(workGroup?.Properties.WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      BytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
    });
  });

  it('saves every named query with the SQL text that the local warehouse runs', () => {
    // Prepare
    const expected = athenaNamedQueries();

    // Act
    const saved = Object.values(template.findResources('AWS::Athena::NamedQuery')).map((query) => query.Properties);

    // Assess
    expect(saved.map((query) => query.Name).sort()).toEqual(expected.map((query) => query.name).sort());
    for (const query of expected) {
      expect(saved.find((candidate) => candidate.Name === query.name)?.QueryString).toBe(query.sql);
    }
  });

  it('builds the facts in order, each Athena step retried and its failure sent to the operators', () => {
    // Prepare
    const statements = athenaEtlStatements();
    const expectedPath = [
      ...etlSteps.flatMap((step) => [STATE_NAMES.etlClear(step.fact), STATE_NAMES.etlStep(step.fact)]),
      'Done',
    ];

    // Act
    const path = mainPath(etl);

    // Assess
    expect(path).toEqual(expectedPath);
    for (const statement of statements) {
      const build = etl.States[STATE_NAMES.etlStep(statement.fact)]!;
      expect(build.Resource).toMatch(/:states:::athena:startQueryExecution\.sync$/);
      expect(build.Parameters?.QueryString).toBe(statement.build);
      expect(etl.States[STATE_NAMES.etlClear(statement.fact)]?.Parameters?.QueryString).toBe(statement.clear);
    }
    for (const name of path.slice(0, -1)) {
      expect(etl.States[name]?.Retry?.[0]?.ErrorEquals).toContain('Athena.TooManyRequestsException');
      expect(etl.States[name]?.Catch).toEqual([expect.objectContaining({ Next: STATE_NAMES.notifyFailure })]);
    }
    expect(etl.States[STATE_NAMES.notifyFailure]?.Resource).toMatch(/:states:::sns:publish$/);
  });

  it('lets the ETL read the deletion log it applies, and the raw data, without writing them', () => {
    // Prepare
    const [machine] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).filter(([id]) =>
      new RegExp(`^${PIPELINE_IDS.etl}[0-9A-F]{8}$`).test(id),
    );
    const role = (machine![1].Properties.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

    // Act
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role))
      .flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
    const actionsOn = (prefix: string) =>
      statements.filter((statement) => JSON.stringify(statement.Resource).includes(`/${prefix}*`));

    // Assess
    for (const prefix of [`${rawTables.raw_deletions.prefix}/`, 'raw/events/', 'raw/recommendations/']) {
      expect(actionsOn(prefix).flatMap((statement) => [statement.Action].flat())).toEqual(['s3:GetObject']);
    }
  });

  it('retrains from the exports, warm-starts, and promotes only after the evaluation found the candidate better', () => {
    // Prepare
    const exports = trainingExportStatements().map((statement) => STATE_NAMES.export(statement.channel));

    // Act
    const path = mainPath(retrain);
    const better = retrain.States[STATE_NAMES.better]!;
    const warmStart = retrain.States['Warm start from current model']!;
    const train = retrain.States[STATE_NAMES.train]!;

    // Assess
    expect(path).toEqual([
      'Apply defaults',
      'Settings',
      ...exports,
      STATE_NAMES.readCurrentModel,
      'Is a model serving?',
      'Cold start',
      STATE_NAMES.train,
      STATE_NAMES.evaluate,
      STATE_NAMES.better,
      STATE_NAMES.notifyOutcome,
      'Done',
    ]);
    expect(warmStart.Next).toBe(STATE_NAMES.train);
    expect(JSON.stringify(warmStart.Parameters)).toContain('"ChannelName":"previous"');
    expect(train.Resource).toMatch(/:states:::sagemaker:createTrainingJob\.sync$/);
    expect(train.Parameters?.OutputDataConfig).toMatchObject({ CompressionType: 'NONE' });
    expect(JSON.stringify(train.Parameters)).not.toContain('holdout');
    expect(better.Choices).toEqual([
      expect.objectContaining({ Variable: '$.evaluation.better', BooleanEquals: true, Next: STATE_NAMES.promote }),
    ]);
    expect(retrain.States[STATE_NAMES.promote]?.Next).toBe(STATE_NAMES.notifyOutcome);
    const tasks = Object.entries(retrain.States).filter(
      ([name, state]) => state.Type === 'Task' && name !== STATE_NAMES.notifyFailure,
    );
    expect(tasks.filter(([, state]) => state.Catch?.[0]?.Next !== STATE_NAMES.notifyFailure)).toEqual([]);
  });

  it('logs every event with execution data and traces both machines with X-Ray', () => {
    // Act
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));

    // Assess
    expect(machines).toHaveLength(2);
    for (const machine of machines) {
      expect(machine.Properties).toMatchObject({
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
      });
    }
  });

  it('starts both machines on EventBridge Scheduler schedules', () => {
    // Act
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (schedule) => schedule.Properties,
    );

    // Assess
    expect(schedules.map((schedule) => schedule.ScheduleExpression).sort()).toEqual([
      'cron(30 3 * * ? *)',
      'rate(1 hour)',
    ]);
  });
});
