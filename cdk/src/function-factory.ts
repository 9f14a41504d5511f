/**
 * Builds a `ShelfwiseFunction` from a `FunctionSpec` (lambdas/src/functions.ts) and binds exactly the access the
 * spec lists under `uses`. Triggers are wired by the stack that owns them (see api-stack.ts).
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { resolve } from 'node:path';
import type { Access, FunctionSpec } from '../../lambdas/src/functions';
import type { BucketName, StreamName, TableName } from '../../lambdas/src/shared/infrastructure';
import { ShelfwiseFunction, type DatabaseAccess } from './constructs/shelfwise-function';
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

/** Entries of a partial record, typed by its keys. */
function entriesOf<K extends string>(record: Partial<Record<K, Access>> | undefined): [K, Access][] {
  return Object.entries(record ?? {}) as [K, Access][];
}

export function createShelfwiseFunction(
  scope: Construct,
  spec: FunctionSpec,
  resources: BindableResources,
): ShelfwiseFunction {
  const inVpc = spec.uses.database === true;
  const fn = new ShelfwiseFunction(scope, spec.id, {
    entry: resolve(lambdasRoot, spec.entry),
    description: spec.description,
    memorySize: spec.memoryMb,
    timeout: Duration.seconds(spec.timeoutSeconds),
    vpc: inVpc ? resources.vpc : undefined,
    vpcSubnets: inVpc ? resources.functionSubnets : undefined,
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
  return fn;
}
