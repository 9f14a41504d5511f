/**
 * An `EventPublisher` that leaves out the events of readers who paused their history: they are answered as stored
 * (the client must not send them again) but never reach the stream, so neither the recommender nor the lake sees
 * them. Wraps the Kinesis publisher in the events API.
 */
import type { EventPublisher, PublishResult } from '../../recommendations/event-publisher';
import type { ReaderEvent } from '../../recommendations/domain/reader-event';
import type { ReaderDataStore } from '../ports';

export class PauseAwarePublisher implements EventPublisher {
  /** Events left out by the last calls (for the handler's metrics). */
  public notRecorded = 0;

  constructor(
    private readonly inner: EventPublisher,
    private readonly readerData: Pick<ReaderDataStore, 'pausedReaders'>,
  ) {}

  async publish(events: readonly ReaderEvent[]): Promise<PublishResult> {
    const paused = await this.readerData.pausedReaders(events.map((event) => event.readerId));
    const kept = events.filter((event) => !paused.has(event.readerId));
    this.notRecorded += events.length - kept.length;
    const published = kept.length > 0 ? await this.inner.publish(kept) : [];
    let next = 0;
    return events.map((event) => (paused.has(event.readerId) ? { status: 'stored' as const } : published[next++]!));
  }
}
