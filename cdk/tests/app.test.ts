import { Token, Validations, type App, type Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_REASON_LENGTH } from '../src/nag';
import { buildTestApp, specsWithTriggerProbe } from './support';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded in the construct tree (CDK's `Validations.acknowledge` metadata). */
function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** Synthesizes the app (running the registered cdk-nag plugin) and returns what is still reported. */
function synthesizeAndCheck(app: App) {
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations?: unknown[] }[];
  };
  return {
    reported: report.pluginReports.flatMap((plugin) => plugin.violations ?? []),
    // The same pack run directly, so that warnings are counted as well as errors.
    nag: new AwsSolutionsChecks().validateScope(app).violations,
  };
}

describe('Shelfwise app', () => {
  // The deployed specs plus a probe with every trigger and binding kind: a superset of what is deployed, so one
  // synthesis covers every construct the real app has (and those that s3/kinesis triggers add).
  const probed = buildTestApp({ functions: specsWithTriggerProbe });

  it('synthesizes with AwsSolutionsChecks and no unacknowledged error or warning', () => {
    // Prepare
    const { app } = probed;

    // Act
    const result = synthesizeAndCheck(app);

    // Assess
    expect(result.nag).toEqual([]);
    expect(result.reported).toEqual([]);
  });

  it('leaves no warning or error annotation on any stack', () => {
    // Prepare
    const stacks = [probed.stateful, probed.api, probed.web];

    // Act
    const findings = stacks.flatMap((stack) => [
      ...Annotations.fromStack(stack).findWarning('*', Match.anyValue()),
      ...Annotations.fromStack(stack).findError('*', Match.anyValue()),
    ]);

    // Assess
    expect(findings).toEqual([]);
  });

  it('gives every cdk-nag acknowledgement a specific reason', () => {
    // Prepare
    probed.app.synth();

    // Act
    const acknowledgements = acknowledgementsIn(probed.app).filter((ack) => ack.id.startsWith('AwsSolutions-'));

    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      expect(ack.reason.length, `${ack.id} on ${ack.path}`).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
      expect(ack.path, `${ack.id} is acknowledged on a whole stack`).toContain('/');
    }
  });

  it('acknowledges only findings that cdk-nag really reports (no stale acknowledgements)', () => {
    // Prepare
    const checks = new AwsSolutionsChecks();
    // The same pack, blind to acknowledgements: everything it would report without them.
    Object.assign(checks, { isAcknowledged: () => false });

    // Act
    const stale = [probed.app].flatMap((app) => {
      const findings = checks
        .validateScope(app)
        .violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
      return acknowledgementsIn(app)
        .filter((ack) => ack.id.startsWith('AwsSolutions-'))
        .filter(
          (ack) =>
            !findings.some(
              (finding) =>
                finding.id === ack.id && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)),
            ),
        )
        .map((ack) => `${ack.id} on ${ack.path}`);
    });

    // Assess
    expect(stale).toEqual([]);
  });

  it('keeps the stacks environment-agnostic and the stateful stack independent of the API', () => {
    // Prepare
    const { app, stateful, api, web } = probed;
    app.synth();

    // Act
    const apiDependencies = api.dependencies.map((stack: Stack) => stack.stackName);
    const webDependencies = web.dependencies.map((stack: Stack) => stack.stackName).sort();

    // Assess
    expect(Token.isUnresolved(stateful.account) && Token.isUnresolved(stateful.region)).toBe(true);
    expect(Token.isUnresolved(api.account) && Token.isUnresolved(api.region)).toBe(true);
    expect(apiDependencies).toEqual(['ShelfwiseStateful']);
    expect(Token.isUnresolved(web.account) && Token.isUnresolved(web.region)).toBe(true);
    expect(webDependencies).toEqual(['ShelfwiseApi', 'ShelfwiseStateful']);
    expect(stateful.dependencies).toEqual([]);
  });
});
