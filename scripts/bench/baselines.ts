/**
 * What the bench's CLI runs are set against, each measured apart from them: the bundle's load time
 * (`node cli.js --version` against `node -e ''`), the yaml-only parse of the HelmRelease documents
 * in a fresh process (the scan's floor), and what one request through the front really costs here
 * (the registry phase's measured floor, and its longest listing chain), and a client that does
 * nothing but a run's requests (listing-client.mjs). Apart from scripts/bench.ts
 * because each is a measurement of its own, and from table.ts, which only computes with them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsxLoader } from '../../test-support/e2e/child-process.js';
import type { FrontProxy } from '../../test-support/registry/index.js';
import { ROOT, run, type CliSetup } from './cli-runs.js';
import { underTime } from './timed.js';
import type { BenchRepository, Corpus } from './corpus.js';
import { fmt } from './format.js';
import { PAGE_SIZE } from './front-settings.js';
import { TURN_WINDOW_MS, wallParts, type WallParts } from './wall-parts.js';

/**
 * The bundle's load time: `node cli.js --version` against `node -e ''`, median of five each, with
 * the CLI's compile cache (src/cli-compile-cache.ts) filled by a run before, as every run after a
 * user's first finds it, and without it (`NODE_DISABLE_COMPILE_CACHE=1`), as a first run, or the
 * Action on a hosted runner, compiles the bundle.
 */
export interface Startup {
  cliMs: number;
  cliUncachedMs: number;
  nodeMs: number;
  /** `node --version` of the Node that ran them (and the CLI). */
  nodeVersion: string;
}

export async function measureStartup(setup: CliSetup): Promise<Startup> {
  const median = async (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      const r = await run(setup.node, args, undefined, env);
      times.push(r.closedAt - t);
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    return times.sort((a, b) => a - b)[2]!;
  };
  const nodeVersion = (await run(setup.node, ['--version'])).stdout.trim();
  const cliUncachedMs = await median([setup.cli, '--version'], {
    ...process.env,
    NODE_DISABLE_COMPILE_CACHE: '1',
  });
  // Fills the cache, if the CLI keeps one on this Node.
  await run(setup.node, [setup.cli, '--version']);
  return {
    cliMs: await median([setup.cli, '--version']),
    cliUncachedMs,
    nodeMs: await median(['-e', '']),
    nodeVersion,
  };
}

export function renderStartup(startup: Startup): string {
  return (
    `startup: node cli.js --version ${fmt(startup.cliMs)} ms (${fmt(startup.cliUncachedMs)} ms without its compile cache), ` +
    `node -e '' ${fmt(startup.nodeMs)} ms: the bundle loads in ${fmt(startup.cliMs - startup.nodeMs)} ms ` +
    `(${fmt(startup.cliUncachedMs - startup.nodeMs)} ms compiled anew; median of five, Node ${startup.nodeVersion})\n`
  );
}

/** The parse of the HelmRelease documents alone: the `yaml` package's defaults, and the CLI's. */
export interface ParseBaseline {
  /** `parseAllDocuments(text)`: YAML 1.2 core schema, the package's own (quadratic) duplicate-key check. */
  defaultsMs: number;
  /**
   * The CLI's parse (src/helmrelease/yaml-documents.ts, with the options of go-yaml-documents.ts:
   * YAML 1.1, failsafe schema, no duplicate-key check, a line counter): the parse the CLI cannot
   * do without, so the floor.
   */
  cliOptionsMs: number;
  /** CPU time of that parse (what load from other work changes least). */
  cliOptionsCpuMs: number;
}

/**
 * The parse-only baseline: a fresh Node process (cold JIT, like the CLI) that parses just the
 * HelmRelease documents and reports the parse time, median of three; once with the `yaml`
 * package as it ships, and once with the CLI's own reading of the package's parser (its lexer and
 * parser without generators, yaml-lexer.ts and yaml-parser.ts), loaded through tsx (its compiling
 * is not timed).
 */
