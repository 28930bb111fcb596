/**
 * Renovate side by side with the CLI on the issue corpus (issue 17: "at least 1/20 of Renovate's
 * wall time"): `npm run bench -- --issue-corpus --renovate=<renovate's bin>`, optionally with
 * `--renovate-node=<node>` when Renovate needs another Node than the bench's (Renovate 43 and later
 * want Node 24). Renovate is not a dependency of the project: install it outside the repository
 * (docs/performance.md says how it was measured).
 *
 * After the CLI's runs, Renovate runs in the same corpus folder against the same registry behind the
 * same 20 ms front, twice: cold (empty cache folder) and warm (the cache of the cold run). It runs as
 * `--platform=local` (dry run `lookup`: extract, look up, compute the updates, write nothing), with
 * a regex custom manager whose patterns match the corpus's eight image shapes and its alias
 * (scripts/bench/corpus.ts), the docker datasource pointed at the front, and host rules that refuse
 * every other host, so no run can reach past the local registry. Each run's report (`reportType:
 * file`) says which images it found and which updates it proposed; the front's log counts its
 * requests, as it counts the CLI's.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { satisfies } from 'semver';
import type { FrontProxy, FrontRequestKind } from '../../test-support/registry/index.js';
import { BENCH_REGISTRY, type Corpus } from './corpus.js';
import { fmt } from './format.js';
import { KINDS } from './front-settings.js';
import { REGISTRY_SIDE_ROW, registrySideCell, registrySideClock } from './registry-side-cpu.js';
import { underTime } from './timed.js';

/** Where Renovate is and what it runs on. */
export interface RenovateSetup {
  /** Renovate's bin (`node_modules/.bin/renovate` of its install). */
  bin: string;
  /** The Node to run it with; default the bin's own `#!/usr/bin/env node`, so the PATH's. */
  node?: string;
  /** The local registry's process: its CPU time during each run is measured. */
  registryPid?: number;
  /** A cold run with a cache of its own first, to fill the front's memory (--registry-from-memory). */
  prime?: boolean;
}

/** What a run found and proposed, judged by the corpus's annotations. */
export interface Proposals {
  /** Images found, and of those the ones given an update. */
  images: number;
  updates: number;
  /** Updates our rules forbid: in locked or not-automated releases, or past the image's filter. */
  inLockedOrManual: number;
  pastFilter: number;
  /** Images found that are no container of the corpus (0 unless a manager's patterns drift). */
  unmatched: number;
}

/** One measured run, ours or Renovate's. */
export interface ComparedRun {
  name: string;
  wallMs: number;
  /** User + system CPU time (all its threads and children), when /usr/bin/time measured it. */
  cpuMs: number | undefined;
  /** CPU time the local registry and the front spent meanwhile (registry-side-cpu.ts). */
  registrySideCpuMs: number | undefined;
  peakRssKb: number | undefined;
  /** Requests the front saw, by kind. */
  requests: Record<FrontRequestKind, number>;
  /** Repositories whose tags it listed at least once. */
  repositoriesListed: number;
  proposals: Proposals;
}

/** One Renovate run: also the problems it reported (warnings and errors). */
export interface RenovateRun extends ComparedRun {
  problems: string[];
}

/** An image a run found: where, which, at what tag, and the tag it proposed, if any. */
export interface FoundImage {
  file: string;
  repository: string;
  current: string;
  proposed: string | undefined;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The repository config: one regex custom manager for the corpus's image shapes (corpus.ts
 * `imageLines` and the alias `img`/`version` pair), each image looked up with the docker datasource
 * at the front (`registryUrlTemplate`; the image keeps its name as depName), and host rules that
 * refuse every host but the front (Renovate answers a refused host with `host-disabled`, never a
 * request). The managers' patterns run over each whole file (Renovate's regex manager matches
 * across lines).
 */
