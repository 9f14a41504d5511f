/**
 * Runs one of the pipelines' synthesised state machines on this machine with aws-local-stepfunctions, every Task
 * state replaced by its local implementation (local-tasks.ts). The definition is the CDK app's, resolved
 * (definitions.ts): the same states, order, Choices, Catches and Retries as in AWS; retry intervals are shortened
 * to nothing, as a local task fails for good or not at all.
 */
import { randomUUID } from 'node:crypto';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { PIPELINE_IDS, type PipelineName } from '../../../cdk/src/pipelines-stack';
import { localAccount, localPipeline, type Templates } from './definitions';
import { LocalTasks, type Json, type Notification } from './local-tasks';

// aws-local-stepfunctions 3 targets Node 22 and calls Promise.withResolvers, which Node 20 lacks.
const promise = Promise as unknown as { withResolvers?: unknown };
promise.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const created = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise: created, resolve, reject };
};

export interface RunPipelineOptions {
  readonly templates: Templates;
  /** The data folder whose lake, warehouse and pipeline files are used. */
  readonly dataDir: string;
  /** Endpoints, credentials, region and resource names (the local runtime's handler environment). */
  readonly environment: Readonly<Record<string, string>>;
  /** The execution's input (retrain: `{ margin, hyperparameters }`). */
  readonly input?: Json;
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface PipelineRun {
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** The names of the states entered, in order. */
  readonly states: readonly string[];
  readonly output?: Json;
  readonly error?: { readonly name: string; readonly message: string };
  readonly notifications: readonly Notification[];
}

export async function runPipeline(name: PipelineName, options: RunPipelineOptions): Promise<PipelineRun> {
  const log = options.log ?? (() => undefined);
  const region = options.environment.AWS_REGION ?? 'us-east-1';
  const { definition, functions } = localPipeline(options.templates, name, {
    region,
    parameters: { TrainingImageUri: `${localAccount}.dkr.ecr.${region}.amazonaws.com/shelfwise-training:local` },
  });
  // The task functions read their configuration from the environment when their module is first imported.
  Object.assign(process.env, options.environment);
  const tasks = new LocalTasks({ dataDir: options.dataDir, environment: options.environment, functions, log });

  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  const retryIntervals: Record<string, number> = {};
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (Array.isArray(state.Retry)) retryIntervals[stateName] = 0;
    if (state.Type !== 'Task') continue;
    const handler = tasks.handlerFor(String(state.Resource));
    if (!handler) throw new Error(`No local implementation of ${String(state.Resource)} (state "${stateName}")`);
    handlers[stateName] = handler;
  }

  const machine = new StateMachine(definition as unknown as StateMachineDefinition);
  const executionName = randomUUID();
  const execution = machine.run(options.input ?? {}, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryIntervals },
    context: {
      Execution: {
        Id: `arn:aws:states:${region}:${localAccount}:execution:${PIPELINE_IDS[name]}:${executionName}`,
        Name: executionName,
        StartTime: new Date().toISOString(),
        Input: options.input ?? {},
      },
    },
  });
  const states: string[] = [];
  const watching = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') {
        states.push(event.state.name);
        log(`→ ${event.state.name}`);
      } else if (event.type === 'StateFailed') {
        log(`✗ ${event.state.name}`, { error: event.Error, cause: String(event.Cause) });
      }
    }
  })();
  try {
    const output = (await execution.result) as Json;
    await watching;
    return { status: 'SUCCEEDED', states, output, notifications: tasks.notifications };
  } catch (error) {
    await watching.catch(() => undefined);
    if (!(error instanceof ExecutionError)) throw error;
    const cause = error.cause as Error | undefined;
    return {
      status: 'FAILED',
      states,
      error: { name: cause?.name ?? error.name, message: cause?.message ?? error.message },
      notifications: tasks.notifications,
    };
  } finally {
    await tasks.close();
  }
}
