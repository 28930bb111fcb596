/**
 * Where a CLI run's threads spent their time (`npm run bench -- --threads`, issue 17): the main
 * thread's time on a core, its time runnable but waiting for one, and the rest of the run's wall
 * (asleep, waiting for answers or files, or not running yet or any more: the spawn, and the
 * teardown after the `exit` event at which threads-at-exit.mjs reads the times); the other threads
 * (V8's compilers and garbage collector, libuv's pool) by name. On two cores a run's main thread is
 * busy for nearly all of its wall and waits for a core behind V8's own background threads for tens
 * of milliseconds: the figures that say so.
 */
import { fmt } from './format.js';

/** One thread as threads-at-exit.mjs writes it. */
export interface ThreadTime {
  name: string;
  main: boolean;
  onCpuNs: number;
  waitingNs: number;
}

/** A run's threads summed up; every time in milliseconds. */
export interface ThreadTimes {
  /** The main thread's time on a core. */
  mainOnCpuMs: number;
  /** The main thread's time runnable but waiting for a core. */
  mainWaitingMs: number;
  /** The other threads by name, in order of time on a core, most first. */
  others: { name: string; count: number; onCpuMs: number }[];
}

/** The threads of one run summed up; undefined when the list has no main thread. */
export function sumThreadTimes(threads: readonly ThreadTime[]): ThreadTimes | undefined {
  const main = threads.find((t) => t.main);
  if (main === undefined) return undefined;
  const byName = new Map<string, { name: string; count: number; onCpuMs: number }>();
  for (const t of threads) {
    if (t.main) continue;
    const entry = byName.get(t.name) ?? { name: t.name, count: 0, onCpuMs: 0 };
    entry.count += 1;
    entry.onCpuMs += t.onCpuNs / 1e6;
    byName.set(t.name, entry);
  }
  return {
    mainOnCpuMs: main.onCpuNs / 1e6,
    mainWaitingMs: main.waitingNs / 1e6,
    others: [...byName.values()].sort((a, b) => b.onCpuMs - a.onCpuMs),
  };
}

/**
 * The cells of the table's rows for one run: the main thread's time on a core, waiting for one,
 * and the rest of the run's wall, and the other threads that spent 1 ms or more.
 */
export function threadCells(
  times: ThreadTimes | undefined,
  wallMs: number,
): { main: string; others: string } {
  if (times === undefined) return { main: '-', others: '-' };
  const rest = Math.max(0, wallMs - times.mainOnCpuMs - times.mainWaitingMs);
  const others = times.others
    .filter((o) => o.onCpuMs >= 1)
    .map((o) => `${o.name}${o.count > 1 ? ` x${o.count}` : ''} ${fmt(o.onCpuMs)}`)
    .join(', ');
  return {
    main: `${fmt(times.mainOnCpuMs)} / ${fmt(times.mainWaitingMs)} / ${fmt(rest)} ms`,
    others: others === '' ? 'none' : `${others} ms`,
  };
}
