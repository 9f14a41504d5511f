/**
 * Functions for the runtime tests: real handlers (they run in the runtime exactly as deployed ones do) that record
 * what they receive, bound to the same kinds of triggers the product's consumers use.
 */
import type { FunctionSpec } from '@shelfwise/lambdas/functions';
import type { KinesisStreamEvent } from 'aws-lambda';
import type { LambdaHandler, LocalFunction } from '../../src/lambda/functions';

export function recordingFunction(
  spec: Omit<FunctionSpec, 'entry' | 'memoryMb' | 'timeoutSeconds' | 'uses' | 'description'>,
  respond?: LambdaHandler,
) {
  const received: unknown[] = [];
  const fn: LocalFunction = {
    spec: { ...spec, description: 'test', entry: '(in test)', memoryMb: 128, timeoutSeconds: 5, uses: {} },
    load: async () => async (event, context) => {
      received.push(event);
      return respond ? respond(event, context) : undefined;
    },
  };
  return { fn, received };
}

/** Reports every record whose data is "poison" as failed, as a consumer with reportBatchItemFailures does. */
export const failPoisonRecords: LambdaHandler = async (event: KinesisStreamEvent) => ({
  batchItemFailures: event.Records.filter(
    (record) => Buffer.from(record.kinesis.data, 'base64').toString() === 'poison',
  ).map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })),
});
