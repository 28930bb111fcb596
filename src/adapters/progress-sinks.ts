/**
 * Progress of the registry phase, for people watching a run: a slow registry can keep a run
 * silent for half a minute. In the Action's log (and the CLI's stderr when it is not a terminal),
 * a line every few seconds while something changed; on a terminal, one live line rewritten in
 * place and cleared at the end.
 *
 *   Registries: 120/501 repositories, 3,400/4,500 tags described (12 s)
 */
import type { ProgressSink, RegistryProgress } from '../ports.js';
import { groupedCount } from '../byte-count.js';

/** Starts a repeating timer; returns how to stop it. Injected so tests drive the ticks. */
export type Repeat = (tick: () => void, intervalMs: number) => () => void;

/** A Node.js interval that does not keep the process alive. */
export const repeatWithTimer: Repeat = (tick, intervalMs) => {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};

/** The progress as one line. */
export function formatProgress(p: Readonly<RegistryProgress>, elapsedMs: number): string {
  const tags =
    p.tagsToDescribe > 0
      ? `, ${groupedCount(p.tagsDescribed)}/${groupedCount(p.tagsToDescribe)} tags described`
      : '';
  return `Registries: ${groupedCount(p.repositoriesDone)}/${groupedCount(p.repositoriesTotal)} repositories${tags} (${Math.round(elapsedMs / 1000)} s)`;
}

/** Options of {@link periodicProgress}. */
export interface PeriodicProgressOptions {
  /** Prints one line (the Action's `core.info`, or stderr). */
  write(line: string): void;
  /** Time between lines; 5 s in the shells. */
  intervalMs: number;
  now?: () => number;
  repeat?: Repeat;
}

/** A line every `intervalMs` while the registry phase runs, when something changed since the last. */
export function periodicProgress(options: PeriodicProgressOptions): ProgressSink {
  const now = options.now ?? (() => Date.now());
  const repeat = options.repeat ?? repeatWithTimer;
  let state: RegistryProgress | undefined;
  let started = 0;
  let printed = '';
  let stop: (() => void) | undefined;
  const tick = () => {
    if (!state) return;
    const key = JSON.stringify(state);
    if (key === printed) return;
    printed = key;
    options.write(formatProgress(state, now() - started));
  };
  return {
    update(progress) {
      if (!stop) {
        started = now();
        stop = repeat(tick, options.intervalMs);
        // The first state (0 of N) is what the phase's own log line already says.
        printed = JSON.stringify(progress);
      }
      state = { ...progress };
    },
    finish() {
      stop?.();
      stop = undefined;
    },
  };
}

/** Options of {@link liveProgress}. */
export interface LiveProgressOptions {
  /** Writes raw text to the terminal (stderr). */
  write(text: string): void;
  /** The terminal's width, to keep the line on one row. */
  columns: number;
  now?: () => number;
  /** Redraws at most this often (ms). */
  throttleMs?: number;
  /** Redraws the last state this often (ms) while nothing changes (default 1 s). */
  tickMs?: number;
  repeat?: Repeat;
}

/**
 * One line on a terminal, redrawn in place as the state changes, and cleared at the end. It is
 * redrawn every second too, so its time keeps running while a registry is slow to answer (the line
 * stood at "(0 s)" for the half minute until a request timed out, and read as a hung CLI), and a
 * state the throttle skipped is drawn.
 */
export function liveProgress(options: LiveProgressOptions): ProgressSink {
  const now = options.now ?? (() => Date.now());
  const throttle = options.throttleMs ?? 100;
  const repeat = options.repeat ?? repeatWithTimer;
  let started = 0;
  let drawn = -Infinity;
  let shown = false;
  let last: RegistryProgress | undefined;
  let stop: (() => void) | undefined;
  const draw = (progress: Readonly<RegistryProgress>, t: number) => {
    drawn = t;
    const line = formatProgress(progress, t - started).slice(0, Math.max(10, options.columns - 1));
    options.write(`\r\x1b[2K${line}`);
    shown = true;
  };
  return {
    update(progress) {
      const t = now();
      last = { ...progress };
      if (!stop) {
        started = t;
        stop = repeat(() => {
          if (last) draw(last, now());
        }, options.tickMs ?? 1000);
      }
      if (t - drawn < throttle && progress.repositoriesDone < progress.repositoriesTotal) return;
      draw(progress, t);
    },
    finish() {
      stop?.();
      stop = undefined;
      last = undefined;
      if (shown) options.write('\r\x1b[2K');
      shown = false;
    },
  };
}