export async function yamlBaseline(corpus: Corpus, work: string, node: string): Promise<ParseBaseline> {
  const docsFile = join(work, 'helmrelease-documents.json');
  await writeFile(docsFile, JSON.stringify(corpus.helmReleaseDocuments));
  /** Medians of three of the parse's wall and CPU time. */
  const median = async (
    load: string,
    parse: string,
    nodeArgs: string[] = [],
  ): Promise<{ wallMs: number; cpuMs: number }> => {
    // The package reads process.env.LOG_TOKENS for every token, a call into the runtime; the bundles
    // read none (scripts/bundle-patches.mjs). A plain object in its place costs about what the
    // bundles' constant does (cold parse of the issue corpus, three runs each: 830-860 ms, and
    // 830-930 with the switches patched out, against 930-1,140 as the package ships).
    const script = `
      process.env = { ...process.env };
      const { readFileSync } = await import('node:fs');
      ${load}
      const docs = JSON.parse(readFileSync(${JSON.stringify(docsFile)}, 'utf8'));
      const t = performance.now();
      const cpu = process.cpuUsage();
      let n = 0;
      for (const d of docs) n += ${parse}.length;
      const used = process.cpuUsage(cpu);
      process.stdout.write(JSON.stringify([performance.now() - t, (used.user + used.system) / 1000]));
    `;
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const r = await run(node, [...nodeArgs, '--input-type=module', '-e', script]);
      if (r.status !== 0) throw new Error(`yaml baseline failed: ${r.stderr}`);
      const [wall, cpu] = JSON.parse(r.stdout) as [number, number];
      walls.push(wall);
      cpus.push(cpu);
    }
    const middle = (values: number[]) => values.sort((a, b) => a - b)[1]!;
    return { wallMs: middle(walls), cpuMs: middle(cpus) };
  };
  const defaults = await median(
    "const { parseAllDocuments } = await import('yaml');",
    'parseAllDocuments(d, {})',
  );
  const documents = pathToFileURL(join(ROOT, 'src/helmrelease/yaml-documents.ts')).href;
  const cli = await median(
    `const { LineCounter } = await import('yaml');
      const { parseDocuments } = await import(${JSON.stringify(documents)});`,
    "parseDocuments(d, { version: '1.1', schema: 'failsafe', uniqueKeys: false }, new LineCounter())",
    ['--import', tsxLoader()],
  );
  return { defaultsMs: defaults.wallMs, cliOptionsMs: cli.wallMs, cliOptionsCpuMs: cli.cpuMs };
}

/**
 * What one request really costs here: HEADs of one tag through the front, one at a time and at
 * the CLI's concurrency. The local registry's own service time (distribution's filesystem driver
 * on this machine's cores) comes on top of the injected latency, so the bench also shows the
 * registry phase against `requests x measured time / concurrency`.
 */
