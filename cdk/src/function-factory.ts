/**
 * Builds a `ShelfwiseFunction` from a `FunctionSpec` (lambdas/src/functions.ts) and binds exactly the access the
 * spec lists under `uses`; its `assetFiles` are resolved here and copied beside the bundle, its `nativeModules`
 * shipped in the bundle's node_modules/ (see native-modules.ts) and its `environment` set. Triggers are wired by the
 * stack that owns them (see api-stack.ts); those that need alarms get them on `options.alarmTopic`.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Access, FunctionSpec } from '../../lambdas/src/functions';
import type { BucketName, StreamName, TableName } from '../../lambdas/src/shared/infrastructure';
import { ShelfwiseFunction, type BedrockModels, type DatabaseAccess } from './constructs/shelfwise-function';
import { lambdasRoot } from './paths';

/** The stateful resources a function can be bound to (ShelfwiseStatefulStack provides them). */
export interface BindableResources {
  readonly vpc: ec2.IVpc;
  /** Where VPC functions run. */
  readonly functionSubnets: ec2.SubnetSelection;
  readonly database: DatabaseAccess;
  readonly buckets: Readonly<Record<BucketName, s3.IBucket>>;
  readonly tables: Readonly<Record<TableName, dynamodb.ITable>>;
  readonly streams: Readonly<Record<StreamName, kinesis.IStream>>;
}

export interface FunctionFactoryOptions {
  /** The operators' topic, for the alarms of S3 and Kinesis triggers. @default - no such triggers possible */
  readonly alarmTopic?: sns.ITopic;
  /** The Bedrock models of functions whose spec `uses.bedrock`. @default - such a spec is refused */
  readonly bedrock?: BedrockModels;
}

/**
 * The absolute path of a `FunctionSpec.assetFiles` entry: a package path resolved as `lambdas/` code would import
 * it (so npm's hoisting does not matter). Throws, naming the function, when the package is not installed.
 */
export function resolveAssetFile(spec: Pick<FunctionSpec, 'id'>, packagePath: string): string {
  try {
    return createRequire(resolve(lambdasRoot, 'package.json')).resolve(packagePath);
  } catch (error) {
    throw new Error(`${spec.id}: asset file ${packagePath} cannot be resolved from lambdas/ (is it installed?)`, {
      cause: error,
    });
  }
}

/** Entries of a partial record, typed by its keys. */
function entriesOf<K extends string>(record: Partial<Record<K, Access>> | undefined): [K, Access][] {
  return Object.entries(record ?? {}) as [K, Access][];
}

export function createShelfwiseFunction(
  scope: Construct,
  spec: FunctionSpec,
  resources: BindableResources,
  options: FunctionFactoryOptions = {},
): ShelfwiseFunction {
  const inVpc = spec.uses.database === true;
  const fn = new ShelfwiseFunction(scope, spec.id, {
    entry: resolve(lambdasRoot, spec.entry),
    description: spec.description,
    memorySize: spec.memoryMb,
    timeout: Duration.seconds(spec.timeoutSeconds),
    vpc: inVpc ? resources.vpc : undefined,
    vpcSubnets: inVpc ? resources.functionSubnets : undefined,
    assetFiles: spec.assetFiles?.map((file) => resolveAssetFile(spec, file)),
    nativeModules: spec.nativeModules,
    environment: spec.environment,
    alarmTopic: options.alarmTopic,
  });
  if (inVpc) fn.bindDatabase(resources.database);
  for (const [name, access] of entriesOf<BucketName>(spec.uses.buckets)) {
    fn.bindBucket(name, resources.buckets[name], access);
  }
  for (const [name, access] of entriesOf<TableName>(spec.uses.tables)) {
    fn.bindTable(name, resources.tables[name], access);
  }
  for (const [name, access] of entriesOf<StreamName>(spec.uses.streams)) {
    fn.bindStream(name, resources.streams[name], access);
  }
  if (spec.uses.bedrock) {
    if (!options.bedrock) throw new Error(`${spec.id} uses Bedrock: pass the models (options.bedrock)`);
    fn.bindBedrock(options.bedrock, spec.uses.bedrock);
  }
  return fn;
}
