/**
 * A child run under /usr/bin/time, which measures its CPU time and peak RSS, when the machine has
 * it: the CLI's runs (cli-runs.ts), the do-nothing client's (baselines.ts) and Renovate's
 * (renovate.ts) are timed alike.
 */
import { existsSync } from 'node:fs';

/** Whether /usr/bin/time is there to measure a child's CPU time and peak RSS. */
export const HAS_TIME = existsSync('/usr/bin/time');

/**
 * `command` and `args` run under /usr/bin/time, which writes `user system maxrss` (seconds,
 * seconds, KB) to `timeFile`; as they are when there is no /usr/bin/time ({@link HAS_TIME}).
 */
export function underTime(command: string, args: readonly string[], timeFile: string): [string, string[]] {
  return HAS_TIME
    ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, command, ...args]]
    : [command, [...args]];
}
