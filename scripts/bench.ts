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
 * `--small`; `--many-tags` runs only that), and a registry at a distance: 24 repositories over
 * HTTPS with token auth through a relay that adds a 50 ms round trip, cold and warm
 * (scripts/bench/round-trips.ts; `--round-trips` runs only that).
 *
 * The GitHub phase (scripts/bench/github.ts) runs the pull request writer against the in-process
 * GitHub stand-in with 10, 100 and 500 open pull requests (10 with `--small`; `--github[=10,100]`
 * runs only that). `--startup` prints only the bundle's load time. `--runs` runs only the four CLI
 * runs; `--cpu-prof` also writes each run's CPU profile into the work folder, which it keeps;
 * `--threads` adds to the table each run's main thread's time on a core, waiting for one, and the
 * rest of its wall, and its other threads' time on a core (scripts/bench/thread-times.ts; Linux).
 * `--issue-corpus` runs the CLI on the corpus of issue 17's comparison instead (1,000 HelmReleases,
 * 300 repositories, semver filters only: 300 tag listings a run), cold and warm twice, and prints
 * each run's wall time against its floor, and against a client that does nothing but the same
 * tag listings, spawned alike (scripts/bench/listing-client.mjs); `--repeat=N` runs the three N
 * times and reports each one's median run (scripts/bench/median-runs.ts); `--beside-busy[=N]` then runs
 * the warm run and that client again beside N busy processes (scripts/bench/beside-busy.ts). `--scan-split` prints only where
 * the scan's time goes, in process (scripts/bench/scan-split.ts; with `--small` or
 * `--issue-corpus` for those corpora).
 * `--issue-corpus --renovate=<renovate's bin> [--renovate-node=<node>]` then runs Renovate on the
 * same corpus and registry, cold and warm, and prints our wall time as a fraction of its
 * (scripts/bench/renovate.ts). With `--registry-from-memory` the 20 ms front answers from memory
 * what the registry answered once (each tool makes a priming run first, not reported): a remote
 * registry costs the runner no CPU, while the local one shares its two cores (the tables show its
 * CPU time beside each run); the front then runs at real-time priority, so that its answers do not
 * wait for a core behind the runs' own threads (`--front-priority=normal` to measure without;
 * scripts/bench/front-priority.ts). `--requests[=2000]` prints only the CPU one tag-list request
 * costs the registry client and HttpClient, in process against an instant local server
 * (scripts/bench/requests.ts).
 *
 * `--node=<node binary>` runs the CLI, its startup figure and the yaml-only parse with that Node
 * instead of the bench's own: the machine's Node may not be one users run (the Action runs on Node
 * 24, the CLI asks for 22.13 or 24 and later), and the JIT differs from version to version.
 *
 * Exits non-zero only when something broke (registry, seeding, the CLI); it checks no figures.
 *
 * This file reads the flags and runs the cases in order. The CLI runs are in scripts/bench/
 * cli-runs.ts, the requests each cannot do without in minimum.ts, what they are set against (startup,
 * yaml-only parse, a request's measured cost) in baselines.ts, and the table in table.ts.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  seedMany,
  startFrontProxy,
  startRegistry,
  type FrontProxy,
  type RegistryServer,
} from '../test-support/registry/index.js';
import { DEFAULTS } from '../src/settings.js';
import { readBenchFlags } from './bench/bench-flags.js';
import { besideBusy, renderBesideBusy } from './bench/beside-busy.js';
import { raiseToRealtime, renderFrontPriority, type RaisedPriority } from './bench/front-priority.js';
import {
  calibrate,
  measureListingClients,
  measureStartup,
  renderListingClients,
  renderStartup,
  yamlBaseline,
} from './bench/baselines.js';
import { ROOT, ourRunForComparison, runCli, type CliSetup, type RunResult } from './bench/cli-runs.js';
import { FULL_SIZE, ISSUE_SIZE, SMALL_SIZE, generateCorpus, writeCorpus } from './bench/corpus.js';
import { LATENCY_MS, PAGE_SIZE } from './bench/front-settings.js';
import { benchGitHub, renderGitHub } from './bench/github.js';
import { benchManyTags, renderManyTags } from './bench/many-tags.js';
import { benchRoundTrips, renderRoundTrips } from './bench/round-trips.js';
import { NOTHING_KNOWN, computeMinimum, seed, type Known } from './bench/minimum.js';
import { benchOneFile, renderOneFile } from './bench/one-file.js';
import { benchRenovate, renderRenovate } from './bench/renovate.js';
import { benchRequests, renderRequests } from './bench/requests.js';
import { benchScanSplit, renderScanSplit } from './bench/scan-split.js';
import { medianRun } from './bench/median-runs.js';
import { floorMs, renderIssueSummary, renderTable } from './bench/table.js';