export function renovateConfig(frontUrl: string, reportPath: string): Record<string, unknown> {
  const host = escape(BENCH_REGISTRY);
  const path = '(?<packageName>[a-z0-9][a-z0-9/_.-]*)';
  const tag = '(?<currentValue>[A-Za-z0-9_][A-Za-z0-9_.-]*)';
  const quotedTag = '"(?<currentValue>[^"\\n]+)"';
  return {
    platform: 'local',
    dryRun: 'lookup',
    onboarding: false,
    requireConfig: 'optional',
    reportType: 'file',
    reportPath,
    enabledManagers: ['custom.regex'],
    customManagers: [
      {
        customType: 'regex',
        managerFilePatterns: ['/(^|/)helmrelease\\.yaml$/'],
        matchStringsStrategy: 'any',
        matchStrings: [
          // image: host/path:tag, repository: host/path:tag (shapes 0, 7)
          `${host}/${path}:${tag}`,
          // image: host/path, then tag: "x" (shapes 1, 4); the alias's img:, then version: "x"
          `${host}/${path}\\n\\s*(?:tag|version): ${quotedTag}`,
          // registry: host, then image: or repository: path:tag (shapes 3, 6)
          `registry: ${host}\\n\\s*(?:image|repository): ${path}:${tag}`,
          // registry: host, then image: or repository: path, then tag: "x" (shapes 2, 5)
          `registry: ${host}\\n\\s*(?:image|repository): ${path}\\n\\s*tag: ${quotedTag}`,
        ],
        depNameTemplate: `${BENCH_REGISTRY}/{{{packageName}}}`,
        datasourceTemplate: 'docker',
        registryUrlTemplate: frontUrl,
      },
    ],
    hostRules: [{ enabled: false }, { matchHost: frontUrl, enabled: true, allowInternal: true }],
  };
}

/** What the report file (`reportType: file`) says, as far as the bench reads it. */
interface RenovateReport {
  problems?: Array<{ level: number; msg: string }>;
  repositories: Record<
    string,
    {
      problems?: Array<{ level: number; msg: string }>;
      packageFiles: Record<
        string,
        Array<{
          packageFile: string;
          deps: Array<{ depName?: string; currentValue?: string; updates?: Array<{ newVersion?: string }> }>;
        }>
      >;
    }
  >;
}

/** Runs a command under /usr/bin/time when there is one; resolves with status, output and the measures. */
function runMeasured(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeFile: string,
): Promise<{ status: number; output: string; wallMs: number }> {
  const [file, argv] = underTime(command, args, timeFile);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      // Before the output is gathered, which is the bench's time, not Renovate's.
      const wallMs = performance.now() - started;
      resolve({ status: code ?? 1, output: Buffer.concat(chunks).toString('utf8'), wallMs });
    });
  });
}

/**
 * The environment Renovate runs with: nothing of the bench's own (no tokens, no npm or Node
 * settings), a home of its own, and its settings.
 */
function renovateEnv(setup: RenovateSetup, dir: string, settings: Record<string, string>): NodeJS.ProcessEnv {
  const path = [setup.node ? dirname(setup.node) : undefined, process.env.PATH].filter(Boolean).join(':');
  return { PATH: path, HOME: join(dir, 'home'), LANG: 'C.UTF-8', ...settings };
}

/** The command that runs Renovate's bin (with the chosen Node, or through its own shebang). */
function renovateCommand(setup: RenovateSetup, args: readonly string[]): [string, string[]] {
  return setup.node ? [setup.node, [setup.bin, ...args]] : [setup.bin, [...args]];
}

/** `renovate --version`. */
export async function renovateVersion(setup: RenovateSetup, dir: string): Promise<string> {
  await mkdir(join(dir, 'home'), { recursive: true });
  const [command, args] = renovateCommand(setup, ['--version']);
  const result = await runMeasured(
    command,
    args,
    dir,
    renovateEnv(setup, dir, {}),
    join(dir, 'time-version.txt'),
  );
  if (result.status !== 0)
    throw new Error(`${setup.bin} --version exited ${result.status}: ${result.output}`);
  return result.output.trim().split('\n').pop()!;
}

/** Sets what a run found against the corpus: which container each image is, and what our rules allow it. */
export function judgeProposals(found: readonly FoundImage[], corpus: Corpus): Proposals {
  const key = (file: string, repository: string, current: string) =>
    `${file}\u0000${repository}\u0000${current}`;
  const containers = new Map<string, Corpus['containers']>();
  for (const c of corpus.containers) {
    const k = key(c.file, c.repository, c.current);
    containers.set(k, [...(containers.get(k) ?? []), c]);
  }
  const counts: Proposals = { images: 0, updates: 0, inLockedOrManual: 0, pastFilter: 0, unmatched: 0 };
  for (const image of found) {
    counts.images += 1;
    if (image.proposed) counts.updates += 1;
    const container = containers.get(key(image.file, image.repository, image.current))?.shift();
    if (!container) counts.unmatched += 1;
    else if (!image.proposed) continue;
    else if (!container.lookedUp) counts.inLockedOrManual += 1;
    else if (container.filter.startsWith('semver:') && !satisfies(image.proposed, container.filter.slice(7)))
      counts.pastFilter += 1;
  }
  return counts;
}

