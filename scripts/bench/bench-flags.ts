/**
 * What `npm run bench` was asked for: its flags read and checked against each other, before
 * anything is started (bench.ts runs the cases in order). Pure: the paths it is given are resolved
 * but not looked for; bench.ts checks that they exist.
 */
import { resolve } from 'node:path';
import { besideBusyCount } from './beside-busy.js';
import { frontPriorityChoice, type FrontPriority } from './front-priority.js';
import type { RenovateSetup } from './renovate.js';

/** The bench's flags, read. */
export interface BenchFlags {
  /** `--small`: the under-a-minute version `.ci/run` runs. */
  small: boolean;
  /** `--concurrency=N`: the CLI's requests in flight per host (8 unless given). */
  concurrency: number;
  /** `--cpu-prof`: each run's CPU profile, in the work folder, which is then kept. */
  cpuProf: boolean;
  /** `--threads`: each run's threads' times (thread-times.ts). */
  threads: boolean;
  /** `--node=`: the Node running the CLI, the startup figure and the yaml-only parse. */
  node: string | undefined;
  /** `--keep` (or `--cpu-prof`): the work folder is kept. */
  keep: boolean;
  /** `--issue-corpus`: the corpus of issue 17's comparison with Renovate, and only its CLI runs. */
  issueCorpus: boolean;
  /** `--repeat=N`: rounds of the issue corpus's runs (median-runs.ts); 1 unless given. */
  repeat: number;
  /** `--renovate=` (and `--renovate-node=`): Renovate on the same corpus and registry. */
  renovate: RenovateSetup | undefined;
  /** `--registry-from-memory`: the front answers what the registry answered once. */
  fromMemory: boolean;
  /** `--front-priority=`: how the front is scheduled (front-priority.ts). */
  frontPriority: FrontPriority;
  /** `--beside-busy[=N]`: the warm run again beside N busy processes (beside-busy.ts). */
  besideBusy: number | undefined;
  /** `--requests[=N]`: only the CPU a tag-list request costs, over N requests a round. */
  requests: number | undefined;
  /** `--scan-split`: only where the scan's time goes. */
  scanSplit: boolean;
  /** Only the CLI runs (`--runs`, `--cpu-prof`, `--issue-corpus`). */
  runsOnly: boolean;
  /** Only one figure that needs the built CLI: `--startup`, `--many-tags` or `--round-trips`. */
  only: 'startup' | 'many-tags' | 'round-trips' | undefined;
  /** `--one-file`: only the many-updates-in-one-file case. */
  oneFileOnly: boolean;
  /** `--github[=10,100]`: only the GitHub phase, with these numbers of open pull requests. */
  github: { only: boolean; sizes: number[] };
  /** `--round-trip-repositories=N`: repositories of the registry at a distance. */
  roundTripRepositories: number | undefined;
}

/** The value of `--name=value`, or undefined without the flag. */
function valueOf(argv: readonly string[], name: string): string | undefined {
  return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** Reads the bench's flags, or says which one is wrong and why. */
export function readBenchFlags(argv: readonly string[]): BenchFlags | Error {
  const small = argv.includes('--small');
  const cpuProf = argv.includes('--cpu-prof');
  const issueCorpus = argv.includes('--issue-corpus');
  const repeatArg = valueOf(argv, '--repeat');
  const repeat = repeatArg === undefined ? 1 : Number(repeatArg);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50)
    return new Error(`--repeat: ${repeatArg} is not a number of rounds from 1 to 50`);
  if (repeatArg !== undefined && !issueCorpus)
    return new Error('--repeat runs only with --issue-corpus (its runs are alike from round to round)');
  const renovateBin = valueOf(argv, '--renovate');
  const renovateNode = valueOf(argv, '--renovate-node');
  const renovate: RenovateSetup | undefined = renovateBin
    ? { bin: resolve(renovateBin), node: renovateNode && resolve(renovateNode) }
    : undefined;
  if (renovate && !issueCorpus)
    return new Error('--renovate runs only with --issue-corpus (the corpus of the comparison)');
  // Only on the issue corpus, whose registry does not change between runs.
  const fromMemory = argv.includes('--registry-from-memory');
  if (fromMemory && !issueCorpus)
    return new Error('--registry-from-memory runs only with --issue-corpus (its registry never changes)');
  const frontPriority = frontPriorityChoice(argv, fromMemory);
  if (frontPriority instanceof Error) return frontPriority;
  const besideBusy = besideBusyCount(argv);
  if (besideBusy instanceof Error) return besideBusy;
  if (besideBusy !== undefined && !issueCorpus)
    return new Error('--beside-busy runs only with --issue-corpus');
  const requestsArg = argv.find((a) => a === '--requests' || a.startsWith('--requests='));
  const githubArg = argv.find((a) => a === '--github' || a.startsWith('--github='));
  const nodeArg = valueOf(argv, '--node');
  const roundTripRepositories = valueOf(argv, '--round-trip-repositories');
  return {
    small,
    concurrency: Number(valueOf(argv, '--concurrency') ?? 8),
    cpuProf,
    threads: argv.includes('--threads'),
    node: nodeArg === undefined ? undefined : resolve(nodeArg),
    keep: argv.includes('--keep') || cpuProf,
    issueCorpus,
    repeat,
    renovate,
    fromMemory,
    frontPriority,
    besideBusy,
    requests: requestsArg === undefined ? undefined : Number(requestsArg.split('=')[1] ?? 2000),
    scanSplit: argv.includes('--scan-split'),
    runsOnly: argv.includes('--runs') || cpuProf || issueCorpus,
    only: (['startup', 'many-tags', 'round-trips'] as const).find((name) => argv.includes(`--${name}`)),
    oneFileOnly: argv.includes('--one-file'),
    github: {
      only: githubArg !== undefined,
      sizes: githubArg?.includes('=')
        ? githubArg.split('=')[1]!.split(',').map(Number)
        : small
          ? [10]
          : [10, 100, 500],
    },
    roundTripRepositories: roundTripRepositories === undefined ? undefined : Number(roundTripRepositories),
  };
}
