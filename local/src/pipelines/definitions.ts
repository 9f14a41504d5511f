/**
 * The state machines as the CDK app synthesises them, made runnable on this machine: each `DefinitionString` (an
 * `Fn::Join` of text and CloudFormation tokens) resolved to plain ASL with local values — pseudo parameters to a
 * local account and region, the stateful stack's buckets and tables (through their `Fn::ImportValue` exports) to
 * the local emulators' names, the pipelines' functions to local function ARNs that name their `FunctionSpec`.
 *
 * The templates come from the in-process CDK app (`synthesizedTemplates()`, bundling off) or from the folder that
 * `cdk synth` wrote (`templatesFromFolder('cdk.out')`).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createShelfwiseApp } from '../../../cdk/src/app';
import { PIPELINE_IDS, type PipelineName } from '../../../cdk/src/pipelines-stack';
import { PINNED_LOGICAL_IDS } from '../../../cdk/src/stateful-stack';
import { pipelineFunctions, type FunctionSpec } from '@shelfwise/lambdas/functions';
import { buckets, tables, type BucketName, type TableName } from '@shelfwise/lambdas/shared/infrastructure';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const localAccount = '000000000000';
export const localPartition = 'aws';

/** A CloudFormation template, as far as this module reads it. */
export interface CfnTemplate {
  readonly Parameters?: Record<string, unknown>;
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

/** Templates by stack name (`ShelfwiseStateful`, `ShelfwiseApi`, `ShelfwisePipelines`). */
export type Templates = Readonly<Record<string, CfnTemplate>>;

export const pipelinesStackName = 'ShelfwisePipelines';

/** Synthesises the CDK app in this process (bundling off, as the CDK tests do) and returns its templates. */
export function synthesizedTemplates(): Templates {
  const cdkJson = JSON.parse(readFileSync(path.join(repositoryRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const { app } = createShelfwiseApp({
    appProps: { context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } },
  });
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, stack.template as CfnTemplate]));
}

