/**
 * cdk-nag acknowledgements, in one shape.
 *
 * cdk-nag 3 reads acknowledgements from CDK's own `Validations.of(scope).acknowledge()` metadata (the v2
 * `NagSuppressions` API is gone). Every acknowledgement in this app goes through `acknowledge()` so that it always
 * names the rule, sits on the narrowest construct that needs it, and carries a reason a reviewer can check
 * (the tests read them all back and reject short reasons).
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The shortest reason an acknowledgement may carry (checked by tests/nag.test.ts). */
export const MIN_REASON_LENGTH = 40;

/** Acknowledges one cdk-nag finding on `scope` (and the resources below it) with a reason. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(`The acknowledgement of ${id} on ${scope.node.path} needs a reason of ${MIN_REASON_LENGTH}+ chars`);
  }
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Flattens a resolved CloudFormation value the way cdk-nag's IAM5 rule does (`utils/flatten-cfn-reference` in
 * cdk-nag 3, which the package does not export), so that an IAM5 finding on a resource ARN can be acknowledged
 * by its exact id. If cdk-nag changes its format the app's nag test fails, which is the point.
 */
export function flattenCfnReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (node['Fn::Join']) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenCfnReference).join(delimiter);
    }
    if (node['Fn::Sub']) return flattenCfnReference(node['Fn::Sub']);
    if (node['Fn::GetAtt']) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
    }
    if (node['Fn::ImportValue']) return flattenCfnReference(node['Fn::ImportValue']);
    if (node['Ref']) return `<${flattenCfnReference(node['Ref'])}>`;
  }
  return JSON.stringify(value);
}
