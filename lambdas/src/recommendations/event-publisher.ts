/**
 * The port through which accepted reader events leave the events API: the Kinesis adapter in AWS and on
 * `npm start`, an in-memory fake in unit tests.
 */
import type { ReaderEvent } from './domain/reader-event';

/** What became of one event handed to the publisher. */
export type EventPublication =
  | { readonly status: 'stored' }
  | {
      readonly status: 'failed';
      /** The store's own error code (e.g. `ProvisionedThroughputExceededException`); safe to show to the caller. */
      readonly errorCode: string;
      /** Whether sending the same event again later may succeed (throttling, a transient fault). */
      readonly retryable: boolean;
    };

/** One publication per event, in the order the events were given. */
export type PublishResult = readonly EventPublication[];

export interface EventPublisher {
  /**
   * Stores the events. Failures of single events are reported in the result, not thrown; it throws only when the
   * store cannot be used at all (misconfiguration, missing permission), which is a server error.
   */
  publish(events: readonly ReaderEvent[]): Promise<PublishResult>;
}
