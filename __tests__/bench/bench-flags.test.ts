import { resolve } from 'node:path';
import { readBenchFlags, type BenchFlags } from '../../scripts/bench/bench-flags.js';

/** The flags with nothing given. */
const DEFAULTS: BenchFlags = {
  small: false,
  concurrency: 8,
  cpuProf: false,
  threads: false,
  node: undefined,
  keep: false,
  issueCorpus: false,
  repeat: 1,
  renovate: undefined,
  fromMemory: false,
  frontPriority: 'normal',
  besideBusy: undefined,
  requests: undefined,
  scanSplit: false,
  runsOnly: false,
  only: undefined,
  oneFileOnly: false,
  github: { only: false, sizes: [10, 100, 500] },
  roundTripRepositories: undefined,
};

describe('readBenchFlags', () => {
  it.each<[string, string[], Partial<BenchFlags>]>([
    ['nothing given: every case, at full size', [], {}],
    [
      '--small: the small corpus and one GitHub size',
      ['--small'],
      { small: true, github: { only: false, sizes: [10] } },
    ],
    [
      'the issue corpus from memory: only its runs, the front at real-time priority',
      ['--issue-corpus', '--registry-from-memory', '--repeat=5'],
      { issueCorpus: true, fromMemory: true, frontPriority: 'realtime', repeat: 5, runsOnly: true },
    ],
    [
      'the front at the normal policy, asked for',
      ['--issue-corpus', '--registry-from-memory', '--front-priority=normal'],
      { issueCorpus: true, fromMemory: true, frontPriority: 'normal', runsOnly: true },
    ],
    [
      'Renovate beside it, paths resolved',
      ['--issue-corpus', '--renovate=r/bin/renovate', '--renovate-node=n/node'],
      {
        issueCorpus: true,
        runsOnly: true,
        renovate: { bin: resolve('r/bin/renovate'), node: resolve('n/node') },
      },
    ],
    [
      "Renovate with the bench's own Node",
      ['--issue-corpus', '--renovate=r'],
      { issueCorpus: true, runsOnly: true, renovate: { bin: resolve('r'), node: undefined } },
    ],
    [
      'beside busy processes',
      ['--issue-corpus', '--beside-busy=2'],
      { issueCorpus: true, runsOnly: true, besideBusy: 2 },
    ],
    [
      '--cpu-prof keeps the work folder and runs only the CLI',
      ['--cpu-prof'],
      { cpuProf: true, keep: true, runsOnly: true },
    ],
    ['--runs', ['--runs', '--threads', '--keep'], { runsOnly: true, threads: true, keep: true }],
    ['another Node, resolved', ['--node=bin/node24'], { node: resolve('bin/node24') }],
    ['a concurrency', ['--concurrency=4'], { concurrency: 4 }],
    ['--requests alone: 2,000 a round', ['--requests'], { requests: 2000 }],
    ['--requests with a number', ['--requests=500'], { requests: 500 }],
    [
      '--scan-split',
      ['--scan-split', '--small'],
      { scanSplit: true, small: true, github: { only: false, sizes: [10] } },
    ],
    ['--one-file', ['--one-file'], { oneFileOnly: true }],
    ['--github alone: every size', ['--github'], { github: { only: true, sizes: [10, 100, 500] } }],
    ['--github with sizes', ['--github=10,100'], { github: { only: true, sizes: [10, 100] } }],
    ['--startup', ['--startup'], { only: 'startup' }],
    ['--many-tags', ['--many-tags'], { only: 'many-tags' }],
    [
      '--round-trips with more repositories',
      ['--round-trips', '--round-trip-repositories=300'],
      { only: 'round-trips', roundTripRepositories: 300 },
    ],
    ['--startup goes before the other single figures', ['--round-trips', '--startup'], { only: 'startup' }],
    ['--many-tags before --round-trips', ['--round-trips', '--many-tags'], { only: 'many-tags' }],
  ])('%s', (_name, argv, changed) => {
    expect(readBenchFlags(argv)).toEqual({ ...DEFAULTS, ...changed });
  });

  it.each<[string, string[], string]>([
    [
      '--repeat of none',
      ['--issue-corpus', '--repeat=0'],
      '--repeat: 0 is not a number of rounds from 1 to 50',
    ],
    [
      '--repeat of too many',
      ['--issue-corpus', '--repeat=51'],
      '--repeat: 51 is not a number of rounds from 1 to 50',
    ],
    [
      '--repeat not a number',
      ['--issue-corpus', '--repeat=x'],
      '--repeat: x is not a number of rounds from 1 to 50',
    ],
    [
      '--repeat without the issue corpus',
      ['--repeat=3'],
      '--repeat runs only with --issue-corpus (its runs are alike from round to round)',
    ],
    [
      '--renovate without the issue corpus',
      ['--renovate=r'],
      '--renovate runs only with --issue-corpus (the corpus of the comparison)',
    ],
    [
      '--registry-from-memory without the issue corpus',
      ['--registry-from-memory'],
      '--registry-from-memory runs only with --issue-corpus (its registry never changes)',
    ],
    [
      '--front-priority without the registry from memory',
      ['--issue-corpus', '--front-priority=realtime'],
      '--front-priority runs only with --registry-from-memory',
    ],
    [
      '--beside-busy of none',
      ['--issue-corpus', '--beside-busy=0'],
      '--beside-busy: 0 is not a number of processes from 1 to 16',
    ],
    [
      '--beside-busy without the issue corpus',
      ['--beside-busy'],
      '--beside-busy runs only with --issue-corpus',
    ],
  ])('refuses %s', (_name, argv, message) => {
    expect(readBenchFlags(argv)).toEqual(new Error(message));
  });
});
