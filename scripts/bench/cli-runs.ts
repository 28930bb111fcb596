/**
 * The bench's CLI runs: each run of the built CLI in a child process (under /usr/bin/time for its
 * CPU time and peak RSS, or polling /proc without it), the stats it writes with --stats-file, the
 * front proxy's count of its requests, and one run read back for the comparison with Renovate.
 * Apart from scripts/bench.ts, which decides which runs to make; also the one helper that runs a
 * child process (`run`), which the startup figure and the yaml-only parse use too (baselines.ts).
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FrontProxy, FrontRequestKind } from '../../test-support/registry/index.js';
import { BENCH_REGISTRY, type Corpus } from './corpus.js';
import { KINDS } from './front-settings.js';
import type { Minimum } from './minimum.js';
import { registrySideClock } from './registry-side-cpu.js';
import { judgeProposals, type ComparedRun } from './renovate.js';
import { sumThreadTimes, type ThreadTime, type ThreadTimes } from './thread-times.js';
import { HAS_TIME, underTime } from './timed.js';
import { wallParts, type WallParts } from './wall-parts.js';

/** The repository's root: every child process runs there. */
export const ROOT = resolve(import.meta.dirname, '..', '..');

/** How the CLI is run: which bundle, with which Node and Node flags. */
export interface CliSetup {
  /** The bundle's cli.js: the bench runs a copy of the built CLI, so a rebuild of dist/ meanwhile cannot break a run. */
  cli: string;
  /** The Node that runs the CLI, its startup figure and the yaml-only parse (`--node=`). */
  node: string;
  /** Node flags for the CLI runs: `--cpu-prof` writes each run's profile into the work folder. */
  nodeFlags: (name: string, work: string) => string[];
  /** The local registry's process, once started: its CPU time during each run is measured. */
  registryPid?: number;
  /** `--threads`: each run reports its threads' times at its exit (thread-times.ts). */
  threads?: boolean;
}

/** Loaded into each run's Node with `--threads`: writes its threads' times at its exit. */
const THREADS_AT_EXIT = join(import.meta.dirname, 'threads-at-exit.mjs');

/** What the CLI writes with --stats-file. */
export interface CliStats {
  counts: { files: number; scanned: number; releases: number; containers: number; repositories: number };
  timings: { scan: number; registry: number; plan: number; pullRequests: number };
  requests: Record<string, number>;
  trustedTagDigests: number;
}

/** One measured CLI run. */
export interface RunResult {
  name: string;
  /** The run's name in the work folder's file names (out-, stats-, proxy-): its name, unless renamed. */
  files: string;
  wallMs: number;
  peakRssKb: number;
  /** User + system CPU time of the CLI process (all its threads), when /usr/bin/time measured it. */
  cpuMs: number | undefined;
  /**
   * CPU time the registry side spent meanwhile on the same machine: the local registry's process
   * and this one (the 20 ms front runs here), when /proc tells the registry's.
   */
  registrySideCpuMs: number | undefined;
  stats: CliStats;
  proxy: Record<FrontRequestKind, number>;
  minimum: Minimum;
  concurrency: number;
  /** Where its wall time went, from the front's log (wall-parts.ts); undefined when nothing was answered. */
  parts: WallParts | undefined;
  /** Its threads' times (`--threads`, thread-times.ts); undefined without the flag or without /proc. */
  threads?: ThreadTimes;
}

/**
 * Runs a command (in `env`, default the bench's own); resolves with its exit status, its output,
 * and when it closed (`performance.now()`: its exit and the end of its output, before the output
 * is gathered and written to `stdoutFile`, which is the bench's time, not the command's).
 */
export function run(
  command: string,
  args: readonly string[],
  stdoutFile?: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ status: number; stdout: string; stderr: string; closedAt: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', async (code) => {
      const closedAt = performance.now();
      const stdout = Buffer.concat(out).toString('utf8');
      if (stdoutFile) await writeFile(stdoutFile, stdout);
      resolvePromise({ status: code ?? 1, stdout, stderr: Buffer.concat(err).toString('utf8'), closedAt });
    });
  });
}

