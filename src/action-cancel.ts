/**
 * A cancelled or timed-out step. The runner stops it (the **Cancel** button, a newer run of a
 * `concurrency` group with `cancel-in-progress: true`, the step's `timeout-minutes`) by sending its
 * node process SIGINT, then SIGTERM 7.5 s later, then killing it 2.5 s after that
 * (https://docs.github.com/en/actions/reference/workflow-cancellation-reference, step 4).
 * Without a listener node ends at the first signal, with no job summary and no outputs: the
 * operator could not tell which pull requests the run had written. With one, the run stops
 * starting GitHub calls and registry requests, abandons those still unanswered a moment later, and
 * publishes what it did; a second signal ends it at once.
 */
import * as core from '@actions/core';
import { constants } from 'node:os';
import { logLine } from './adapters/actions-log.js';
import type { CancelSignals } from './github/cancel-gate.js';
import { RUN_CANCELLED } from './cancelled-text.js';

/** How long after the cancellation a GitHub call in flight may still finish. */
export const ABANDON_AFTER_MS = 1500;

/**
 * How long after the cancellation the run may take to publish its own report; past it, a short
 * one is published instead and the step ends. Well inside the runner's 7.5 s before SIGTERM.
 */
export const REPORT_DEADLINE_MS = 5000;

/** The signals the runner cancels a step with. */
const CANCEL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The cancellation of one Action run, once a signal came. */
export interface ActionCancel extends CancelSignals {
  /** The signal that cancelled the run; undefined while none has. */
  readonly signal: NodeJS.Signals | undefined;
  /** Settles {@link REPORT_DEADLINE_MS} after the cancellation; never before one. */
  readonly deadline: Promise<void>;
  /**
   * What the report the run published said: `cancelled` when it saw the signal first, `complete`
   * when the signal came after; undefined until then (the late report is then written instead).
   */
  readonly reported: 'cancelled' | 'complete' | undefined;
  /** The run published its report, having seen the cancellation or not. */
  markReported(cancelled: boolean): void;
  /** Stops listening for the signals. */
  dispose(): void;
}

/** What {@link watchCancel} acts on; tests pass shorter times. */
export interface CancelTimings {
  abandonAfterMs: number;
  reportDeadlineMs: number;
}

/**
 * Listens for SIGINT and SIGTERM for the run: the first cancels it, a second ends the process at
 * once with the status a shell gives a process that signal ended (130 for SIGINT, 143 for SIGTERM).
 */
export function watchCancel(
  timings: CancelTimings = { abandonAfterMs: ABANDON_AFTER_MS, reportDeadlineMs: REPORT_DEADLINE_MS },
): ActionCancel {
  const stop = new AbortController();
  const abandon = new AbortController();
  let signal: NodeJS.Signals | undefined;
  let reported: ActionCancel['reported'];
  let reachDeadline: () => void = () => undefined;
  const deadline = new Promise<void>((resolve) => (reachDeadline = resolve));
  const received = (name: NodeJS.Signals): void => {
    if (signal) {
      // A second signal: the runner's SIGTERM after 7.5 s, or a person who will not wait.
      logLine(`Received ${name} after ${signal}: ending at once.`);
      process.exit(128 + (constants.signals[name] ?? 0));
    }
    signal = name;
    logLine(
      `Received ${name}: the run was cancelled. No new GitHub call or registry request is started; the job summary says what was done.`,
    );
    stop.abort(new Error(RUN_CANCELLED));
    // Timers of their own: unref'd, so a run that finishes first is not held open by them.
    setTimeout(() => abandon.abort(new Error(RUN_CANCELLED)), timings.abandonAfterMs).unref();
    setTimeout(reachDeadline, timings.reportDeadlineMs).unref();
  };
  for (const name of CANCEL_SIGNALS) process.on(name, received);
  return {
    stop: stop.signal,
    abandon: abandon.signal,
    get signal() {
      return signal;
    },
    deadline,
    get reported() {
      return reported;
    },
    markReported(cancelled: boolean) {
      reported = cancelled ? 'cancelled' : 'complete';
    },
    dispose() {
      for (const name of CANCEL_SIGNALS) process.removeListener(name, received);
    },
  };
}

/** The step's failure line for a run cancelled by `signal`. */
export function cancelledFailure(signal: NodeJS.Signals): string {
  return `Cancelled (${signal}): the run stopped part way; the job summary lists the pull requests it wrote and what it did not reach, which the next run does.`;
}

/** The step's failure line for a run cancelled by `signal` once its report was published. */
export function cancelledAfterReport(signal: NodeJS.Signals): string {
  return `Cancelled (${signal}) after the job summary and outputs were written, which are complete; a digest cache not saved by then is left to the next run.`;
}

/**
 * The report of a run that could not publish its own within {@link REPORT_DEADLINE_MS} of its
 * cancellation (an answer it waited for, a cache transfer): a short summary that claims nothing,
 * and the step's failure. Outputs are left unset: what it wrote is not known here.
 */
export async function publishLateCancel(signal: NodeJS.Signals): Promise<void> {
  const text = [
    '## HelmRelease image updates (cancelled)',
    '',
    `> [!WARNING]`,
    `> **Cancelled** (${signal}) before this run could list what it did. Each pull request it wrote is named in the log (*Writing pull requests*, \`branch: created\`); the next run finds those and writes the rest.`,
    '',
  ].join('\n');
  try {
    await core.summary.addRaw(text).write();
  } catch {
    // No summary file to write to: the failure line below still says it.
  }
  core.setFailed(cancelledFailure(signal));
}
