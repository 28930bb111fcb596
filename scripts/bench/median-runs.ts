/**
 * `--issue-corpus --repeat=N` (issue 17): each kind of run (cold, warm, warm again) N times, in
 * rounds, and the median run of each kind reported. One run of the issue corpus strays from the
 * next by 2-3% on this machine (warm runs of 971 and 1,002 ms minutes apart, round 26), which is
 * as far as the runs are from the 1.3 target: one run says little on which side the build is.
 *
 * The median is one of the runs, the middle one by wall time (the lower of the two middle ones for
 * an even N), not a figure put together from several: every figure of its column in the tables
 * (requests, phases, CPU, peak RSS, where the wall went) comes from that one run. Its summary line
 * gives the range of the N wall times beside it.
 */
import type { RunResult } from './cli-runs.js';
import { fmt } from './format.js';

/** A kind's median run, with the wall times of all its runs. */
export interface MedianRun extends RunResult {
  /** The wall times of the kind's runs, lowest first (one when the kind ran once). */
  walls: number[];
}

/** The median run of one kind's runs (see the module comment). */
export function medianRun(runs: readonly RunResult[]): MedianRun {
  if (runs.length === 0) throw new Error('no runs to take the median of');
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return { ...byWall[Math.floor((byWall.length - 1) / 2)]!, walls: byWall.map((r) => r.wallMs) };
}

/** ` (median of 5 runs: 955-990 ms)`, or nothing for a kind that ran once. */
export function wallRange(run: RunResult | MedianRun): string {
  if (!('walls' in run) || run.walls.length < 2) return '';
  return ` (median of ${run.walls.length} runs: ${fmt(run.walls[0]!)}-${fmt(run.walls.at(-1)!)} ms)`;
}
