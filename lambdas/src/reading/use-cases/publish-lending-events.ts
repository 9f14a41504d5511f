/**
 * Puts lending events on the reader-events stream after the transaction that made them has committed. The loan or
 * hold stands whatever happens here: a failure is logged and counted, never turned into an error for the reader
 * (the event ids are stable, so a later re-publication would not double-count).
 */
import type { ReaderEvent } from '../../recommendations/domain/reader-event';
import type { EventPublisher } from '../../recommendations/event-publisher';
import { logger, metrics } from '../../shared/observability';

export async function publishLendingEvents(publisher: EventPublisher, events: readonly ReaderEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    const results = await publisher.publish(events);
    const failed = results.filter((result) => result.status === 'failed').length;
    if (failed > 0) {
      logger.warn('Lending events not stored', { failed, types: events.map((event) => event.type) });
      metrics.addMetric('lending_events_not_stored', 'Count', failed);
    }
  } catch (error) {
    logger.warn('Lending events not published', { error: (error as Error).message, count: events.length });
    metrics.addMetric('lending_events_not_stored', 'Count', events.length);
  }
}
