/** Timing helpers and the machine description of the recommendations benchmark. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
}

/** Nearest-rank percentiles of `samples` (milliseconds). */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(sorted.length, 1);
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), mean };
}

/** Runs `call(i)` `warmUp` times untimed, then `calls` times, one after the other; returns each call's milliseconds. */
export async function timeCalls(
  calls: number,
  warmUp: number,
  call: (i: number) => Promise<unknown>,
): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * Times several calls in turn, `calls` rounds after `warmUp` untimed ones, so that all of them meet the same
 * machine noise (the starting call rotates from round to round); returns each call's milliseconds, per call.
 */
export async function timeInterleaved(
  calls: number,
  warmUp: number,
  runs: readonly ((i: number) => Promise<unknown>)[],
): Promise<number[][]> {
  for (let i = 0; i < warmUp; i++) for (const run of runs) await run(i);
  const samples = runs.map((): number[] => []);
  for (let i = 0; i < calls; i++) {
    for (let turn = 0; turn < runs.length; turn++) {
      const which = (i + turn) % runs.length;
      const started = performance.now();
      await runs[which]!(i);
      samples[which]!.push(performance.now() - started);
    }
  }
  return samples;
}

/** One of the goals as the summary table shows it. */
export interface GoalFigure {
  readonly figure: string;
  readonly value: string;
  readonly floor: string;
  readonly ratio: string;
  readonly goal: string;
  readonly met: boolean;
}

/** A section's text and the goals it measured. */
export interface SectionResult {
  readonly lines: string[];
  readonly goals: GoalFigure[];
}

export const ms = (value: number) => (value < 10 ? value.toFixed(3) : value.toFixed(1));

export const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

export function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');
}

/** The checked-out commit, read from .git without running git (short hash, or "unknown"). */
function commit(repoRoot: string): string {
  try {
    const gitDir = path.join(repoRoot, '.git');
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head.slice(0, 7);
    const ref = head.slice(5);
    let hash: string | undefined;
    try {
      hash = readFileSync(path.join(gitDir, ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(path.join(gitDir, 'packed-refs'), 'utf8');
      hash = packed
        .split('\n')
        .find((line) => line.endsWith(` ${ref}`))
        ?.split(' ')[0];
    }
    return hash ? hash.slice(0, 7) : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Whether the recommender's code or the bench differ from the commit (read-only `git status`). */
function uncommitted(repoRoot: string): string {
  try {
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'lambdas/src/recommendations', 'local/bench'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((line) => line.trim().length > 0 && !line.endsWith('RECS-RESULTS.md'));
    return changed.length > 0
      ? `, plus uncommitted changes to ${changed.length} file(s) of lambdas/src/recommendations and local/bench`
      : '';
  } catch {
    return '';
  }
}

export function machine(repoRoot: string): string[] {
  const cpus = os.cpus();
  return [
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM` +
      ` (${os.type()} ${os.release()}, ${os.arch()})`,
    `Node: ${process.version}`,
    `Date: ${new Date().toISOString()}`,
    `Commit: ${commit(repoRoot)}${uncommitted(repoRoot)}`,
    `Load average at start (1/5/15 min): ${loadAverage()} — the machine is shared, so timings carry other processes' noise`,
  ];
}
