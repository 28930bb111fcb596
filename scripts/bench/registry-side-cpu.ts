/**
 * The CPU time the registry side of a run spends on this machine: the local registry's process
 * (read from /proc) and the bench's own process, where the 20 ms front runs. A remote registry
 * costs the runner none of it; here it shares the two cores with the tool measured, so the tables
 * show it beside each run.
 */
import { readFile } from 'node:fs/promises';
import { fmt } from './format.js';

/** Clock ticks a second in /proc/<pid>/stat (USER_HZ: 100 on every Linux Node supports). */
const USER_HZ = 100;

/**
 * The fields of a /proc `stat` line after the command name (which may hold spaces), from the state
 * on: field n of proc(5) is at index n - 3.
 */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU time of a process so far (ms), from /proc; undefined where there is none. */
async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // utime and stime are fields 14 and 15.
    const fields = statFields(stat);
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/**
 * Starts counting the registry side's CPU time; the function returned stops and gives it (ms), or
 * undefined when the registry's process cannot be read.
 */
export async function registrySideClock(
  registryPid: number | undefined,
): Promise<() => Promise<number | undefined>> {
  const registryBefore = await processCpuMs(registryPid);
  const benchBefore = process.cpuUsage();
  return async () => {
    const registryAfter = await processCpuMs(registryPid);
    const bench = process.cpuUsage(benchBefore);
    return registryBefore === undefined || registryAfter === undefined
      ? undefined
      : registryAfter - registryBefore + (bench.user + bench.system) / 1000;
  };
}

/** The tables' row of it: its label, and a run's cell (`-` where it was not measured). */
export const REGISTRY_SIDE_ROW = 'CPU time of the registry and the front meanwhile';
export function registrySideCell(run: { registrySideCpuMs: number | undefined }): string {
  return run.registrySideCpuMs === undefined ? '-' : `${fmt(run.registrySideCpuMs)} ms`;
}
