/**
 * `--issue-corpus --beside-busy[=N]` (issue 17, round 31): the warm run, and the client that does
 * nothing, again beside N busy processes (each a Node spinning on a core; 1 unless given), rounds
 * of the two alternated. A runner is not always idle (a shared self-hosted runner, a laptop
 * building something else), and a change can gain on an idle machine what it loses beside other
 * work: round 29 lowered V8's workers below the main thread, 2-4% faster idle, and measured only
 * idle; beside one or two busy processes the same runs took 14-57% longer. The line printed sets
 * each median against its quiet run above, so a CLI that suffers more from other work than the
 * client does shows as a larger factor than the client's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { FrontProxy } from '../../test-support/registry/index.js';
import { runListingClient, type ListingClientRun } from './baselines.js';
import type { RunResult } from './cli-runs.js';
import { fmt } from './format.js';
import { medianRun, type MedianRun } from './median-runs.js';

/** What {@link besideBusy} measured. */
export interface BesideBusy {
  /** Busy processes the runs shared the machine with. */
  busy: number;
  /** The CLI's warm runs: the median run, with every run's wall time. */
  cli: MedianRun;
  /** The undici listing client's median wall time. */
  clientMs: number;
}

/** Reads `--beside-busy[=N]`: undefined without it, N (1 to 16) with it, 1 when N is not given. */
export function besideBusyCount(argv: readonly string[]): number | undefined | Error {
  const arg = argv.find((a) => a === '--beside-busy' || a.startsWith('--beside-busy='));
  if (arg === undefined) return undefined;
  if (arg === '--beside-busy') return 1;
  const count = Number(arg.slice('--beside-busy='.length));
  return Number.isInteger(count) && count >= 1 && count <= 16
    ? count
    : new Error(
        `--beside-busy: ${arg.slice('--beside-busy='.length)} is not a number of processes from 1 to 16`,
      );
}

/** Starts `count` processes that each keep a core busy until killed. */
function startBusyProcesses(node: string, count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(node, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

/**
 * Runs `rounds` rounds of the CLI's warm run (`runWarm`, named by its round) and the undici
 * listing client beside `busy` busy processes, stopped whatever happens.
 */
export async function besideBusy(
  busy: number,
  rounds: number,
  runWarm: (name: string) => Promise<RunResult>,
  client: { node: string; front: FrontProxy; concurrency: number; work: string },
): Promise<BesideBusy> {
  const processes = startBusyProcesses(client.node, busy);
  try {
    const cliRuns: RunResult[] = [];
    const clientRuns: ListingClientRun[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      cliRuns.push(await runWarm(`warm beside busy ${round}`));
      clientRuns.push(
        await runListingClient(client.node, client.front, 'undici', client.concurrency, client.work),
      );
    }
    const walls = clientRuns.map((r) => r.wallMs).sort((a, b) => a - b);
    return { busy, cli: medianRun(cliRuns), clientMs: walls[Math.floor((walls.length - 1) / 2)]! };
  } finally {
    for (const busyProcess of processes) busyProcess.kill('SIGKILL');
  }
}

/** One line: the runs beside busy processes, each against its quiet run. */
export function renderBesideBusy(measured: BesideBusy, quietWarmMs: number, quietClientMs: number): string {
  const { busy, cli, clientMs } = measured;
  const factor = (ms: number, quiet: number) => `${(ms / quiet).toFixed(2)} x its quiet run`;
  return (
    `beside ${busy} busy process${busy === 1 ? '' : 'es'} (median of ${cli.walls.length}, alternated): ` +
    `the CLI's warm run ${fmt(cli.wallMs)} ms (${factor(cli.wallMs, quietWarmMs)}), ` +
    `the client that does nothing (undici) ${fmt(clientMs)} ms (${factor(clientMs, quietClientMs)}); ` +
    `the CLI against that client ${(cli.wallMs / clientMs).toFixed(2)}\n`
  );
}
