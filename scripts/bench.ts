/**
 * `npm run bench [-- --small] [-- --one-file]`: the benchmark of issue 7.
 *
 * Generates a deterministic GitOps corpus (scripts/bench/corpus.ts), starts the real registry
 * (distribution, open mode) behind the latency-injecting front proxy (20 ms per request, tag pages
 * of 100), seeds it (not measured), then runs the built CLI (`dist/cli.js`) in dry-run with the
 * Action's defaults (`tag-digest-max-age` 24h, where the CLI's own default is 0) four times: cold
 * (empty digest cache), warm (cache from the cold run), warm again asking about every tag
 * (`tag-digest-max-age` 0), and after 10 new tags were pushed. Prints one table with the requests made against the computed minimum, the phase times
 * against the latency floor, peak RSS, and the scan time against a yaml-only parse of the
 * HelmRelease documents.
 *
 * Also times the many-updates-in-one-file case in process (scripts/bench/one-file.ts; `--one-file`
 * runs only that), and the many-tags case: the CLI with a glob filter over 1,000,000 tags of a
 * synthetic registry, for its peak RSS and time (scripts/bench/many-tags.ts; 20,000 tags with
 * `--small`; `--many-tags` runs only that).
 *
 * The GitHub phase (scripts/bench/github.ts) runs the pull request writer against the in-process
 * GitHub stand-in with 10, 100 and 500 open pull requests (10 with `--small`; `--github[=10,100]`
 * runs only that). `--startup` prints only the bundle's load time. `--runs` runs only the four CLI
 * runs; `--cpu-prof` also writes each run's CPU profile into the work folder, which it keeps.
 * `--issue-corpus` runs the CLI on the corpus of issue 17's comparison instead (1,000 HelmReleases,
 * 300 repositories, semver filters only: 300 tag listings a run), cold and warm twice, and prints
 * each run's wall time against its floor. `--scan-split` prints only where the scan's time goes, in
 * process (scripts/bench/scan-split.ts; with `--small` or `--issue-corpus` for those corpora).
 * `--issue-corpus --renovate=<renovate's bin> [--renovate-node=<node>]` then runs Renovate on the
 * same corpus and registry, cold and warm, and prints our wall time as a fraction of its
 * (scripts/bench/renovate.ts). `--requests[=2000]` prints only the CPU one tag-list request costs the
 * registry client and HttpClient, in process against an instant local server (scripts/bench/requests.ts).
 *
 * `--node=<node binary>` runs the CLI, its startup figure and the yaml-only parse with that Node
 * instead of the bench's own: the machine's Node may not be one users run (the Action runs on Node
 * 24, the CLI asks for 22.13 or 24 and later), and the JIT differs from version to version.
 *
 * Exits non-zero only when something broke (registry, seeding, the CLI); it checks no figures.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  seedMany,
  startFrontProxy,
  startRegistry,
  type FrontProxy,
  type FrontRequestKind,
  type RegistryServer,
  type SeedImageOptions,
} from '../test-support/registry/index.js';
import { DEFAULTS } from '../src/settings.js';
import { DEFAULT_MAX_TAGS_DESCRIBED } from '../src/registry/tag-cap.js';
import {
  BENCH_REGISTRY,
  FULL_SIZE,
  ISSUE_SIZE,
  SMALL_SIZE,
  filterMatches,
  generateCorpus,
  writeCorpus,
  type BenchContainer,
  type BenchRepository,
  type Corpus,
} from './bench/corpus.js';
import { benchGitHub, renderGitHub } from './bench/github.js';
import { benchManyTags, renderManyTags } from './bench/many-tags.js';
import { benchOneFile, renderOneFile } from './bench/one-file.js';
import {
  benchRenovate,
  judgeProposals,
  renderRenovate,
  type ComparedRun,
  type RenovateSetup,
} from './bench/renovate.js';
import { benchRequests, renderRequests } from './bench/requests.js';
import { benchScanSplit, renderScanSplit } from './bench/scan-split.js';

const LATENCY_MS = 20;
const PAGE_SIZE = 100;
const NEW_TAGS = 10;
/** Rounds of `--requests`, after a warm-up round. */
const REQUEST_ROUNDS = 7;
/** The CLI's bound on tags asked about per repository per run (src/registry/tag-cap.ts). */
const MAX_TAGS_DESCRIBED = DEFAULT_MAX_TAGS_DESCRIBED;
const ROOT = resolve(import.meta.dirname, '..');
const BUILT_CLI = join(ROOT, 'dist', 'cli.js');
/** The bench runs a copy of the built CLI, so a rebuild of dist/ meanwhile cannot break a run. */
let CLI = BUILT_CLI;
/** The Node that runs the CLI, its startup figure and the yaml-only parse (`--node=`). */
let NODE = process.execPath;
/** Node flags for the CLI runs: `--cpu-prof` writes each run's profile into the work folder. */
let cliNodeFlags: (name: string, work: string) => string[] = () => [];

