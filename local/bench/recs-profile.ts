/**
 * Where the time goes: a V8 CPU profile (`node:inspector`) of some calls, its self time summed per component — the
 * emulators (PGlite, dynalite, kinesalite, s3rver: a sample counts for one when its stack passes through the
 * emulator's code, so their storage libraries count for them), else the leaf frame's code: the AWS SDK, the pg
 * driver, onnxruntime, our own code, Node's internals; plus garbage collection and idle (the main thread waiting:
 * LevelDB and file I/O run on libuv's thread pool). Time in a native function (no script url) counts for the nearest
 * caller that has one. The profiler's own work (building the profile when it stops) is left out.
 */
import { writeFile } from 'node:fs/promises';
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';

export interface ComponentTime {
  readonly component: string;
  readonly ms: number;
  readonly share: number;
}

export interface CallsProfile {
  readonly totalMs: number;
  readonly components: readonly ComponentTime[];
}

/** The emulators: a sample counts for one when any frame of its stack is the emulator's own code. */
const emulators: readonly [RegExp, string][] = [
  [/^wasm:\/\/|\/node_modules\/@electric-sql\//, 'PGlite (PostgreSQL in wasm) and pglite-socket'],
  [/\/node_modules\/dynalite\//, 'dynalite and LevelDB (DynamoDB emulator)'],
  [/\/node_modules\/kinesalite\//, "kinesalite (Kinesis emulator; the local event source's idle polling)"],
  [/\/node_modules\/s3rver\//, 's3rver (S3 emulator)'],
];

/** Everything else by the leaf frame's code. */
const packages: readonly [RegExp, string][] = [
  [/\/node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//, 'AWS SDK v3 (marshalling, signing, HTTP)'],
  [/\/node_modules\/pg[^/]*\//, 'pg driver'],
  [/\/node_modules\/onnxruntime-[^/]+\//, 'onnxruntime-node'],
  [/\/node_modules\/@aws-lambda-powertools\//, 'Powertools (logger, metrics, batch)'],
  [/\/node_modules\/zod\//, 'zod'],
  [/\/lambdas\/src\//, 'Shelfwise code (lambdas/src)'],
  [/\/local\/(src|bench)\//, 'local runtime and bench code'],
  [/^node:/, 'Node.js internals (HTTP client and server, streams, timers)'],
];

const profilerItself = 'the profiler itself';

function componentOf(url: string): string {
  for (const [pattern, name] of packages) if (pattern.test(url)) return name;
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match ? `other: ${match[1]}` : 'other';
}

/** Self time per component of a profile (the profiler's own work left out). */
export function summarise(profile: Profiler.Profile): CallsProfile {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const rootId = profile.nodes[0]?.id;
  const emulatorMemo = new Map<number, string | null>();
  const emulatorOf = (id: number): string | null => {
    const known = emulatorMemo.get(id);
    if (known !== undefined) return known;
    const { url } = nodes.get(id)!.callFrame;
    const own = emulators.find(([pattern]) => pattern.test(url))?.[1];
    const parent = parents.get(id);
    const name = own ?? (parent === undefined ? null : emulatorOf(parent));
    emulatorMemo.set(id, name);
    return name;
  };
  const leafMemo = new Map<number, string>();
  const leafOf = (id: number): string => {
    const known = leafMemo.get(id);
    if (known) return known;
    const { url } = nodes.get(id)!.callFrame;
    const parent = parents.get(id);
    let name: string;
    if (url === 'node:inspector') name = profilerItself;
    else if (url) name = componentOf(url);
    else name = parent === undefined || parent === rootId ? 'V8 and native, unattributed' : leafOf(parent);
    leafMemo.set(id, name);
    return name;
  };
  const componentOfSample = (id: number): string => {
    const { functionName } = nodes.get(id)!.callFrame;
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle (waiting for the thread pool, timers)';
    if (functionName === '(program)') return 'V8 and native, unattributed';
    const leaf = leafOf(id);
    return leaf === profilerItself ? leaf : (emulatorOf(id) ?? leaf);
  };
  const totals = new Map<string, number>();
  let totalMicros = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const name = componentOfSample(samples[i]!);
    if (name === profilerItself) continue;
    const micros = deltas[i] ?? 0;
    totalMicros += micros;
    totals.set(name, (totals.get(name) ?? 0) + micros);
  }
  return {
    totalMs: totalMicros / 1000,
    components: [...totals]
      .map(([name, micros]) => ({ component: name, ms: micros / 1000, share: micros / Math.max(totalMicros, 1) }))
      .sort((a, b) => b.ms - a.ms),
  };
}

/** Runs `work` under the CPU profiler (sampling every `intervalMicros`); writes the raw profile to `saveTo` if given. */
export async function profileCalls(
  work: () => Promise<void>,
  options: { intervalMicros?: number; saveTo?: string } = {},
): Promise<CallsProfile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: options.intervalMicros ?? 250 });
    await session.post('Profiler.start');
    let profile: Profiler.Profile;
    try {
      await work();
    } finally {
      ({ profile } = await session.post('Profiler.stop'));
    }
    if (options.saveTo) await writeFile(options.saveTo, JSON.stringify(profile));
    return summarise(profile);
  } finally {
    session.disconnect();
  }
}