/** Runs the CLI once under /usr/bin/time (peak RSS) and collects its stats and the proxy's log. */
export async function runCli(
  setup: CliSetup,
  name: string,
  work: string,
  front: FrontProxy,
  cacheFile: string,
  minimum: Minimum,
  concurrency: number,
  tagDigestMaxAge: string,
): Promise<RunResult> {
  const statsFile = join(work, `stats-${name}.json`);
  const timeFile = join(work, `time-${name}.txt`);
  const threadsFile = setup.threads ? join(work, `threads-${name}.json`) : undefined;
  const cliArgs = [
    ...setup.nodeFlags(name, work),
    ...(threadsFile ? ['--import', THREADS_AT_EXIT] : []),
    setup.cli,
    '--dir',
    join(work, 'corpus'),
    '--json',
    '--cache-file',
    cacheFile,
    '--stats-file',
    statsFile,
    '--registry-mirrors',
    `${BENCH_REGISTRY}=${front.url}`,
    '--registry-concurrency',
    String(concurrency),
    '--tag-digest-max-age',
    tagDigestMaxAge,
  ];
  front.clearLog();
  const registrySide = await registrySideClock(setup.registryPid);
  const started = performance.now();
  const env = threadsFile ? { ...process.env, HRIU_BENCH_THREADS: threadsFile } : undefined;
  const result = HAS_TIME
    ? await run(...underTime(setup.node, cliArgs, timeFile), join(work, `out-${name}.json`), env)
    : await runPolled(setup.node, cliArgs, join(work, `out-${name}.json`), timeFile, env);
  const ended = result.closedAt;
  const wallMs = ended - started;
  const registrySideCpuMs = await registrySide();
  if (result.status !== 0) {
    let problems = '';
    try {
      problems = JSON.stringify(
        (JSON.parse(result.stdout) as { problems: unknown[] }).problems.slice(0, 5),
        null,
        2,
      );
    } catch {
      problems = result.stdout.slice(0, 2000);
    }
    throw new Error(
      `the CLI (${name} run) exited ${result.status}\n${result.stderr.slice(0, 2000)}\n${problems}`,
    );
  }
  const stats = JSON.parse(await readFile(statsFile, 'utf8')) as CliStats;
  // `user system maxrss` from /usr/bin/time, or just the peak from the polling fallback.
  const measured = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
  const peakRssKb = measured[measured.length - 1]!;
  const cpuMs = measured.length === 3 ? (measured[0]! + measured[1]!) * 1000 : undefined;
  const proxy = Object.fromEntries(KINDS.map((k) => [k, front.count(k)])) as Record<FrontRequestKind, number>;
  // For --keep: when each request reached the registry side and was answered, to see what waited.
  await writeFile(
    join(work, `proxy-${name.replace(/[^a-z0-9]+/gi, '-')}.json`),
    JSON.stringify(
      front.log.map((e) => [e.kind, e.path, Math.round(e.arrived ?? 0), Math.round(e.finished ?? 0)]),
    ),
  );
  const parts = wallParts(front.log, started, ended, concurrency);
  const threads = threadsFile ? await readThreadTimes(threadsFile) : undefined;
  return {
    name,
    files: name,
    wallMs,
    peakRssKb,
    cpuMs,
    registrySideCpuMs,
    stats,
    proxy,
    minimum,
    concurrency,
    parts,
    threads,
  };
}

/** A run's threads' times from the file threads-at-exit.mjs wrote; undefined when it wrote none. */
async function readThreadTimes(file: string): Promise<ThreadTimes | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return sumThreadTimes(JSON.parse(text) as ThreadTime[]);
}

/** Without /usr/bin/time: poll VmHWM of the child. */
async function runPolled(
  node: string,
  cliArgs: readonly string[],
  stdoutFile: string,
  rssFile: string,
  env?: NodeJS.ProcessEnv,
) {
  const child = spawn(node, cliArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let peak = 0;
  const timer = setInterval(async () => {
    try {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+)/.exec(status);
      if (match) peak = Math.max(peak, Number(match[1]));
    } catch {
      // The process ended between polls.
    }
  }, 20);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const status = await new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
  const closedAt = performance.now();
  clearInterval(timer);
  const stdout = Buffer.concat(out).toString('utf8');
  await writeFile(stdoutFile, stdout);
  await writeFile(rssFile, String(peak));
  return { status, stdout, stderr: Buffer.concat(err).toString('utf8'), closedAt };
}

/** One of our runs as the comparison with Renovate shows it: its output and the front's log, read back. */
export async function ourRunForComparison(r: RunResult, work: string, corpus: Corpus): Promise<ComparedRun> {
  const output = JSON.parse(await readFile(join(work, `out-${r.files}.json`), 'utf8')) as {
    containers: Array<{ file: string; repository: string; current: string; decision: string; to?: string }>;
  };
  const proxyLog = JSON.parse(
    await readFile(join(work, `proxy-${r.files.replace(/[^a-z0-9]+/gi, '-')}.json`), 'utf8'),
  ) as Array<[FrontRequestKind, string]>;
  const listed = new Set(
    proxyLog.filter(([kind]) => kind === 'tagPage').map(([, path]) => path.split('?')[0]),
  );
  const found = output.containers.map((c) => ({
    file: c.file,
    repository: c.repository,
    current: c.current,
    proposed: c.decision === 'update' ? c.to : undefined,
  }));
  return {
    name: r.name,
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    registrySideCpuMs: r.registrySideCpuMs,
    peakRssKb: r.peakRssKb,
    requests: r.proxy,
    repositoriesListed: listed.size,
    proposals: judgeProposals(found, corpus),
  };
}

/** The requests a run made, as the CLI counted them. */
export function requestsMade(r: RunResult): number {
  const req = r.stats.requests;
  return req.tagPage! + req.token! + req.headManifest! + req.getManifest! + req.getBlob! + req.other!;
}