/** What the CLI writes with --stats-file. */
interface CliStats {
  counts: { files: number; scanned: number; releases: number; containers: number; repositories: number };
  timings: { scan: number; registry: number; plan: number; pullRequests: number };
  requests: Record<string, number>;
  trustedTagDigests: number;
}

/** One measured CLI run. */
interface RunResult {
  name: string;
  wallMs: number;
  peakRssKb: number;
  /** User + system CPU time of the CLI process (all its threads), when /usr/bin/time measured it. */
  cpuMs: number | undefined;
  stats: CliStats;
  proxy: Record<FrontRequestKind, number>;
  minimum: Minimum;
  concurrency: number;
}

/** The requests a run cannot do without. */
interface Minimum {
  tagPage: number;
  token: number;
  headManifest: number;
  getManifest: number;
  getBlob: number;
  total: number;
}

const KINDS: FrontRequestKind[] = ['tagPage', 'headManifest', 'getManifest', 'getBlob', 'ping', 'other'];

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Seeds the registry: digests of every (repository, tag) come back for the minimum computation. */
async function seed(registry: RegistryServer, repositories: readonly BenchRepository[]) {
  const digests = new Map<string, string>();
  /** The build time of each `path:tag`, for the order the CLI asks about cached tags past its bound. */
  const createdOf = new Map<string, number>();
  const images: Array<{ key: string[]; options: SeedImageOptions }> = [];
  const base = Date.parse('2024-01-01T00:00:00Z');
  for (const repo of repositories) {
    // Tags no time-ordered filter can pick share one image: one manifest PUT per extra tag.
    const shared = repo.tags.filter((t) => !repo.timeOrdered || !/^(main|build)-/.test(t));
    if (shared.length) {
      images.push({
        key: shared.map((t) => `${repo.path}:${t}`),
        options: {
          path: repo.path,
          tags: shared,
          created: new Date(base).toISOString(),
          labels: { 'bench.repository': repo.path },
        },
      });
    }
    repo.tags
      .filter((t) => !shared.includes(t))
      .forEach((tag, i) =>
        images.push({
          key: [`${repo.path}:${tag}`],
          options: {
            path: repo.path,
            tags: [tag],
            created: new Date(base + (i + 1) * 60_000).toISOString(),
            labels: { 'bench.repository': repo.path, 'bench.tag': tag },
          },
        }),
      );
  }
  const started = Date.now();
  const seeded = await seedMany(
    registry,
    images.map((i) => i.options),
    16,
  );
  seeded.forEach((s, i) =>
    images[i]!.key.forEach((k) => {
      digests.set(k, s.digest);
      createdOf.set(k, Date.parse(images[i]!.options.created!));
    }),
  );
  log(
    `seeded ${images.length} images, ${digests.size} tags in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { digests, createdOf };
}

/** What earlier runs left in the digest cache, as far as the minimum is concerned. */
interface Known {
  /** Digests whose details are cached. */
  digests: ReadonlySet<string>;
  /** `path:tag`s whose digest (and its details) the cache holds, trusted or not. */
  cachedTags: ReadonlySet<string>;
  /** `path:tag`s whose digest is cached and still trusted (empty when the run asks about every tag). */
  trustedTags: ReadonlySet<string>;
}

const NOTHING_KNOWN: Known = { digests: new Set(), cachedTags: new Set(), trustedTags: new Set() };

/**
 * The tags of each looked-up repository that a glob/regex filter needs described, in the order the
 * CLI asks for them (`detailsNeeded`: current tags first, then each filter's candidates newest name
 * first). The order matters only past the cap on tags described per run; the corpus has one
 * filter per such repository, so the CLI's file order and the corpus's container order agree.
 */
function neededTagsByRepository(
  corpus: Corpus,
  tagsOf: ReadonlyMap<string, readonly string[]>,
): { listed: Set<string>; needed: Map<string, string[]> } {
  const listed = new Set<string>();
  const timed = new Map<string, BenchContainer[]>();
  for (const c of corpus.containers) {
    if (!c.lookedUp) continue;
    const path = c.repository.slice(BENCH_REGISTRY.length + 1);
    listed.add(path);
    if (c.filter.startsWith('semver:')) continue;
    timed.set(path, [...(timed.get(path) ?? []), c]);
  }
  const needed = new Map<string, string[]>();
  for (const [path, containers] of timed) {
    const tags = tagsOf.get(path) ?? [];
    const ordered = new Set<string>();
    for (const c of containers) if (tags.includes(c.current)) ordered.add(`${path}:${c.current}`);
    for (const c of containers)
      for (const tag of [...tags].reverse())
        if (filterMatches(c.filter, tag) && tag !== 'latest') ordered.add(`${path}:${tag}`);
    needed.set(path, [...ordered]);
  }
  return { listed, needed };
}

/**
 * The minimum requests for one run, and what the digest cache knows after it: one listing chain per
 * repository a looked-up container uses (ceil(tags / page size) pages), one HEAD per tag a
 * glob/regex filter needs (tag -> digest) unless the cache still trusts its digest, one manifest
 * GET and one config blob GET per needed digest not already known, no token (open mode).
 *
 * Within the CLI's bound of `maxTagsDescribed` (1,000) tags asked about per repository per run
 * (src/registry/tag-cap.ts): past it, the tags the cache knows nothing about are asked first (in
 * the order above, up to the bound), then the cached ones newest build first; the cached ones left
 * over are answered from the cache without a request, and unknown ones left over wait for a later
 * run. So a repository with 3,000 needed tags costs 1,000 HEADs, manifests and blobs per run until
 * the cache holds all of them, and not 3,000 at once.
 */
function computeMinimum(
  corpus: Corpus,
  tagsOf: ReadonlyMap<string, readonly string[]>,
  digests: ReadonlyMap<string, string>,
  createdOf: ReadonlyMap<string, number>,
  known: Known,
): { minimum: Minimum; after: Known } {
  const { listed, needed } = neededTagsByRepository(corpus, tagsOf);
  let tagPage = 0;
  for (const path of listed) tagPage += Math.max(1, Math.ceil((tagsOf.get(path)?.length ?? 0) / PAGE_SIZE));
  const asked: string[] = [];
  for (const tags of needed.values()) {
    if (tags.length <= MAX_TAGS_DESCRIBED) {
      asked.push(...tags);
      continue;
    }
    const unknown = tags.filter((t) => !known.cachedTags.has(t));
    const cached = tags
      .filter((t) => known.cachedTags.has(t))
      .sort((a, b) => (createdOf.get(b) ?? 0) - (createdOf.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    const first = unknown.slice(0, MAX_TAGS_DESCRIBED);
    asked.push(...first, ...cached.slice(0, MAX_TAGS_DESCRIBED - first.length));
  }
  const neededDigests = new Set(asked.map((k) => digests.get(k)!));
  const unknownDigests = [...neededDigests].filter((d) => !known.digests.has(d)).length;
  const minimum = {
    tagPage,
    token: 0,
    headManifest: asked.filter((t) => !known.trustedTags.has(t)).length,
    getManifest: unknownDigests,
    getBlob: unknownDigests,
    total: 0,
  };
  minimum.total = minimum.tagPage + minimum.headManifest + minimum.getManifest + minimum.getBlob;
  // Every tag asked about is confirmed (so trusted by the runs of the next hour) and cached.
  const after: Known = {
    digests: new Set([...known.digests, ...neededDigests]),
    cachedTags: new Set([...known.cachedTags, ...asked]),
    trustedTags: new Set([...known.trustedTags, ...asked]),
  };
  return { minimum, after };
}

/** Runs a command; resolves with its exit status. */
function run(
  command: string,
  args: readonly string[],
  stdoutFile?: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', async (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (stdoutFile) await writeFile(stdoutFile, stdout);
      resolvePromise({ status: code ?? 1, stdout, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Runs the CLI once under /usr/bin/time (peak RSS) and collects its stats and the proxy's log. */
async function runCli(
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
  const cliArgs = [
    ...cliNodeFlags(name, work),
    CLI,
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
  const useTime = existsSync('/usr/bin/time');
  front.clearLog();
  const started = performance.now();
  const result = useTime
    ? await run(
        '/usr/bin/time',
        ['-f', '%U %S %M', '-o', timeFile, NODE, ...cliArgs],
        join(work, `out-${name}.json`),
      )
    : await runPolled(cliArgs, join(work, `out-${name}.json`), timeFile);
  const wallMs = performance.now() - started;
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
  return { name, wallMs, peakRssKb, cpuMs, stats, proxy, minimum, concurrency };
}

/** Without /usr/bin/time: poll VmHWM of the child. */
async function runPolled(cliArgs: readonly string[], stdoutFile: string, rssFile: string) {
  const child = spawn(NODE, cliArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
  clearInterval(timer);
  const stdout = Buffer.concat(out).toString('utf8');
  await writeFile(stdoutFile, stdout);
  await writeFile(rssFile, String(peak));
  return { status, stdout, stderr: Buffer.concat(err).toString('utf8') };
}

/** The bundle's load time: `node cli.js --version` against `node -e ''`, median of five each. */
interface Startup {
  cliMs: number;
  nodeMs: number;
  /** `node --version` of the Node that ran them (and the CLI). */
  nodeVersion: string;
}

async function measureStartup(): Promise<Startup> {
  const median = async (args: readonly string[]): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      const r = await run(NODE, args);
      times.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    return times.sort((a, b) => a - b)[2]!;
  };
  const nodeVersion = (await run(NODE, ['--version'])).stdout.trim();
  return { cliMs: await median([CLI, '--version']), nodeMs: await median(['-e', '']), nodeVersion };
}

function renderStartup(startup: Startup): string {
  return (
    `startup: node cli.js --version ${fmt(startup.cliMs)} ms, node -e '' ${fmt(startup.nodeMs)} ms: ` +
    `the bundle loads in ${fmt(startup.cliMs - startup.nodeMs)} ms (median of five, Node ${startup.nodeVersion})\n`
  );
}

/** The yaml-only parse of the HelmRelease documents, with the package's defaults and with the CLI's options. */
interface ParseBaseline {
  /** `parseAllDocuments(text)`: YAML 1.2 core schema, the package's own (quadratic) duplicate-key check. */
  defaultsMs: number;
  /**
   * With the options the CLI parses with (src/helmrelease/go-yaml-documents.ts: YAML 1.1, failsafe
   * schema, no duplicate-key check, a line counter): the parse the CLI cannot do without, so the floor.
   */
  cliOptionsMs: number;
  /** CPU time of that parse (what load from other work changes least). */
  cliOptionsCpuMs: number;
}

/**
 * The yaml-only baseline: a fresh Node process (cold JIT, like the CLI) that parses just the
 * HelmRelease documents with the `yaml` package, as the bundles run it, and reports the parse time.
 * Median of three.
 */
async function yamlBaseline(corpus: Corpus, work: string): Promise<ParseBaseline> {
  const docsFile = join(work, 'helmrelease-documents.json');
  await writeFile(docsFile, JSON.stringify(corpus.helmReleaseDocuments));
  /** Medians of three of the parse's wall and CPU time. */
  const median = async (options: string): Promise<{ wallMs: number; cpuMs: number }> => {
    // The package reads process.env.LOG_TOKENS for every token, a call into the runtime; the bundles
    // read none (scripts/bundle-patches.mjs). A plain object in its place costs what the bundles'
    // constant does (cold parse of the issue corpus, three runs each: 830-860 ms either way against
    // 930-1,140 ms), so the floor is the parse the CLI does, not one that flatters it.
    const script = `
      process.env = { ...process.env };
      const { readFileSync } = await import('node:fs');
      const { LineCounter, parseAllDocuments } = await import('yaml');
      const docs = JSON.parse(readFileSync(${JSON.stringify(docsFile)}, 'utf8'));
      const t = performance.now();
      const cpu = process.cpuUsage();
      let n = 0;
      for (const d of docs) n += parseAllDocuments(d, ${options}).length;
      const used = process.cpuUsage(cpu);
      process.stdout.write(JSON.stringify([performance.now() - t, (used.user + used.system) / 1000]));
    `;
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const r = await run(NODE, ['--input-type=module', '-e', script]);
      if (r.status !== 0) throw new Error(`yaml baseline failed: ${r.stderr}`);
      const [wall, cpu] = JSON.parse(r.stdout) as [number, number];
      walls.push(wall);
      cpus.push(cpu);
    }
    const middle = (values: number[]) => values.sort((a, b) => a - b)[1]!;
    return { wallMs: middle(walls), cpuMs: middle(cpus) };
  };
  const defaults = await median('{}');
  const cli = await median(
    "{ version: '1.1', schema: 'failsafe', uniqueKeys: false, lineCounter: new LineCounter() }",
  );
  return { defaultsMs: defaults.wallMs, cliOptionsMs: cli.wallMs, cliOptionsCpuMs: cli.cpuMs };
}

/**
 * What one request really costs here: HEADs of one tag through the front, one at a time and at
 * the CLI's concurrency. The local registry's own service time (distribution's filesystem driver
 * on this machine's cores) comes on top of the injected latency, so the bench also shows the
 * registry phase against `requests x measured time / concurrency`.
 */
async function calibrate(
  front: FrontProxy,
  path: string,
  tag: string,
  concurrency: number,
  longest: BenchRepository,
) {
  const url = `${front.url}/v2/${path}/manifests/${tag}`;
  const accept = 'application/vnd.docker.distribution.manifest.v2+json';
  const measure = async (c: number, n: number): Promise<number> => {
    let next = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (next++ < n) await (await fetch(url, { method: 'HEAD', headers: { accept } })).arrayBuffer();
      }),
    );
    return ((performance.now() - t) * c) / n;
  };
  await measure(concurrency, 2 * concurrency); // warm the connections
  const sequential = await measure(1, 50);
  const parallel = await measure(concurrency, 50 * concurrency);
  // The longest listing is a chain: each page names the next, so its pages cannot overlap, and
  // each costs the registry a read of the whole tag list (distribution pages a full listing).
  const pages = Math.ceil(longest.tags.length / PAGE_SIZE);
  const middle = [...longest.tags].sort()[Math.floor(longest.tags.length / 2)]!;
  const pageUrl = `${front.url}/v2/${longest.path}/tags/list?n=${PAGE_SIZE}&last=${encodeURIComponent(middle)}`;
  const t = performance.now();
  for (let i = 0; i < 10; i += 1) await (await fetch(pageUrl)).arrayBuffer();
  const chainPage = (performance.now() - t) / 10;
  front.clearLog();
  return { sequential, parallel, chain: { pages, pageMs: chainPage } };
}

/** One of our runs as the comparison with Renovate shows it: its output and the front's log, read back. */
async function ourRunForComparison(r: RunResult, work: string, corpus: Corpus): Promise<ComparedRun> {
  const output = JSON.parse(await readFile(join(work, `out-${r.name}.json`), 'utf8')) as {
    containers: Array<{ file: string; repository: string; current: string; decision: string; to?: string }>;
  };
  const proxyLog = JSON.parse(
    await readFile(join(work, `proxy-${r.name.replace(/[^a-z0-9]+/gi, '-')}.json`), 'utf8'),
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
    peakRssKb: r.peakRssKb,
    requests: r.proxy,
    repositoriesListed: listed.size,
    proposals: judgeProposals(found, corpus),
  };
}

/** The requests a run made, as the CLI counted them. */
function requestsMade(r: RunResult): number {
  const req = r.stats.requests;
  return req.tagPage! + req.token! + req.headManifest! + req.getManifest! + req.getBlob! + req.other!;
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const ratio = (a: number, b: number): string => (b === 0 ? (a === 0 ? '1.00' : 'inf') : (a / b).toFixed(2));

/** Renders the one table. */
function renderTable(
  size: string,
  corpus: Corpus,
  runs: readonly RunResult[],
  baseline: ParseBaseline,
  roundTrip: Awaited<ReturnType<typeof calibrate>>,
  startup: Startup,
): string {
  const first = runs[0]!.stats.counts;
  const rows: Array<[string, ...string[]]> = [];
  const add = (label: string, f: (r: RunResult) => string) => rows.push([label, ...runs.map(f)]);
  const req = (r: RunResult) => r.stats.requests;
  const made = requestsMade;
  add('requests: tag pages', (r) => `${fmt(req(r).tagPage!)} (min ${fmt(r.minimum.tagPage)})`);
  add('requests: token', (r) => `${fmt(req(r).token!)} (min ${fmt(r.minimum.token)})`);
  add('requests: HEAD manifest', (r) => `${fmt(req(r).headManifest!)} (min ${fmt(r.minimum.headManifest)})`);
  add('requests: GET manifest', (r) => `${fmt(req(r).getManifest!)} (min ${fmt(r.minimum.getManifest)})`);
  add('requests: GET blob', (r) => `${fmt(req(r).getBlob!)} (min ${fmt(r.minimum.getBlob)})`);
  add('tag digests trusted from the cache', (r) => fmt(r.stats.trustedTagDigests));
  add('requests: other/retries/redirects', (r) => `${req(r).other}/${req(r).retries}/${req(r).redirects}`);
  add('requests: total made / minimum', (r) => `${fmt(made(r))} / ${fmt(r.minimum.total)}`);
  add('requests: ratio made/minimum', (r) => ratio(made(r), r.minimum.total));
  add('requests seen by the proxy', (r) => fmt(KINDS.reduce((n, k) => n + r.proxy[k], 0)));
  add('wall time (process)', (r) => `${fmt(r.wallMs)} ms`);
  add('  scan', (r) => `${fmt(r.stats.timings.scan)} ms`);
  add('  registry', (r) => `${fmt(r.stats.timings.registry)} ms`);
  add('  planning', (r) => `${fmt(r.stats.timings.plan)} ms`);
  add(
    '  startup, output, cache file',
    (r) => `${fmt(r.wallMs - r.stats.timings.scan - r.stats.timings.registry - r.stats.timings.plan)} ms`,
  );
  add('warm/cold wall time', (r) => ratio(r.wallMs, runs[0]!.wallMs));
  add(
    `floor: requests x ${LATENCY_MS} ms / concurrency`,
    (r) => `${fmt((made(r) * LATENCY_MS) / r.concurrency)} ms (c=${r.concurrency})`,
  );
  add('registry phase / floor', (r) =>
    ratio(r.stats.timings.registry, (made(r) * LATENCY_MS) / r.concurrency),
  );
  add(
    `measured floor: requests x ${roundTrip.parallel.toFixed(1)} ms / concurrency`,
    (r) => `${fmt((made(r) * roundTrip.parallel) / r.concurrency)} ms`,
  );
  add('registry phase / measured floor', (r) =>
    ratio(r.stats.timings.registry, (made(r) * roundTrip.parallel) / r.concurrency),
  );
  const chainMs = roundTrip.chain.pages * roundTrip.chain.pageMs;
  add(
    `longest chain: ${roundTrip.chain.pages} pages x ${roundTrip.chain.pageMs.toFixed(1)} ms`,
    () => `${fmt(chainMs)} ms`,
  );
  add('registry phase / max(measured floor, chain)', (r) =>
    ratio(r.stats.timings.registry, Math.max((made(r) * roundTrip.parallel) / r.concurrency, chainMs)),
  );
  // The floor's parse is the one the CLI must do, with its own options (see ParseBaseline).
  const baselineMs = baseline.cliOptionsMs;
  add('scan / yaml-only parse', (r) => ratio(r.stats.timings.scan, baselineMs));
  // The run's floor: the registry phase at the injected latency overlapped with the parse of the
  // HelmRelease documents, whichever is longer (issue 17's target: wall <= 1.3 x floor).
  const floorOf = (r: RunResult) => Math.max((made(r) * LATENCY_MS) / r.concurrency, baselineMs);
  add('floor: max(registry floor, yaml-only parse)', (r) => `${fmt(floorOf(r))} ms`);
  add('wall time / floor (target <= 1.3)', (r) => ratio(r.wallMs, floorOf(r)));
  add('wall time less startup / floor', (r) => ratio(r.wallMs - startup.cliMs, floorOf(r)));
  // The same with each request at what it was measured to cost here: the local registry and the
  // front proxy answer from the same cores as the CLI, so 20 ms is a floor this machine cannot reach.
  const machineFloorOf = (r: RunResult) =>
    Math.max((made(r) * roundTrip.parallel) / r.concurrency, chainMs, baselineMs);
  add('floor here: max(measured registry floor, chain, parse)', (r) => `${fmt(machineFloorOf(r))} ms`);
  add('wall time / floor here', (r) => ratio(r.wallMs, machineFloorOf(r)));
  // CPU time is what load from other work on the machine changes least (wall times can be several
  // times it); set against the CPU time of the parse.
  add('CPU time of the CLI (user + system)', (r) => (r.cpuMs === undefined ? '-' : `${fmt(r.cpuMs)} ms`));
  add('CPU time / parse CPU time', (r) =>
    r.cpuMs === undefined ? '-' : ratio(r.cpuMs, baseline.cliOptionsCpuMs),
  );
  add('peak RSS', (r) => `${fmt(r.peakRssKb / 1024, 1)} MB`);

  const widths = [0, ...runs.map(() => 0)];
  const header: [string, ...string[]] = ['', ...runs.map((r) => r.name)];
  for (const row of [header, ...rows])
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const timeOrdered = corpus.repositories.filter((r) => r.timeOrdered).length;
  return [
    `Benchmark (${size}): ${fmt(first.files)} files, ${fmt(first.releases)} HelmReleases in ${fmt(first.scanned)} files, ` +
      `${fmt(first.containers)} containers, ${fmt(first.repositories)} repositories looked up ` +
      `(${fmt(corpus.repositories.length)} in the registry, ${timeOrdered} read by glob/regex filters, ` +
      `largest ${fmt(Math.max(...corpus.repositories.map((r) => r.tags.length)))} tags); ` +
      `one HEAD through the front takes ${roundTrip.sequential.toFixed(1)} ms alone and ` +
      `${roundTrip.parallel.toFixed(1)} ms per request at concurrency ${runs[0]!.concurrency}; ` +
      `latency ${LATENCY_MS} ms per request, tag pages of ${PAGE_SIZE}; yaml-only parse of the HelmRelease documents ${fmt(baselineMs)} ms with the CLI's options ` +
      `(${fmt(baseline.cliOptionsCpuMs)} ms of CPU; ${fmt(baseline.defaultsMs)} ms with the package's defaults); ` +
      `startup (node cli.js --version) ${fmt(startup.cliMs)} ms against ${fmt(startup.nodeMs)} ms for node alone; ` +
      `the CLI runs on Node ${startup.nodeVersion}`,
    '',
    line(header),
    sep,
    ...rows.map(line),
    '',
  ].join('\n');
}