/** The images of Renovate's report and the problems it lists. */
function readReport(report: RenovateReport): { found: FoundImage[]; problems: string[] } {
  const found: FoundImage[] = [];
  const problems = (report.problems ?? []).map((p) => p.msg);
  for (const repository of Object.values(report.repositories)) {
    problems.push(...(repository.problems ?? []).map((p) => p.msg));
    for (const file of Object.values(repository.packageFiles).flat())
      for (const dep of file.deps)
        found.push({
          file: file.packageFile,
          repository: dep.depName ?? '',
          current: dep.currentValue ?? '',
          proposed: dep.updates?.[0]?.newVersion,
        });
  }
  return { found, problems };
}

/** One Renovate run in `corpusDir`, with the cache folder `cacheDir` (empty for a cold run). */
async function runRenovate(
  name: string,
  setup: RenovateSetup,
  corpus: Corpus,
  corpusDir: string,
  dir: string,
  front: FrontProxy,
  cacheDir: string,
): Promise<RenovateRun> {
  const slug = name.replace(/[^a-z0-9]+/gi, '-');
  const configFile = join(dir, 'config.json');
  const reportFile = join(dir, `report-${slug}.json`);
  const timeFile = join(dir, `time-${slug}.txt`);
  await writeFile(configFile, JSON.stringify(renovateConfig(front.url, reportFile), null, 2));
  const env = renovateEnv(setup, dir, {
    RENOVATE_CONFIG_FILE: configFile,
    RENOVATE_BASE_DIR: join(dir, 'base'),
    RENOVATE_CACHE_DIR: cacheDir,
    // Renovate's default; its debug log costs it time the CLI's quiet runs do not pay.
    LOG_LEVEL: 'info',
  });
  const [command, args] = renovateCommand(setup, []);
  front.clearLog();
  const registrySide = await registrySideClock(setup.registryPid);
  const result = await runMeasured(command, args, corpusDir, env, timeFile);
  const registrySideCpuMs = await registrySide();
  await writeFile(join(dir, `out-${slug}.txt`), result.output);
  if (result.status !== 0)
    throw new Error(`Renovate (${name} run) exited ${result.status}\n${result.output.slice(-3000)}`);
  const requests = Object.fromEntries(KINDS.map((k) => [k, front.count(k)])) as Record<
    FrontRequestKind,
    number
  >;
  const listed = new Set(front.log.filter((e) => e.kind === 'tagPage').map((e) => e.path.split('?')[0]));
  let cpuMs: number | undefined;
  let peakRssKb: number | undefined;
  if (existsSync(timeFile)) {
    const measured = (await readFile(timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
    cpuMs = (measured[0]! + measured[1]!) * 1000;
    peakRssKb = measured[2];
  }
  const { found, problems } = readReport(JSON.parse(await readFile(reportFile, 'utf8')) as RenovateReport);
  return {
    name,
    wallMs: result.wallMs,
    cpuMs,
    registrySideCpuMs,
    peakRssKb,
    requests,
    repositoriesListed: listed.size,
    proposals: judgeProposals(found, corpus),
    problems,
  };
}

/** Renovate cold, then warm (the cold run's cache), on the corpus at `corpusDir`. */
export async function benchRenovate(
  setup: RenovateSetup,
  corpus: Corpus,
  corpusDir: string,
  work: string,
  front: FrontProxy,
  log: (message: string) => void,
): Promise<{ version: string; runs: RenovateRun[] }> {
  const dir = join(work, 'renovate');
  await mkdir(join(dir, 'home'), { recursive: true });
  const version = await renovateVersion(setup, dir);
  const cacheDir = join(dir, 'cache');
  const runs: RenovateRun[] = [];
  if (setup.prime) {
    log(`Renovate ${version}: priming run (the front remembers the answers)`);
    await runRenovate('Renovate priming', setup, corpus, corpusDir, dir, front, join(dir, 'priming-cache'));
  }
  log(`Renovate ${version}: cold run`);
  runs.push(await runRenovate('Renovate cold', setup, corpus, corpusDir, dir, front, cacheDir));
  log(`Renovate ${version}: warm run`);
  runs.push(await runRenovate('Renovate warm', setup, corpus, corpusDir, dir, front, cacheDir));
  return { version, runs };
}

/** `0.043 (1/23)`: a fraction and its inverse. */
const fraction = (a: number, b: number): string => `${(a / b).toFixed(3)} (1/${(b / a).toFixed(1)})`;

/** The side-by-side table and one line per pair of runs: our wall time as a fraction of Renovate's. */
export function renderRenovate(
  version: string,
  ours: readonly ComparedRun[],
  renovate: readonly RenovateRun[],
  corpus: Corpus,
): string {
  const runs = [...ours, ...renovate];
  const columns = runs.map((r) => r.name);
  const rows: string[][] = [];
  const add = (label: string, cell: (r: ComparedRun) => string) => rows.push([label, ...runs.map(cell)]);
  const total = (r: ComparedRun) => KINDS.reduce((n, k) => n + r.requests[k], 0);
  add('wall time', (r) => `${fmt(r.wallMs)} ms`);
  add('CPU time (user + system)', (r) => (r.cpuMs === undefined ? '-' : `${fmt(r.cpuMs)} ms`));
  add('peak RSS', (r) => (r.peakRssKb === undefined ? '-' : `${fmt(r.peakRssKb / 1024, 1)} MB`));
  add(REGISTRY_SIDE_ROW, registrySideCell);
  add('requests seen by the front', (r) => fmt(total(r)));
  const kinds: Array<[string, FrontRequestKind]> = [
    ['tag lists (GET tags/list)', 'tagPage'],
    ['HEAD manifest', 'headManifest'],
    ['GET manifest', 'getManifest'],
    ['GET blob', 'getBlob'],
    ['GET /v2/', 'ping'],
    ['other', 'other'],
  ];
  for (const [label, k] of kinds) add(`  ${label}`, (r) => fmt(r.requests[k]));
  add('repositories listed', (r) => fmt(r.repositoriesListed));
  add('images found / updates proposed', (r) => `${fmt(r.proposals.images)} / ${fmt(r.proposals.updates)}`);
  add('  updates in locked or not-automated releases', (r) => fmt(r.proposals.inLockedOrManual));
  add("  updates past the image's semver filter", (r) => fmt(r.proposals.pastFilter));

  const widths = columns.map((c) => c.length);
  const labelWidth = Math.max(...rows.map((r) => r[0]!.length));
  rows.forEach((row) => row.slice(1).forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length))));
  const line = (row: readonly string[]) =>
    `| ${row[0]!.padEnd(labelWidth)} | ${row
      .slice(1)
      .map((cell, i) => cell.padStart(widths[i]!))
      .join(' | ')} |`;
  const sep = `|${'-'.repeat(labelWidth + 2)}|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`;
  const listedByUs = new Set(corpus.containers.filter((c) => c.lookedUp).map((c) => c.repository)).size;
  // Cold with cold, warm with warm (our first warm run; Renovate's warm run reads its label cache).
  const pairs = [
    [ours[0], renovate[0]],
    [ours[1], renovate[1]],
  ] as const;
  const unlike = runs.filter(
    (r) => r.proposals.unmatched > 0 || r.proposals.images !== corpus.containers.length,
  );
  return [
    `Renovate ${version} side by side (issue corpus: ${fmt(corpus.containers.length)} images in ` +
      `${fmt(corpus.files.size)} files, ${fmt(listedByUs)} repositories; Renovate --platform=local, dry run ` +
      `lookup, a regex manager, the docker datasource at the same 20 ms front):`,
    '',
    line(['', ...columns]),
    sep,
    ...rows.map(line),
    '',
    ...pairs.map(
      ([our, theirs]) =>
        `${our!.name} / ${theirs!.name}: wall ${fraction(our!.wallMs, theirs!.wallMs)} (target <= 1/20)` +
        (our!.cpuMs !== undefined && theirs!.cpuMs !== undefined
          ? `, CPU ${fraction(our!.cpuMs, theirs!.cpuMs)}`
          : ''),
    ),
    ...unlike.map(
      (r) =>
        `WARNING: ${r.name} found ${fmt(r.proposals.images)} images, the corpus has ` +
        `${fmt(corpus.containers.length)} (${fmt(r.proposals.unmatched)} found are none of them): ` +
        'the runs did not do the same work',
    ),
    ...renovate
      .filter((r) => r.problems.length > 0)
      .map((r) => `${r.name} reported: ${[...new Set(r.problems)].join('; ')}`),
    '',
  ].join('\n');
}
