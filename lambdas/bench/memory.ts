/**
 * Memory measures for one benchmark process:
 * - `maxRssMiB()`: the kernel's RSS high-water mark (`getrusage` via `process.resourceUsage().maxRSS`), exact but only
 *   ever growing, so a process measures one thing;
 * - `RssSampler`: the process RSS sampled every few milliseconds from a worker thread, so the samples keep coming
 *   while the main thread is busy in synchronous code (sql.js queries, the cleaning loop, JSON.stringify), with the
 *   peak kept per named phase. The worker thread itself costs a few MiB of RSS (its own V8 isolate), counted in both.
 */
import { Worker } from 'node:worker_threads';

const KIB = 1024;

export const toMiB = (bytes: number): number => bytes / KIB / KIB;

/** The process' RSS high-water mark so far, in MiB. */
export function maxRssMiB(): number {
  return process.resourceUsage().maxRSS / KIB;
}

/** A snapshot of `process.memoryUsage()` in MiB. */
export interface MemorySnapshot {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** `maxRssMiB()` at the time of the snapshot. */
  readonly maxRss: number;
}

export function memorySnapshot(): MemorySnapshot {
  const usage = process.memoryUsage();
  return {
    rss: toMiB(usage.rss),
    heapUsed: toMiB(usage.heapUsed),
    heapTotal: toMiB(usage.heapTotal),
    external: toMiB(usage.external),
    arrayBuffers: toMiB(usage.arrayBuffers),
    maxRss: maxRssMiB(),
  };
}

// Shared slots: [current phase, stop flag, overall peak KiB, samples taken, peak KiB of phase 0, of phase 1, …].
const PHASE = 0;
const STOP = 1;
const PEAK = 2;
const SAMPLES = 3;
const FIRST_PHASE_SLOT = 4;
const MAX_PHASES = 12;

const SAMPLER_SOURCE = `
const { workerData } = require('node:worker_threads');
const slots = new Int32Array(workerData.buffer);
const first = ${FIRST_PHASE_SLOT};
while (Atomics.load(slots, ${STOP}) === 0) {
  const kib = Math.round(process.memoryUsage.rss() / 1024);
  const phase = Atomics.load(slots, ${PHASE});
  if (kib > Atomics.load(slots, ${PEAK})) Atomics.store(slots, ${PEAK}, kib);
  if (kib > Atomics.load(slots, first + phase)) Atomics.store(slots, first + phase, kib);
  Atomics.add(slots, ${SAMPLES}, 1);
  Atomics.wait(slots, ${STOP}, 0, workerData.intervalMs);
}
`;

export class RssSampler {
  private readonly slots = new Int32Array(new SharedArrayBuffer((FIRST_PHASE_SLOT + MAX_PHASES) * 4));
  private readonly phases: string[] = [];
  private readonly worker: Worker;

  private constructor(intervalMs: number) {
    this.worker = new Worker(SAMPLER_SOURCE, { eval: true, workerData: { buffer: this.slots.buffer, intervalMs } });
  }

  /** Starts sampling (every `intervalMs`) once the thread runs; samples go to the phase `initialPhase`. */
  static async start(initialPhase: string, intervalMs = 10): Promise<RssSampler> {
    const sampler = new RssSampler(intervalMs);
    sampler.phase(initialPhase);
    await new Promise<void>((resolve, reject) => {
      sampler.worker.once('online', resolve);
      sampler.worker.once('error', reject);
    });
    return sampler;
  }

  /** From now on samples count for `name` (a new phase starts with no peak). */
  phase(name: string): void {
    let index = this.phases.indexOf(name);
    if (index < 0) {
      if (this.phases.length >= MAX_PHASES) throw new Error(`at most ${MAX_PHASES} phases`);
      index = this.phases.push(name) - 1;
    }
    Atomics.store(this.slots, PHASE, index);
  }

  /** Peak sampled RSS of one phase so far, in MiB (0 when no sample fell in it). */
  phasePeakMiB(name: string): number {
    const index = this.phases.indexOf(name);
    return index < 0 ? 0 : Atomics.load(this.slots, FIRST_PHASE_SLOT + index) / KIB;
  }

  peakMiB(): number {
    return Atomics.load(this.slots, PEAK) / KIB;
  }

  samples(): number {
    return Atomics.load(this.slots, SAMPLES);
  }

  async stop(): Promise<void> {
    Atomics.store(this.slots, STOP, 1);
    Atomics.notify(this.slots, STOP);
    await this.worker.terminate();
  }
}
