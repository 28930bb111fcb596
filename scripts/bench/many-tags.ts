/**
 * The bench's many-tags case (issue 12): one HelmRelease with a glob filter over a repository of
 * 1,000,000 tags, served by a synthetic registry in this process (test-support/registry/
 * synthetic-registry.ts: pages of 50,000 tags, a manifest and config made up per tag, every tag
 * built a minute after the one before), checked by the built CLI in a child process with no
 * digest cache, as a cold run. Measures the CLI's wall time, its peak RSS and the requests it made.
 *
 * Before the bounds, every candidate tag got a HEAD at once: the CLI ran out of heap (4.4 GB) and
 * lost the run's output. Now at most 1,000 tags are asked about per repository per run (the
 * current one first, then the newest-looking names), so the cost follows that cap and the
 * concurrency, not the tag count.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSyntheticRegistry, syntheticTag } from '../../test-support/registry/synthetic-registry.js';

/** What the case measured. */
export interface ManyTagsResult {
  tags: number;
  wallMs: number;
  peakRssKb: number;
  requests: { tagPage: number; headManifest: number; getManifest: number; getBlob: number };
  /** The tag the run chose (the newest build is the last tag). */
  chosen: string | undefined;
  newest: string;
  problems: number;
  exitStatus: number;
}

const PAGE_SIZE = 50_000;

/** Runs the case with `count` tags against the CLI at `cli` (dist/cli.js or a copy of it). */
export async function benchManyTags(
  cli: string,
  count: number,
  /** The Node that runs the CLI. */
  node: string = process.execPath,
): Promise<ManyTagsResult> {
  const registry = await startSyntheticRegistry({
    repositories: { 'big/app': { count } },
    pageSize: PAGE_SIZE,
  });
  const work = await mkdtemp(join(tmpdir(), 'hriu-bench-tags-'));
  try {
    await mkdir(join(work, 'repo'));
    await writeFile(
      join(work, 'repo', 'app.yaml'),
      [
        'apiVersion: helm.fluxcd.io/v1',
        'kind: HelmRelease',
        'metadata:',
        '  name: app',
        '  namespace: apps',
        '  annotations:',
        '    fluxcd.io/automated: "true"',
        '    filter.fluxcd.io/chart-image: "glob:build-*"',
        'spec:',
        '  chart: {repository: https://charts.example.com, name: app, version: 1.0.0}',
        '  values:',
        `    image: ${registry.host}/big/app:${syntheticTag(0)}`,
        '',
      ].join('\n'),
    );
    const statsFile = join(work, 'stats.json');
    const timeFile = join(work, 'time.txt');
    const args = [cli, '--dir', join(work, 'repo'), '--json', '--no-cache', '--stats-file', statsFile];
    const useTime = existsSync('/usr/bin/time');
    const started = performance.now();
    const result = await runChild(
      useTime ? '/usr/bin/time' : node,
      useTime ? ['-f', '%M', '-o', timeFile, node, ...args] : args,
    );
    const wallMs = performance.now() - started;
    const peakRssKb = useTime
      ? Number((await readFile(timeFile, 'utf8')).trim().split('\n').pop())
      : result.peakKb;
    let chosen: string | undefined;
    let problems = 0;
    try {
      const out = JSON.parse(result.stdout) as {
        updates: Array<{ newImage?: string; to?: string }>;
        problems: unknown[];
      };
      const update = out.updates[0];
      chosen = (update?.newImage ?? update?.to)?.split(':').pop();
      problems = out.problems.length;
    } catch {
      throw new Error(`the CLI gave no JSON (exit ${result.status}): ${result.stderr.slice(0, 2000)}`);
    }
    return {
      tags: count,
      wallMs,
      peakRssKb,
      requests: {
        tagPage: registry.count('tagPage'),
        headManifest: registry.count('headManifest'),
        getManifest: registry.count('getManifest'),
        getBlob: registry.count('getBlob'),
      },
      chosen,
      newest: syntheticTag(count - 1),
      problems,
      exitStatus: result.status,
    };
  } finally {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Runs a child; without /usr/bin/time, polls its VmHWM. */
function runChild(
  command: string,
  args: readonly string[],
): Promise<{ status: number; stdout: string; stderr: string; peakKb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    const timer = setInterval(() => {
      readFile(`/proc/${child.pid}/status`, 'utf8')
        .then((status) => {
          const match = /VmHWM:\s+(\d+)/.exec(status);
          if (match) peakKb = Math.max(peakKb, Number(match[1]));
        })
        .catch(() => undefined);
    }, 20);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({
        status: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        peakKb,
      });
    });
  });
}

/** The case as a few lines of text. */
export function renderManyTags(r: ManyTagsResult): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    `Many tags: a glob filter over one repository of ${n(r.tags)} tags (synthetic registry in process, pages of ${n(PAGE_SIZE)}), cold, no digest cache`,
    '',
    `| tags | wall | peak RSS | tag pages | HEAD | GET manifest | GET blob | chosen | problems |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |`,
    `| ${n(r.tags)} | ${(r.wallMs / 1000).toFixed(2)} s | ${n(Math.round(r.peakRssKb / 1024))} MB | ${n(r.requests.tagPage)} | ${n(r.requests.headManifest)} | ${n(r.requests.getManifest)} | ${n(r.requests.getBlob)} | ${r.chosen ?? 'none'}${r.chosen === r.newest ? ' (the newest)' : ''} | ${r.problems} |`,
    '',
  ].join('\n');
}