export async function calibrate(
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

/** What one request through the front costs here, as {@link calibrate} measured it. */
export type RoundTrip = Awaited<ReturnType<typeof calibrate>>;

/**
 * A client that does nothing but the tag listings a CLI run made: listing-client.mjs replays them
 * through the front at the run's concurrency, spawned as the CLI is (under /usr/bin/time when there
 * is one, with the same Node), median of three for each transport. The 20 ms floor counts neither
 * Node's start nor what a request costs beyond the front's 20 ms (the front's timer, both ends'
 * turns, the loopback, on the same two cores); this client pays all of them and no work of its
 * own, so it is the wall time no program reaches here, and the CLI's wall is set against it too.
 */
export interface ListingClients {
  requests: number;
  /** node:http with a keep-alive agent: the leanest client Node has. */
  http: ListingClientRun;
  /** undici's Agent, as the CLI sends (src/registry/http-connections.ts). */
  undici: ListingClientRun;
}

/** The median of a listing client's three runs, and where its wall time went. */
export interface ListingClientRun {
  wallMs: number;
  parts: WallParts | undefined;
}

/** The file of the tag listings a listing client replays, written by {@link measureListingClients}. */
export function listingClientPaths(work: string): string {
  return join(work, 'listing-client-paths.txt');
}

/** One run of listing-client.mjs over the paths {@link measureListingClients} wrote. */
export async function runListingClient(
  node: string,
  front: FrontProxy,
  transport: 'http' | 'undici',
  concurrency: number,
  work: string,
): Promise<ListingClientRun> {
  const script = join(ROOT, 'scripts', 'bench', 'listing-client.mjs');
  const args = [script, transport, front.url, listingClientPaths(work), String(concurrency)];
  front.clearLog();
  const started = performance.now();
  const r = await run(...underTime(node, args, join(work, 'listing-client-time.txt')));
  const ended = r.closedAt;
  if (r.status !== 0) throw new Error(`listing-client.mjs ${transport} exited ${r.status}: ${r.stderr}`);
  const result = { wallMs: ended - started, parts: wallParts(front.log, started, ended, concurrency) };
  front.clearLog();
  return result;
}

export async function measureListingClients(
  node: string,
  front: FrontProxy,
  paths: readonly string[],
  concurrency: number,
  work: string,
): Promise<ListingClients> {
  await writeFile(listingClientPaths(work), paths.join('\n'));
  const median = async (transport: 'http' | 'undici'): Promise<ListingClientRun> => {
    const runs: ListingClientRun[] = [];
    for (let i = 0; i < 3; i += 1)
      runs.push(await runListingClient(node, front, transport, concurrency, work));
    return runs.sort((a, b) => a.wallMs - b.wallMs)[1]!;
  };
  return { requests: paths.length, http: await median('http'), undici: await median('undici') };
}

/** Turns by window in words: `3.4, 2.0, -, 1.1 ms` (a dash for a window where none took a turn). */
function turnsText(turns: readonly (number | null)[]): string {
  return `${turns.map((t) => (t === null ? '-' : t.toFixed(1))).join(', ')} ms`;
}

/** A run's wall parts in words, for {@link renderListingClients}. */
function partsText(parts: WallParts | undefined): string {
  if (parts === undefined) return 'answered nothing';
  return (
    `${fmt(parts.leadMs)} ms to its first request, ${fmt(parts.registryMs)} ms to the last answer ` +
    `(${parts.frontMs.toFixed(1)} ms of the front and ${parts.turnMs.toFixed(1)} ms of its own turn a request; ` +
    `by ${TURN_WINDOW_MS} ms from the first request ${turnsText(parts.turnByWindowMs)}), ` +
    `${fmt(parts.tailMs)} ms to its exit`
  );
}

/**
 * One line: the two clients' wall times against the floor, the CLI's runs against them, and where
 * the undici client's wall and the CLI's last one went.
 */
export function renderListingClients(
  clients: ListingClients,
  floorMs: number,
  runs: ReadonlyArray<{ name: string; wallMs: number; parts: WallParts | undefined }>,
): string {
  const times = (ms: number) => `${(ms / floorMs).toFixed(2)} x the floor`;
  const { http, undici } = clients;
  return (
    `a client doing nothing but the run's ${fmt(clients.requests)} tag listings, spawned alike (median of three): ` +
    `node:http ${fmt(http.wallMs)} ms (${times(http.wallMs)}), undici ${fmt(undici.wallMs)} ms ` +
    `(${times(undici.wallMs)}); the CLI's runs against the undici one: ` +
    `${runs.map((r) => `${r.name} ${(r.wallMs / undici.wallMs).toFixed(2)}`).join(', ')}; ` +
    `from the front, the undici client ${partsText(undici.parts)}, the CLI's last run ${partsText(runs.at(-1)?.parts)}\n`
  );
}