/** The templates `cdk synth` wrote (`<folder>/<stack>.template.json`). */
export async function templatesFromFolder(folder: string): Promise<Templates> {
  const names = ['ShelfwiseStateful', 'ShelfwiseApi', pipelinesStackName];
  const entries = await Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(folder, `${name}.template.json`), 'utf8');
      return [name, JSON.parse(text) as CfnTemplate] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export interface LocalValues {
  readonly region: string;
  /** Values of the pipelines stack's parameters (e.g. TrainingImageUri). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** A state machine definition in the Amazon States Language, resolved. */
export interface ResolvedDefinition {
  readonly StartAt: string;
  readonly States: Record<string, Record<string, unknown>>;
  readonly TimeoutSeconds?: number;
}

export interface LocalPipeline {
  readonly definition: ResolvedDefinition;
  /** The Lambda functions its Task states invoke, by the function ARN the definition names. */
  readonly functions: ReadonlyMap<string, FunctionSpec>;
}

/** True when `logicalId` is construct id `id` at the top of a stack (the id itself, or the id and CDK's hash). */
function isConstruct(logicalId: string, id: string): boolean {
  return logicalId === id || new RegExp(`^${id}[0-9A-F]{8}$`).test(logicalId);
}

function keyOf<K extends string>(ids: Readonly<Record<K, string>>, logicalId: string): K | undefined {
  return (Object.keys(ids) as K[]).find((key) => isConstruct(logicalId, ids[key]));
}

class Resolver {
  constructor(
    private readonly templates: Templates,
    private readonly values: LocalValues,
  ) {}

  functionArn(logicalId: string): string {
    return `arn:${localPartition}:lambda:${this.values.region}:${localAccount}:function:${logicalId}`;
  }

  resolve(value: unknown, stack: string): string {
    if (typeof value === 'string') return value;
    if (value === null || typeof value !== 'object') throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
    const node = value as Record<string, unknown>;
    if ('Fn::Join' in node) {
      const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => this.resolve(part, stack)).join(delimiter);
    }
    if ('Ref' in node) return this.ref(String(node.Ref), stack);
    if ('Fn::GetAtt' in node) {
      const [logicalId, attribute] = node['Fn::GetAtt'] as [string, string];
      return this.attribute(logicalId, attribute, stack);
    }
    if ('Fn::ImportValue' in node) {
      const name = this.resolve(node['Fn::ImportValue'], stack);
      for (const [producer, template] of Object.entries(this.templates)) {
        const output = Object.values(template.Outputs ?? {}).find((candidate) => candidate.Export?.Name === name);
        if (output) return this.resolve(output.Value, producer);
      }
      throw new Error(`No stack exports ${name}`);
    }
    throw new Error(`Cannot resolve ${JSON.stringify(value)} locally`);
  }

  private ref(name: string, stack: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': localPartition,
      'AWS::Region': this.values.region,
      'AWS::AccountId': localAccount,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack,
    };
    if (pseudo[name] !== undefined) return pseudo[name];
    const template = this.templates[stack];
    if (template?.Parameters?.[name] !== undefined) {
      const parameter = this.values.parameters[name];
      if (parameter === undefined) throw new Error(`No local value for the parameter ${name} of ${stack}`);
      return parameter;
    }
    const resource = template?.Resources[name];
    if (!resource) throw new Error(`${stack} has no resource ${name}`);
    switch (resource.Type) {
      case 'AWS::S3::Bucket': {
        const bucket = keyOf<BucketName>(PINNED_LOGICAL_IDS.buckets, name);
        if (!bucket) throw new Error(`The bucket ${name} has no local counterpart`);
        return buckets[bucket].localName;
      }
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const table = keyOf<TableName>(PINNED_LOGICAL_IDS.tables, name);
        if (!table) throw new Error(`The table ${name} has no local counterpart`);
        return tables[table].localName;
      }
      case 'AWS::SNS::Topic':
        return `arn:${localPartition}:sns:${this.values.region}:${localAccount}:${name}`;
      default:
        return name;
    }
  }

  private attribute(logicalId: string, attribute: string, stack: string): string {
    const resource = this.templates[stack]?.Resources[logicalId];
    if (!resource) throw new Error(`${stack} has no resource ${logicalId}`);
    if (attribute !== 'Arn') return `${logicalId}.${attribute}`;
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        return this.functionArn(logicalId);
      case 'AWS::IAM::Role':
        return `arn:${localPartition}:iam::${localAccount}:role/${logicalId}`;
      case 'AWS::S3::Bucket':
        return `arn:${localPartition}:s3:::${this.ref(logicalId, stack)}`;
      default:
        return `arn:${localPartition}:${resource.Type.split('::')[1]?.toLowerCase()}:${this.values.region}:${localAccount}:${logicalId}`;
    }
  }
}

/** The pipeline's state machine from the templates, resolved, with the functions its tasks invoke. */
export function localPipeline(templates: Templates, name: PipelineName, values: LocalValues): LocalPipeline {
  const template = templates[pipelinesStackName];
  if (!template) throw new Error(`No ${pipelinesStackName} template`);
  const resolver = new Resolver(templates, values);
  const machine = Object.entries(template.Resources).find(
    ([logicalId, resource]) =>
      resource.Type === 'AWS::StepFunctions::StateMachine' && isConstruct(logicalId, PIPELINE_IDS[name]),
  );
  if (!machine) throw new Error(`${pipelinesStackName} has no state machine ${PIPELINE_IDS[name]}`);
  const text = resolver.resolve(machine[1].Properties?.DefinitionString, pipelinesStackName);
  const functions = new Map<string, FunctionSpec>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const spec = pipelineFunctions.find((candidate) => isConstruct(logicalId, candidate.id));
    if (spec) functions.set(resolver.functionArn(logicalId), spec);
  }
  return { definition: JSON.parse(text) as ResolvedDefinition, functions };
}
