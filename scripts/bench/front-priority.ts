/**
 * `--registry-from-memory` runs the 20 ms front at real-time priority (issue 17, round 32): every
 * thread of the bench's process, which hosts the front, at SCHED_FIFO 10 with `--reset-on-fork`,
 * so that the CLI, Renovate and the clients it spawns run at the normal policy as they always did.
 *
 * Why: the front stands in for a remote registry, which answers when its 20 ms are up whatever the
 * runner is doing. Here it shares two cores with the run it answers, and Linux's scheduler (EEVDF)
 * lets a running thread finish its slice before a waking one of the same policy takes the core,
 * nice or not: a request the CLI wrote waited 0.6-1.3 ms on average (3-4 ms for one in ten) to
 * be read by the front while the CLI's own threads held both cores, against 0.4-0.55 ms for the
 * client that does nothing. That wait is the bench's, not the CLI's. At real-time priority the
 * front takes a core the moment it has something to do; it uses the same CPU time as before.
 * `--front-priority=normal` measures as before (round 31 and earlier).
 *
 * Linux only, and only with the right to (root or CAP_SYS_NICE): otherwise the runs go on at the
 * normal policy and the output says why.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

/** How the front's process is scheduled during the runs. */
export type FrontPriority = 'realtime' | 'normal';

/** The real-time priority the front runs at: any from 1 to 99 preempts the normal policy. */
export const FRONT_RT_PRIORITY = 10;

/**
 * Reads `--front-priority=realtime|normal`: real-time by default with `--registry-from-memory`,
 * where the front is the whole registry; only with that flag, since a local registry behind the
 * front answers at the normal policy however the front is scheduled.
 */
export function frontPriorityChoice(argv: readonly string[], fromMemory: boolean): FrontPriority | Error {
  const arg = argv.find((a) => a === '--front-priority' || a.startsWith('--front-priority='));
  if (arg === undefined) return fromMemory ? 'realtime' : 'normal';
  const value = arg.slice('--front-priority='.length);
  if (value !== 'realtime' && value !== 'normal')
    return new Error(`--front-priority: ${JSON.stringify(value)} is neither realtime nor normal`);
  if (!fromMemory) return new Error('--front-priority runs only with --registry-from-memory');
  return value;
}

/** Runs a program and resolves when it exits 0; rejects with its stderr otherwise. */
export type RunProgram = (file: string, args: readonly string[]) => Promise<void>;

const runProgram: RunProgram = async (file, args) => {
  await promisify(execFile)(file, [...args], { timeout: 10_000 });
};

/** The front's process at real-time priority, or why not. */
export type RaisedPriority =
  { ok: true; threads: number; restore: () => Promise<void> } | { ok: false; reason: string };

/**
 * Sets every thread of process `pid` to SCHED_FIFO {@link FRONT_RT_PRIORITY}, reset on fork (a
 * process or thread it starts runs at the normal policy), with util-linux's `chrt`. `restore`
 * sets them back to the normal policy. A thread that cannot be raised undoes the others.
 */
export async function raiseToRealtime(pid: number, run: RunProgram = runProgram): Promise<RaisedPriority> {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (${process.platform})` };
  const threads = await readdir(`/proc/${pid}/task`);
  const raised: string[] = [];
  const restore = async () => {
    for (const tid of raised) {
      // A thread that has ended since has nothing to restore.
      await run('chrt', ['--other', '--pid', '0', tid]).catch(() => undefined);
    }
  };
  for (const tid of threads) {
    try {
      await run('chrt', ['--reset-on-fork', '--fifo', '--pid', String(FRONT_RT_PRIORITY), tid]);
      raised.push(tid);
    } catch (e) {
      await restore();
      const message = (e as { stderr?: string; message?: string }).stderr?.trim() || (e as Error).message;
      return { ok: false, reason: `chrt could not raise thread ${tid}: ${message.split('\n')[0]}` };
    }
  }
  return { ok: true, threads: raised.length, restore };
}

/** The line the output prints about how the front was scheduled. */
export function renderFrontPriority(choice: FrontPriority, raised: RaisedPriority | undefined): string {
  if (choice === 'normal') {
    return "The front ran at the normal policy (--front-priority=normal), beside the runs' own threads.\n";
  }
  if (!raised?.ok) {
    return `The front ran at the normal policy: real-time priority was asked for, but ${raised?.reason ?? 'not set'}.\n`;
  }
  return (
    `The front ran at real-time priority (SCHED_FIFO ${FRONT_RT_PRIORITY}, ${raised.threads} threads, ` +
    'reset on fork: the runs themselves at the normal policy), so that it answers when its 20 ms are ' +
    "up, as a remote registry does, not after the CLI's threads leave a core.\n"
  );
}
