/**
 * The functions `npm start` runs: the same specs the CDK app deploys (lambdas/src/functions.ts), with their handler
 * modules imported in this process and invoked with a Lambda context, as the Lambda service would.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { functions, type FunctionSpec } from '@shelfwise/lambdas/functions';

// The handlers are invoked with many event shapes; each trigger's caller knows its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LambdaHandler = (event: any, context: Context) => Promise<unknown>;

export interface LocalFunction {
  readonly spec: FunctionSpec;
  /** Imports the handler module (once) and returns its `handler`. */
  readonly load: () => Promise<LambdaHandler>;
}

const lambdasRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../lambdas');

export class FunctionTimeoutError extends Error {
  constructor(functionId: string, seconds: number) {
    super(`Function ${functionId} timed out after ${seconds} s`);
    this.name = 'FunctionTimeoutError';
  }
}

/** A local function whose handler is the module named by `spec.entry`, exactly as CDK bundles it. */
export function fromSpec(spec: FunctionSpec): LocalFunction {
  let loaded: Promise<LambdaHandler> | undefined;
  return {
    spec,
    load: () => {
      loaded ??= import(path.join(lambdasRoot, spec.entry)).then((module: { handler?: LambdaHandler }) => {
        if (typeof module.handler !== 'function') {
          throw new Error(`${spec.entry} does not export a function named "handler"`);
        }
        return module.handler;
      });
      return loaded;
    },
  };
}

export function deployedFunctions(): LocalFunction[] {
  return functions.map(fromSpec);
}

function lambdaContext(spec: FunctionSpec, region: string): Context {
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const name = `shelfwise-local-${spec.id}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${name}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/${new Date().toISOString().slice(0, 10)}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Invokes the function once, with its configured timeout, as the Lambda service would. */
export async function invoke(fn: LocalFunction, event: unknown, region: string): Promise<unknown> {
  const handler = await fn.load();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeoutError(fn.spec.id, fn.spec.timeoutSeconds)),
      fn.spec.timeoutSeconds * 1000,
    );
  });
  try {
    return await Promise.race([handler(event, lambdaContext(fn.spec, region)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
