/**
 * Real-time recommendations benchmark: `npm run bench:recs [-- --only inference|throughput|latency] [--calls N]
 * [--batch-calls N] [--events N] [--samples N]`. Prints the machine, then
 *   1. policy inference on one thread (10,000- and 100,000-book models exported by training's code), bare
 *      `session.run` vs `policy.recommend`, batch 1 and batch 100 (`recs-inference.ts`);
 *   2. the Recommender handler's throughput on the local stack vs the bare emulator round trips
 *      (`recs-throughput.ts`);
 *   3. click to fresh recommendations through the local runtime's real Kinesis path (`recs-latency.ts`);
 * each figure with the goal, met or not. The output is also written to bench/RECS-RESULTS.md.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchInference } from './recs-inference';
import { benchLatency } from './recs-latency';
import { EventGenerator, startBenchStack } from './recs-stack';
import { loadAverage, machine, verdict, type GoalFigure, type SectionResult } from './recs-stats';
import { benchThroughput } from './recs-throughput';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '../..');

const log = (message: string) => process.stderr.write(`[bench:recs] ${message}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      calls: { type: 'string', default: '2000' },
      'batch-calls': { type: 'string', default: '200' },
      events: { type: 'string', default: '20000' },
      samples: { type: 'string', default: '120' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Usage: npm run bench:recs -- [--only inference|throughput|latency] [--calls N] [--batch-calls N] [--events N] [--samples N]

  --only         one section (default: all three)
  --calls        timed inference calls per row at batch 1 (default 2000, after 200 warm-up calls)
  --batch-calls  timed inference calls per row at batch 100 (default 200, after 20 warm-up calls)
  --events       events through the Recommender handler (default 20000, in batches of 100)
  --samples      click-to-fresh samples (default 120)`);
    process.exit(0);
  }
  const sections = ['inference', 'throughput', 'latency'];
  if (values.only !== undefined && !sections.includes(values.only)) throw new Error(`Unknown --only ${values.only}`);
  const count = (name: string, value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer`);
    return parsed;
  };
  return {
    sections: values.only === undefined ? sections : [values.only],
    calls: count('calls', values.calls),
    batchCalls: count('batch-calls', values['batch-calls']),
    events: count('events', values.events),
    samples: count('samples', values.samples),
  };
}

async function main(): Promise<void> {
  const settings = options();
  const lines = ['# Shelfwise recommendations benchmark (`npm run bench:recs`)', '', ...machine(repoRoot), ''];
  const goals: GoalFigure[] = [];
  const print = (section: string[] | SectionResult) => {
    const text = Array.isArray(section) ? section : section.lines;
    if (!Array.isArray(section)) goals.push(...section.goals);
    console.log(text.join('\n'));
    console.log('');
    lines.push(...text, '');
  };
  console.log(lines.join('\n'));

  if (settings.sections.includes('inference')) {
    print(
      await benchInference({
        sizes: [10_000, 100_000],
        calls: settings.calls,
        batchCalls: settings.batchCalls,
        warmUp: 200,
        newBooks: 1_000,
        listSize: 20,
        log,
      }),
    );
  }
  if (settings.sections.includes('throughput') || settings.sections.includes('latency')) {
    const stack = await startBenchStack(log);
    try {
      const generator = new EventGenerator(stack.bookIds);
      const readers = 2_000;
      if (settings.sections.includes('throughput')) {
        print(
          await benchThroughput(stack, generator, {
            events: settings.events,
            batchSize: 100,
            readers,
            warmUpBatches: 5,
            profileBatches: 10,
            log,
          }),
        );
      } else {
        log('giving readers a history and a list first (section 2 skipped)');
        for (let i = 0; i < 20; i++) {
          await stack.invokeRecommender(generator.batch(100, 200));
        }
      }
      if (settings.sections.includes('latency')) {
        print(
          await benchLatency(stack, generator, {
            samples: settings.samples,
            readers: settings.sections.includes('throughput') ? readers : 200,
            pollMs: 10,
            log,
          }),
        );
      }
    } finally {
      await stack.stop();
    }
  }
  print([
    "## Summary: the issue's goals",
    '',
    '| figure | measured | floor (same run) | ratio to floor | goal | |',
    '|---|---|---|---|---|---|',
    ...goals.map(
      (goal) =>
        `| ${goal.figure} | ${goal.value} | ${goal.floor} | ${goal.ratio} | ${goal.goal} | ${verdict(goal.met)} |`,
    ),
    '',
    `Load average at end (1/5/15 min): ${loadAverage()} on ${os.cpus().length} cores. The machine is shared with ` +
      "other engineers' test runs: tails (p99, p95) carry their noise, which is why each figure sits next to its " +
      'floor, measured in the same run.',
  ]);
  await writeFile(path.join(benchDir, 'RECS-RESULTS.md'), `${lines.join('\n').trimEnd()}\n`);
  log(`written to ${path.relative(repoRoot, path.join(benchDir, 'RECS-RESULTS.md'))}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
