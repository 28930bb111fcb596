/**
 * The bench's results table for its CLI runs (issue 7): the requests made against the minimum, the
 * phase times, and the ratios of each run's times to its floors (the injected latency, the measured
 * round trip and longest chain, the yaml-only parse, the startup), and the issue corpus's one-line
 * summary of each run. Apart from scripts/bench.ts because it only renders: every figure in it
 * was measured elsewhere (cli-runs.ts, baselines.ts, minimum.ts).
 */
import type { ParseBaseline, RoundTrip, Startup } from './baselines.js';
import { requestsMade, type RunResult } from './cli-runs.js';
import { KINDS } from './front-settings.js';
import type { Corpus } from './corpus.js';
import { fmt, ratio } from './format.js';
import { wallRange } from './median-runs.js';
import { REGISTRY_SIDE_ROW, registrySideCell } from './registry-side-cpu.js';
import { threadCells } from './thread-times.js';
import { LATENCY_MS, PAGE_SIZE } from './front-settings.js';
import type { WallParts } from './wall-parts.js';

/** A run's registry floor: its requests at the injected latency, `concurrency` at a time. */
export function registryFloorMs(r: RunResult): number {
  return (requestsMade(r) * LATENCY_MS) / r.concurrency;
}

/**
 * A run's floor: the registry phase at the injected latency overlapped with the parse of the
 * HelmRelease documents (the CLI's own options, see ParseBaseline), whichever is longer (issue 17's
 * target: wall <= 1.3 x floor).
 */
export function floorMs(r: RunResult, baseline: ParseBaseline): number {
  return Math.max(registryFloorMs(r), baseline.cliOptionsMs);
}

/** Renders the one table. */
export function renderTable(
  size: string,
  corpus: Corpus,
  runs: readonly RunResult[],
  baseline: ParseBaseline,
  roundTrip: RoundTrip,
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
  // The same wall as the front saw it (wall-parts.ts): the client's share of each slot is its turn.
  const part = (f: (p: WallParts) => string) => (r: RunResult) => (r.parts === undefined ? '-' : f(r.parts));
  add(
    'from the front: spawn to first request',
    part((p) => `${fmt(p.leadMs)} ms`),
  );
  add(
    '  first request to last answer',
    part((p) => `${fmt(p.registryMs)} ms`),
  );
  add(
    '    per request: front / client turn',
    part((p) => `${p.frontMs.toFixed(1)} / ${p.turnMs.toFixed(1)} ms`),
  );
  add(
    '  last answer to exit',
    part((p) => `${fmt(p.tailMs)} ms`),
  );
  add('warm/cold wall time', (r) => ratio(r.wallMs, runs[0]!.wallMs));
  add(
    `floor: requests x ${LATENCY_MS} ms / concurrency`,
    (r) => `${fmt(registryFloorMs(r))} ms (c=${r.concurrency})`,
  );
  add('registry phase / floor', (r) => ratio(r.stats.timings.registry, registryFloorMs(r)));
  // The registry floor with each request at what it was measured to cost through the front here.
  const measuredFloor = (r: RunResult) => (made(r) * roundTrip.parallel) / r.concurrency;
  add(
    `measured floor: requests x ${roundTrip.parallel.toFixed(1)} ms / concurrency`,
    (r) => `${fmt(measuredFloor(r))} ms`,
  );
  add('registry phase / measured floor', (r) => ratio(r.stats.timings.registry, measuredFloor(r)));
  const chainMs = roundTrip.chain.pages * roundTrip.chain.pageMs;
  add(
    `longest chain: ${roundTrip.chain.pages} pages x ${roundTrip.chain.pageMs.toFixed(1)} ms`,
    () => `${fmt(chainMs)} ms`,
  );
  add('registry phase / max(measured floor, chain)', (r) =>
    ratio(r.stats.timings.registry, Math.max(measuredFloor(r), chainMs)),
  );
  // The floor's parse is the one the CLI must do, with its own options (see ParseBaseline).
  const baselineMs = baseline.cliOptionsMs;
  add('scan / yaml-only parse', (r) => ratio(r.stats.timings.scan, baselineMs));
  const floorOf = (r: RunResult) => floorMs(r, baseline);
  add('floor: max(registry floor, yaml-only parse)', (r) => `${fmt(floorOf(r))} ms`);
  add('wall time / floor (target <= 1.3)', (r) => ratio(r.wallMs, floorOf(r)));
  add('wall time less startup / floor', (r) => ratio(r.wallMs - startup.cliMs, floorOf(r)));
  // The same with each request at what it was measured to cost here: the local registry and the
  // front proxy answer from the same cores as the CLI, so 20 ms is a floor this machine cannot reach.
  const machineFloorOf = (r: RunResult) => Math.max(measuredFloor(r), chainMs, baselineMs);
  add('floor here: max(measured registry floor, chain, parse)', (r) => `${fmt(machineFloorOf(r))} ms`);
  add('wall time / floor here', (r) => ratio(r.wallMs, machineFloorOf(r)));
  // CPU time is what load from other work on the machine changes least (wall times can be several
  // times it); set against the CPU time of the parse.
  add('CPU time of the CLI (user + system)', (r) => (r.cpuMs === undefined ? '-' : `${fmt(r.cpuMs)} ms`));
  add('CPU time / parse CPU time', (r) =>
    r.cpuMs === undefined ? '-' : ratio(r.cpuMs, baseline.cliOptionsCpuMs),
  );
  // With --threads: whether the main thread was busy all along, and what else ran beside it.
  if (runs.some((r) => r.threads !== undefined)) {
    const cells = (r: RunResult) => threadCells(r.threads, r.wallMs);
    add('main thread: on a core / waiting for a core / rest of the wall', (r) => cells(r).main);
    add('other threads, on a core', (r) => cells(r).others);
  }
  // A remote registry costs the runner nothing; the local one and the front share its two cores.
  add(REGISTRY_SIDE_ROW, registrySideCell);
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
      `startup (node cli.js --version) ${fmt(startup.cliMs)} ms (${fmt(startup.cliUncachedMs)} ms without its compile cache) ` +
      `against ${fmt(startup.nodeMs)} ms for node alone; ` +
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
export function renderIssueSummary(runs: readonly RunResult[], baseline: ParseBaseline): string {
  return runs
    .map((r) => {
      const registryFloor = registryFloorMs(r);
      const floor = floorMs(r, baseline);
      return (
        `${r.name}: wall ${fmt(r.wallMs)} ms${wallRange(r)}, floor ${fmt(floor)} ms (registry ${fmt(registryFloor)} ms, ` +
        `parse ${fmt(baseline.cliOptionsMs)} ms): wall / floor ${ratio(r.wallMs, floor)} (target <= 1.3); ` +
        `CPU ${r.cpuMs === undefined ? '-' : `${fmt(r.cpuMs)} ms`}`
      );
    })
    .join('\n');
}