/**
 * The issue's figures in one line per run: wall time against its floor, max(registry floor,
 * yaml-only parse), and the same less startup (the floor counts no Node start).
 */
function renderIssueSummary(runs: readonly RunResult[], baseline: ParseBaseline): string {
  return runs
    .map((r) => {
      const registryFloor = (requestsMade(r) * LATENCY_MS) / r.concurrency;
      const floor = Math.max(registryFloor, baseline.cliOptionsMs);
      return (
        `${r.name}: wall ${fmt(r.wallMs)} ms, floor ${fmt(floor)} ms (registry ${fmt(registryFloor)} ms, ` +
        `parse ${fmt(baseline.cliOptionsMs)} ms): wall / floor ${ratio(r.wallMs, floor)} (target <= 1.3); ` +
        `CPU ${r.cpuMs === undefined ? '-' : `${fmt(r.cpuMs)} ms`}`
      );
    })
    .join('\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const small = argv.includes('--small');
  const concurrencyArg = argv.find((a) => a.startsWith('--concurrency='));
  const concurrency = concurrencyArg ? Number(concurrencyArg.split('=')[1]) : 8;
  const cpuProf = argv.includes('--cpu-prof');
  const nodeArg = argv.find((a) => a.startsWith('--node='))?.slice('--node='.length);
  if (nodeArg !== undefined) {
    NODE = resolve(nodeArg);
    if (!existsSync(NODE)) {
      log(`--node: ${NODE} does not exist`);
      return 1;
    }
  }
  const keep = argv.includes('--keep') || cpuProf;
  // Only the four CLI runs (and the startup figure they are set against): for profiling and
  // before/after figures without the minutes of the other cases.
  // The corpus of issue 17's comparison with Renovate: only its CLI runs.
  const issueCorpus = argv.includes('--issue-corpus');
  const renovateBin = argv.find((a) => a.startsWith('--renovate='))?.slice('--renovate='.length);
  const renovateNode = argv.find((a) => a.startsWith('--renovate-node='))?.slice('--renovate-node='.length);
  const renovate: RenovateSetup | undefined = renovateBin
    ? { bin: resolve(renovateBin), node: renovateNode && resolve(renovateNode) }
    : undefined;
  if (renovate && !issueCorpus) {
    log('--renovate runs only with --issue-corpus (the corpus of the comparison)');
    return 1;
  }
  if (renovate && !existsSync(renovate.bin)) {
    log(`--renovate: ${renovate.bin} does not exist`);
    return 1;
  }
  const requestsArg = argv.find((a) => a === '--requests' || a.startsWith('--requests='));
  if (requestsArg) {
    const requests = requestsArg.includes('=') ? Number(requestsArg.split('=')[1]) : 2000;
    log(`CPU per request: ${requests} tag-list requests a round, ${REQUEST_ROUNDS} rounds`);
    process.stdout.write(renderRequests(await benchRequests(requests, REQUEST_ROUNDS)));
    return 0;
  }
  if (argv.includes('--scan-split')) {
    const [size, name] = issueCorpus
      ? [ISSUE_SIZE, 'issue']
      : small
        ? [SMALL_SIZE, 'small']
        : [FULL_SIZE, 'full'];
    log(`scan split (${name} corpus)`);
    process.stdout.write(renderScanSplit(await benchScanSplit(size, name)));
    return 0;
  }
  const runsOnly = argv.includes('--runs') || cpuProf || issueCorpus;
  // `--startup` and `--many-tags` print one figure each: none of the in-process cases before it.
  const oneFigure = argv.includes('--startup') || argv.includes('--many-tags');
  // In process and first, before the registry and the CLI runs load the machine.
  if (!runsOnly && !oneFigure) log('5,000 updates in one file');
  const oneFile = runsOnly || oneFigure ? '' : renderOneFile(benchOneFile(small ? 500 : 5000));
  if (argv.includes('--one-file')) {
    process.stdout.write(oneFile);
    return 0;
  }
  // In process too: the pull request writer against the GitHub stand-in. `--github=10,100` picks N.
  const githubArg = argv.find((a) => a.startsWith('--github'));
  const githubSizes = githubArg?.includes('=')
    ? githubArg.split('=')[1]!.split(',').map(Number)
    : small
      ? [10]
      : [10, 100, 500];
  const github = runsOnly || oneFigure ? '' : renderGitHub(await benchGitHub(githubSizes, log));
  if (githubArg) {
    process.stdout.write(github);
    return 0;
  }
  if (!existsSync(BUILT_CLI)) {
    log(`${BUILT_CLI} is missing; run npm run build first`);
    return 1;
  }
  const size = issueCorpus ? ISSUE_SIZE : small ? SMALL_SIZE : FULL_SIZE;
  const work = await mkdtemp(join(tmpdir(), 'hriu-bench-'));
  await mkdir(join(work, 'cli'));
  for (const name of await readdir(join(ROOT, 'dist'))) {
    if (name === 'package.json' || name.startsWith('cli'))
      await copyFile(join(ROOT, 'dist', name), join(work, 'cli', name));
  }
  CLI = join(work, 'cli', 'cli.js');
  if (cpuProf)
    cliNodeFlags = (name, at) => [
      '--cpu-prof',
      '--cpu-prof-dir',
      join(at, `prof-${name.replace(/[^a-z0-9]+/gi, '-')}`),
    ];
  log('startup');
  const startup = await measureStartup();
  if (argv.includes('--startup')) {
    process.stdout.write(renderStartup(startup));
    await rm(work, { recursive: true, force: true });
    return 0;
  }
  if (!runsOnly) log(`many tags: a glob over ${small ? '20,000' : '1,000,000'} tags`);
  const manyTags = runsOnly ? '' : renderManyTags(await benchManyTags(CLI, small ? 20_000 : 1_000_000, NODE));
  if (argv.includes('--many-tags')) {
    process.stdout.write(manyTags);
    await rm(work, { recursive: true, force: true });
    return 0;
  }
  let registry: RegistryServer | undefined;
  let front: FrontProxy | undefined;
  try {
    const corpus = generateCorpus(size);
    await writeCorpus(corpus, join(work, 'corpus'));
    log(`corpus: ${corpus.files.size} files in ${work}/corpus`);
    registry = await startRegistry({ auth: 'open' });
    const { digests, createdOf } = await seed(registry, corpus.repositories);
    front = await startFrontProxy({ target: registry.url, latencyMs: LATENCY_MS, pageSize: PAGE_SIZE });
    const tagsOf = new Map(corpus.repositories.map((r) => [r.path, [...r.tags]]));

    const baseline = await yamlBaseline(corpus, work);
    const probe = corpus.repositories.find((r) => !r.timeOrdered)!;
    const longest = corpus.repositories.reduce((a, b) => (b.tags.length > a.tags.length ? b : a));
    const roundTrip = await calibrate(front, probe.path, probe.tags[0]!, concurrency, longest);
    const cacheFile = join(work, 'digests.json');
    const runs: RunResult[] = [];

    const trusting = DEFAULTS['tag-digest-max-age'];
    // Every run below starts within the hour a newly seen tag is trusted for.
    const cold = computeMinimum(corpus, tagsOf, digests, createdOf, NOTHING_KNOWN);
    log('cold run');
    runs.push(await runCli('cold', work, front, cacheFile, cold.minimum, concurrency, trusting));
    const warm = computeMinimum(corpus, tagsOf, digests, createdOf, cold.after);
    log('warm run');
    runs.push(await runCli('warm', work, front, cacheFile, warm.minimum, concurrency, trusting));
    if (issueCorpus) {
      // Semver filters ask only for tag listings, so every run is the same 300 requests: a second
      // warm run shows how much the figures move from run to run.
      log('warm run again');
      runs.push(await runCli('warm again', work, front, cacheFile, warm.minimum, concurrency, trusting));
      process.stdout.write(renderTable('issue corpus', corpus, runs, baseline, roundTrip, startup));
      process.stdout.write(`\n${renderIssueSummary(runs, baseline)}\n${renderStartup(startup)}`);
      if (renovate) {
        const { version, runs: theirs } = await benchRenovate(
          renovate,
          corpus,
          join(work, 'corpus'),
          work,
          front,
          log,
        );
        const ours = await Promise.all(runs.map((r) => ourRunForComparison(r, work, corpus)));
        process.stdout.write(`\n${renderRenovate(version, ours, theirs, corpus)}`);
      }
      return 0;
    }
    // Asking about every tag trusts none, but what it asks about is confirmed for the next run.
    const asking = computeMinimum(corpus, tagsOf, digests, createdOf, {
      ...warm.after,
      trustedTags: new Set(),
    });
    log('warm run asking about every tag');
    runs.push(await runCli('warm, max-age 0', work, front, cacheFile, asking.minimum, concurrency, '0'));
    const beforePush: Known = {
      ...asking.after,
      trustedTags: new Set([...warm.after.trustedTags, ...asking.after.trustedTags]),
    };

    // 10 new tags, each its own image, newer than everything: half in the big repository, half in
    // glob/regex repositories.
    const big = corpus.repositories.find((r) => r.path === 'ci/monorepo')!;
    const timeRepos = corpus.repositories.filter((r) => r.timeOrdered && r !== big);
    const pushes: Array<{ path: string; tag: string }> = [];
    for (let i = 0; i < NEW_TAGS; i += 1) {
      if (i % 2 === 0)
        pushes.push({ path: big.path, tag: `build-${String(big.tags.length + 1).padStart(5, '0')}` });
      else pushes.push({ path: timeRepos[i]!.path, tag: 'main-0011' });
      const repo = corpus.repositories.find((r) => r.path === pushes[i]!.path)!;
      repo.tags.push(pushes[i]!.tag);
      repo.tags.sort();
    }
    const pushedAt = '2025-06-01T00:00:00Z';
    const pushed = await seedMany(
      registry,
      pushes.map((p) => ({
        path: p.path,
        tags: [p.tag],
        created: pushedAt,
        labels: { 'bench.repository': p.path, 'bench.tag': p.tag },
      })),
    );
    pushes.forEach((p, i) => {
      digests.set(`${p.path}:${p.tag}`, pushed[i]!.digest);
      createdOf.set(`${p.path}:${p.tag}`, Date.parse(pushedAt));
    });
    const tagsAfter = new Map(corpus.repositories.map((r) => [r.path, [...r.tags]]));
    const after = computeMinimum(corpus, tagsAfter, digests, createdOf, beforePush);
    log(`after pushing ${NEW_TAGS} tags`);
    runs.push(
      await runCli(`+${NEW_TAGS} tags`, work, front, cacheFile, after.minimum, concurrency, trusting),
    );

    process.stdout.write(renderTable(small ? 'small' : 'full', corpus, runs, baseline, roundTrip, startup));
    process.stdout.write(`\n${renderStartup(startup)}`);
    process.stdout.write(`\n${oneFile}`);
    process.stdout.write(`\n${github}`);
    process.stdout.write(`\n${manyTags}`);
    return 0;
  } finally {
    await front?.stop();
    await registry?.stop();
    if (!keep) await rm(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
}

process.exitCode = await main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return 1;
});