const NEW_TAGS = 10;
/** Rounds of `--requests`, after a warm-up round. */
const REQUEST_ROUNDS = 7;
const BUILT_CLI = join(ROOT, 'dist', 'cli.js');

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<number> {
  const flags = readBenchFlags(process.argv.slice(2));
  if (flags instanceof Error) {
    log(flags.message);
    return 1;
  }
  const { small, concurrency, cpuProf, threads, keep, issueCorpus, repeat, renovate, fromMemory } = flags;
  /** The Node that runs the CLI, its startup figure and the yaml-only parse (`--node=`). */
  const node = flags.node ?? process.execPath;
  if (!existsSync(node)) {
    log(`--node: ${node} does not exist`);
    return 1;
  }
  if (renovate && !existsSync(renovate.bin)) {
    log(`--renovate: ${renovate.bin} does not exist`);
    return 1;
  }
  if (flags.requests !== undefined) {
    const { requests } = flags;
    log(`CPU per request: ${requests} tag-list requests a round, ${REQUEST_ROUNDS} rounds`);
    process.stdout.write(renderRequests(await benchRequests(requests, REQUEST_ROUNDS)));
    return 0;
  }
  if (flags.scanSplit) {
    const [size, name] = issueCorpus
      ? [ISSUE_SIZE, 'issue']
      : small
        ? [SMALL_SIZE, 'small']
        : [FULL_SIZE, 'full'];
    log(`scan split (${name} corpus)`);
    process.stdout.write(renderScanSplit(await benchScanSplit(size, name)));
    return 0;
  }
  const { runsOnly } = flags;
  // `--startup`, `--many-tags` and `--round-trips` print one figure each: none of the in-process
  // cases before it.
  const oneFigure = flags.only !== undefined;
  // In process and first, before the registry and the CLI runs load the machine.
  if (!runsOnly && !oneFigure) log('5,000 updates in one file');
  const oneFile = runsOnly || oneFigure ? '' : renderOneFile(benchOneFile(small ? 500 : 5000));
  if (flags.oneFileOnly) {
    process.stdout.write(oneFile);
    return 0;
  }
  // In process too: the pull request writer against the GitHub stand-in. `--github=10,100` picks N.
  const github = runsOnly || oneFigure ? '' : renderGitHub(await benchGitHub(flags.github.sizes, log));
  if (flags.github.only) {
    process.stdout.write(github);
    return 0;
  }
  if (!existsSync(BUILT_CLI)) {
    log(`${BUILT_CLI} is missing; run npm run build first`);
    return 1;
  }
  const size = issueCorpus ? ISSUE_SIZE : small ? SMALL_SIZE : FULL_SIZE;
  const work = await mkdtemp(join(tmpdir(), 'hriu-bench-'));
  // The CLI keeps Node's compile cache of its bundle under $XDG_CACHE_HOME (cli-compile-cache.ts),
  // as a user's runs find it in ~/.cache after their first: here in the work folder, which goes
  // with it. (Its digest cache is the --cache-file each run names.)
  process.env.XDG_CACHE_HOME = join(work, 'cache-home');
  await mkdir(join(work, 'cli'));
  for (const name of await readdir(join(ROOT, 'dist'))) {
    if (name === 'package.json' || name.startsWith('cli'))
      await copyFile(join(ROOT, 'dist', name), join(work, 'cli', name));
  }
  const setup: CliSetup = {
    cli: join(work, 'cli', 'cli.js'),
    node,
    nodeFlags: cpuProf
      ? (name, at) => ['--cpu-prof', '--cpu-prof-dir', join(at, `prof-${name.replace(/[^a-z0-9]+/gi, '-')}`)]
      : () => [],
    threads,
  };
  log('startup');
  const startup = await measureStartup(setup);
  if (flags.only === 'startup') {
    process.stdout.write(renderStartup(startup));
    await rm(work, { recursive: true, force: true });
    return 0;
  }
  const { roundTripRepositories } = flags;
  const skipManyTags = runsOnly || flags.only === 'round-trips';
  if (!skipManyTags) log(`many tags: a glob over ${small ? '20,000' : '1,000,000'} tags`);
  const manyTags = skipManyTags
    ? ''
    : renderManyTags(await benchManyTags(setup.cli, small ? 20_000 : 1_000_000, setup.node));
  if (flags.only === 'many-tags') {
    process.stdout.write(manyTags);
    await rm(work, { recursive: true, force: true });
    return 0;
  }
  if (!runsOnly) log('a registry at a distance');
  const roundTrips = runsOnly
    ? ''
    : renderRoundTrips(
        await benchRoundTrips(setup.cli, setup.node, {
          runs: small ? 1 : 3,
          // `--round-trip-repositories=300`: more repositories than fit in one turn of the scan.
          ...(roundTripRepositories ? { repositories: roundTripRepositories } : {}),
        }),
      );
  if (flags.only === 'round-trips') {
    process.stdout.write(roundTrips);
    await rm(work, { recursive: true, force: true });
    return 0;
  }
  let registry: RegistryServer | undefined;
  let front: FrontProxy | undefined;
  let raised: RaisedPriority | undefined;
  try {
    const corpus = generateCorpus(size);
    await writeCorpus(corpus, join(work, 'corpus'));
    log(`corpus: ${corpus.files.size} files in ${work}/corpus`);
    registry = await startRegistry({ auth: 'open' });
    setup.registryPid = registry.pid;
    const { digests, createdOf } = await seed(registry, corpus.repositories, log);
    front = await startFrontProxy({
      target: registry.url,
      latencyMs: LATENCY_MS,
      pageSize: PAGE_SIZE,
      ...(fromMemory ? { rememberAnswers: true } : {}),
    });
    if (flags.frontPriority === 'realtime') {
      raised = await raiseToRealtime(process.pid);
      log(renderFrontPriority(flags.frontPriority, raised).trimEnd());
    }
    const tagsOf = new Map(corpus.repositories.map((r) => [r.path, [...r.tags]]));

    const baseline = await yamlBaseline(corpus, work, setup.node);
    const probe = corpus.repositories.find((r) => !r.timeOrdered)!;
    const longest = corpus.repositories.reduce((a, b) => (b.tags.length > a.tags.length ? b : a));
    const roundTrip = await calibrate(front, probe.path, probe.tags[0]!, concurrency, longest);
    const cacheFile = join(work, 'digests.json');
    const runs: RunResult[] = [];

    const trusting = DEFAULTS['tag-digest-max-age'];
    // Every run below starts within the hour a newly seen tag is trusted for.
    const cold = computeMinimum(corpus, tagsOf, digests, createdOf, NOTHING_KNOWN);
    if (fromMemory) {
      // Fills the front's memory with what our runs ask; its cache file is then thrown away.
      log('priming run (the front remembers the answers)');
      await runCli(
        setup,
        'priming',
        work,
        front,
        join(work, 'priming-digests.json'),
        cold.minimum,
        concurrency,
        trusting,
      );
    }
    const warm = computeMinimum(corpus, tagsOf, digests, createdOf, cold.after);
    if (issueCorpus) {
      // Semver filters ask only for tag listings, so every run is the same 300 requests: a second
      // warm run shows how much the figures move from run to run. With `--repeat=N`, N rounds of
      // the three, and each kind's median run reported (median-runs.ts).
      const kinds = [
        ['cold', cold.minimum],
        ['warm', warm.minimum],
        ['warm again', warm.minimum],
      ] as const;
      const byKind = kinds.map((): RunResult[] => []);
      for (let round = 1; round <= repeat; round += 1) {
        // Each round starts without a digest cache, so that its first run is cold.
        await rm(cacheFile, { force: true });
        for (const [index, [kind, minimum]] of kinds.entries()) {
          log(repeat > 1 ? `${kind} run (round ${round} of ${repeat})` : `${kind} run`);
          // Each run's files (out-, stats-, proxy-) named apart; its column named by its kind.
          const files = round === 1 ? kind : `${kind} ${round}`;
          const result = await runCli(setup, files, work, front, cacheFile, minimum, concurrency, trusting);
          byKind[index]!.push({ ...result, name: kind });
        }
      }
      runs.push(...byKind.map(medianRun));
      // The tag listings of the last run, as the front logged them: every request of every run here.
      const paths = front.log.filter((entry) => entry.kind === 'tagPage').map((entry) => entry.path);
      log(`a client doing nothing but those ${paths.length} requests`);
      const clients = await measureListingClients(setup.node, front, paths, concurrency, work);
      process.stdout.write(renderTable('issue corpus', corpus, runs, baseline, roundTrip, startup));
      process.stdout.write(`\n${renderIssueSummary(runs, baseline)}\n${renderStartup(startup)}`);
      if (fromMemory) process.stdout.write(`\n${renderFrontPriority(flags.frontPriority, raised)}`);
      process.stdout.write(renderListingClients(clients, floorMs(runs.at(-1)!, baseline), runs));
      if (flags.besideBusy !== undefined) {
        log(`the warm run and the client beside ${flags.besideBusy} busy process(es)`);
        const issueFront = front;
        const measured = await besideBusy(
          flags.besideBusy,
          repeat,
          (name) => runCli(setup, name, work, issueFront, cacheFile, warm.minimum, concurrency, trusting),
          { node: setup.node, front: issueFront, concurrency, work },
        );
        process.stdout.write(renderBesideBusy(measured, runs[1]!.wallMs, clients.undici.wallMs));
      }
      if (renovate) {
        const { version, runs: theirs } = await benchRenovate(
          { ...renovate, registryPid: registry.pid, ...(fromMemory ? { prime: true } : {}) },
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
    log('cold run');
    runs.push(await runCli(setup, 'cold', work, front, cacheFile, cold.minimum, concurrency, trusting));
    log('warm run');
    runs.push(await runCli(setup, 'warm', work, front, cacheFile, warm.minimum, concurrency, trusting));
    // Asking about every tag trusts none, but what it asks about is confirmed for the next run.
    const asking = computeMinimum(corpus, tagsOf, digests, createdOf, {
      ...warm.after,
      trustedTags: new Set(),
    });
    log('warm run asking about every tag');
    runs.push(
      await runCli(setup, 'warm, max-age 0', work, front, cacheFile, asking.minimum, concurrency, '0'),
    );
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
      await runCli(setup, `+${NEW_TAGS} tags`, work, front, cacheFile, after.minimum, concurrency, trusting),
    );

    process.stdout.write(renderTable(small ? 'small' : 'full', corpus, runs, baseline, roundTrip, startup));
    process.stdout.write(`\n${renderStartup(startup)}`);
    process.stdout.write(`\n${oneFile}`);
    process.stdout.write(`\n${github}`);
    process.stdout.write(`\n${manyTags}`);
    process.stdout.write(`\n${roundTrips}`);
    return 0;
  } finally {
    if (raised?.ok) await raised.restore();
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
