/**
 * Section 3 of the recommendations benchmark: click to fresh recommendations on the local runtime, through the real
 * path: `POST /api/events` (the events API puts the event on the local Kinesis stream), the local Kinesis poller
 * (which sleeps `idleDelayMs`, 200 ms by default, after an empty GetRecords), the Recommender, then
 * `GET /api/readers/{id}/recommendations` polled every `pollMs` until the list's recommendationId changes.
 *
 * The floor, measured in the same run: one `POST /api/events` round trip, one Recommender invocation for a
 * one-event batch (direct), one `GET` round trip, plus the poller's idle wait (on average half its idle delay, at
 * most all of it) and the polling interval's resolution (on average half of it).
 */
import type { ReaderEvent } from '@shelfwise/lambdas/recommendations/domain/reader-event';
import { benchReaderId, type BenchStack, type EventGenerator } from './recs-stack';
import { distribution, ms, timeCalls, verdict, type GoalFigure, type SectionResult } from './recs-stats';

export interface LatencyOptions {
  readonly samples: number;
  /** Readers that already have a list (from the throughput section). */
  readonly readers: number;
  readonly pollMs: number;
  readonly log: (message: string) => void;
}

/** The goal. */
const goalP95Ms = 1_000;
/** `KinesisPoller`'s default idle delay (local/src/event-sources/kinesis-poller.ts); the runtime uses the default. */
const pollerIdleDelayMs = 200;

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export async function benchLatency(
  stack: BenchStack,
  generator: EventGenerator,
  options: LatencyOptions,
): Promise<SectionResult> {
  const api = stack.runtime.apiUrl;
  const listId = async (readerId: string): Promise<string> => {
    const response = await fetch(`${api}/readers/${readerId}/recommendations`);
    if (response.status !== 200) throw new Error(`GET recommendations answered ${response.status}`);
    return ((await response.json()) as { recommendationId: string }).recommendationId;
  };
  const post = async (event: ReaderEvent) => {
    const response = await fetch(`${api}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [event] }),
    });
    const body = (await response.json()) as { rejected?: unknown[] };
    if (response.status >= 300 || (body.rejected?.length ?? 0) > 0) {
      throw new Error(`POST /events answered ${response.status}: ${JSON.stringify(body)}`);
    }
  };

  // Every sampled reader gets a stored list first (a reader without one is answered a list made on the spot, with a
  // new id on every read).
  const sampled = Array.from({ length: Math.min(options.samples, options.readers) }, (_, i) =>
    benchReaderId('reader', i),
  );
  for (let start = 0; start < sampled.length; start += 100) {
    await stack.invokeRecommender(sampled.slice(start, start + 100).map((id) => generator.event(id, 'open')));
  }
  options.log(`click-to-fresh: ${options.samples} samples`);
  const samples: number[] = [];
  let timedOut = 0;
  for (let i = 0; i < options.samples; i++) {
    const readerId = benchReaderId('reader', i % options.readers);
    const before = await listId(readerId);
    const started = performance.now();
    await post(generator.event(readerId, 'open'));
    for (;;) {
      if ((await listId(readerId)) !== before) {
        samples.push(performance.now() - started);
        break;
      }
      if (performance.now() - started > 30_000) {
        timedOut++;
        break;
      }
      await sleep(options.pollMs);
    }
    // Out of step with the poller's idle loop, as real clicks are.
    await sleep(Math.random() * 100);
  }
  const latency = distribution(samples);

  options.log('floor: bare POST, one-event Recommender batch, bare GET');
  // Events for readers outside the stream's readers, so the floor's invocations do not touch the measured lists.
  const postMs = distribution(await timeCalls(50, 5, () => post(generator.event(benchReaderId('floor', 0), 'view'))));
  await sleep(1_000); // let the poller take those events before the next measures
  const handlerMs = distribution(
    await timeCalls(50, 5, (i) =>
      stack.invokeRecommender([generator.event(benchReaderId('reader', i % options.readers), 'open')]),
    ),
  );
  const getMs = distribution(await timeCalls(50, 5, (i) => listId(benchReaderId('reader', i % options.readers))));
  const floorP50 = postMs.p50 + pollerIdleDelayMs / 2 + handlerMs.p50 + getMs.p50 + options.pollMs / 2;
  const floorMax = postMs.p50 + pollerIdleDelayMs + handlerMs.p50 + getMs.p50 + options.pollMs;

  const met = latency.p95 <= goalP95Ms && timedOut === 0;
  const goals: GoalFigure[] = [
    {
      figure: 'Click to fresh recommendations on the local runtime: p95',
      value: `${ms(latency.p95)} ms (p50 ${ms(latency.p50)})`,
      floor: `p50 ${ms(floorP50)} ms with mean waits, ${ms(floorMax)} ms with the longest`,
      ratio: `p50 ${(latency.p50 / floorP50).toFixed(2)}×`,
      goal: `p95 ≤ ${goalP95Ms.toLocaleString('en')} ms`,
      met,
    },
  ];
  const lines = [
    '## 3. Click to fresh recommendations on the local runtime',
    '',
    `${samples.length} samples (${timedOut} timed out after 30 s): POST /api/events with one "open" event of a ` +
      `reader who already has a list, then GET /api/readers/{id}/recommendations every ${options.pollMs} ms until ` +
      "its recommendationId changes. Real path: events API → local Kinesis → the local event source's poller → " +
      'Recommender → DynamoDB → recommendations API, all in one process. The poller sleeps ' +
      `${pollerIdleDelayMs} ms after an empty GetRecords (\`idleDelayMs\`, unchanged), so an event waits ` +
      `0–${pollerIdleDelayMs} ms before it is read; that wait is part of the floor.`,
    '',
    '| measure | p50 (ms) | p95 (ms) | p99 (ms) | goal |',
    '|---|---|---|---|---|',
    `| click → fresh list | ${ms(latency.p50)} | ${ms(latency.p95)} | ${ms(latency.p99)} | ` +
      `p95 ≤ ${goalP95Ms} ms: ${verdict(met)} |`,
    `| floor part: POST /api/events round trip | ${ms(postMs.p50)} | ${ms(postMs.p95)} | ${ms(postMs.p99)} | |`,
    `| floor part: Recommender, one-event batch | ${ms(handlerMs.p50)} | ${ms(handlerMs.p95)} | ${ms(handlerMs.p99)} | |`,
    `| floor part: GET recommendations round trip | ${ms(getMs.p50)} | ${ms(getMs.p95)} | ${ms(getMs.p99)} | |`,
    `| floor part: poller idle wait (mean / max) | ${pollerIdleDelayMs / 2} | | ${pollerIdleDelayMs} | |`,
    `| floor part: polling resolution (mean / max) | ${options.pollMs / 2} | | ${options.pollMs} | |`,
    `| floor (sum; p50 column: mean waits, p99 column: max waits) | ${ms(floorP50)} | | ${ms(floorMax)} | |`,
    `| click → fresh ÷ floor | ${(latency.p50 / floorP50).toFixed(2)}× | | ${(latency.p99 / floorMax).toFixed(2)}× | |`,
    '',
    `The largest part of the floor is the local poller's idle wait (${pollerIdleDelayMs / 2} ms on average): an ` +
      'event source detail of `npm start` (by AWS documentation, the Lambda service polls a shard about once a second; ' +
      'with enhanced fan-out records arrive in about 70 ms).',
  ];
  return { lines, goals };
}
