/**
 * Helpers shared by the CDK tests: the app as the CLI builds it (context from cdk.json) but without bundling, and
 * a function spec that exercises every trigger kind and every kind of binding.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { functions, type FunctionSpec } from '../../lambdas/src/functions';
import { createShelfwiseApp, type ShelfwiseApp, type ShelfwiseAppOptions } from '../src/app';
import { repositoryRoot } from '../src/paths';

/** The feature flags and settings of cdk.json, which the CLI passes to the app. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(resolve(repositoryRoot, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** A stand-in for `web/dist` (an index.html and one hashed chunk), so tests need no web build. */
export const webDistFixture = resolve(repositoryRoot, 'cdk/tests/fixtures/web-dist');

/** Builds the Shelfwise app with bundling switched off (`aws:cdk:bundling-stacks: []`) for fast template tests. */
export function buildTestApp(
  options: Omit<ShelfwiseAppOptions, 'appProps'> & { context?: Record<string, unknown> } = {},
): ShelfwiseApp {
  const context = { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...options.context };
  // Without bundling no test reads a staged asset, so assets stay where they are instead of being copied into each
  // app's cloud assembly (the web stack's BucketDeployment brings a 21 MB AWS CLI layer).
  const bundling = (context['aws:cdk:bundling-stacks'] as unknown[]).length > 0;
  return createShelfwiseApp({
    webDist: webDistFixture,
    ...options,
    appProps: { context: { 'aws:cdk:disable-asset-staging': !bundling, ...context } },
  });
}

/** A function with a Kinesis trigger, two S3 triggers and every binding kind (not a real Shelfwise function). */
export const triggerProbeSpec = {
  id: 'TriggerProbe',
  description: 'Test-only function with every trigger kind',
  entry: resolve(repositoryRoot, 'cdk/tests/fixtures/noop-handler.ts'),
  memoryMb: 256,
  timeoutSeconds: 30,
  uses: {
    buckets: { ingest: 'read', lake: 'readWrite' },
    tables: { readers: 'write', conversations: 'read' },
    streams: { readerEvents: 'read' },
  },
  triggers: [
    { kind: 'kinesis', stream: 'readerEvents', batchSize: 100 },
    { kind: 's3', bucket: 'ingest', prefix: 'calibre/' },
    { kind: 's3', bucket: 'ingest', prefix: 'exports/' },
  ],
} as const satisfies FunctionSpec;

/** The real function specs plus the trigger probe. */
export const specsWithTriggerProbe: readonly FunctionSpec[] = [...functions, triggerProbeSpec];
