/**
 * The bound on the HelmReleases and containers a run keeps, met with lowered limits through a
 * whole run over the real workspace port: one over either bound stops the run with one error
 * naming the file that passed it, and nothing is planned or written; exactly at both, the run
 * plans as ever (a kustomization's lock still holds its release).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorkspaceFiles } from '../../src/adapters/workspace-files.js';
import type { PullRequestPort } from '../../src/ports.js';
import { runUpdate } from '../../src/run-update.js';
import {
  KeptReleases,
  MAX_KEPT_CONTAINERS,
  MAX_KEPT_PROBLEMS,
  MAX_KEPT_RELEASES,
  type KeptReleaseLimits,
} from '../../src/scan/kept-releases.js';
import type { Update } from '../../src/update.js';
import { helmRelease, memoryLog, memoryRegistry, RUN_SETTINGS } from '../reliability/support.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kept-releases-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Two releases with one container each in one file, a third with two containers, which a
 * kustomization locks, and a file of two releases that cannot be read, a problem each.
 */
const PAIR = [
  helmRelease({ name: 'one', values: ['image: nginx:1.0'] }),
  helmRelease({ name: 'two', values: ['image: nginx:1.0'] }),
].join('---\n');
const LOCKED = helmRelease({
  name: 'locked',
  values: ['web:', '  image: nginx:1.0', 'worker:', '  image: redis:1.0'],
});
const TREE = {
  'apps/a-pair.yaml': PAIR,
  'apps/b-locked.yaml': LOCKED,
  'apps/kustomization.yaml': 'resources: [b-locked.yaml]\ncommonAnnotations: {fluxcd.io/locked: "true"}\n',
  // Two HelmReleases yaml.v2 cannot read: two problems, no release.
  'apps/c-broken.yaml': 'kind: HelmRelease\nx: "\\/"\n---\nkind: HelmRelease\nx: "\\/"\n',
};

/** The bound's message, as the run's one problem says it. */
const passed = (over: string, file: string) =>
  `The files scanned hold ${over}, the most a run keeps (${file} passed it). ` +
  'Narrow paths or add exclude patterns to leave out files that are not what Flux applies ' +
  '(generated or test fixtures), or split the workspace among jobs with paths of their own. ' +
  'Nothing was updated or written.';

async function run(maxKeptReleases: KeptReleaseLimits) {
  for (const [path, text] of Object.entries(TREE)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const written: Update[][] = [];
  const pullRequests: PullRequestPort = {
    async write(updates) {
      written.push([...updates]);
      return {
        results: updates.map((u) => ({ action: 'created', branch: u.release, updates: [u] })),
        problems: [],
      };
    },
  };
  const report = await runUpdate(
    { ...RUN_SETTINGS, maxKeptReleases },
    {
      workspace: createWorkspaceFiles(dir),
      registry: memoryRegistry({
        'docker.io/library/nginx': ['1.0', '1.1'],
        'docker.io/library/redis': ['1.0', '1.1'],
      }),
      log: memoryLog(),
      pullRequests,
    },
  );
  return { report, written };
}

describe('the HelmReleases, containers and problems a run keeps', () => {
  it('are bounded by default as documented', () => {
    expect([MAX_KEPT_RELEASES, MAX_KEPT_CONTAINERS, MAX_KEPT_PROBLEMS]).toEqual([50_000, 50_000, 50_000]);
  });

  it.each<[string, KeptReleaseLimits, string]>([
    [
      'one release over the bound, in the first file',
      { maxReleases: 1 },
      passed('more than 1 HelmReleases', 'apps/a-pair.yaml'),
    ],
    [
      'one release over the bound, in the second file',
      { maxReleases: 2 },
      passed('more than 2 HelmReleases', 'apps/b-locked.yaml'),
    ],
    [
      'one container over the bound',
      { maxContainers: 3 },
      passed('more than 3 containers of HelmReleases', 'apps/b-locked.yaml'),
    ],
    ['one problem over the bound', { maxProblems: 1 }, passed('more than 1 problems', 'apps/c-broken.yaml')],
  ])('%s: the run stops with one error and writes nothing', async (_what, limits, message) => {
    const { report, written } = await run(limits);
    expect(report.stopped).toBe(
      'the files a run scans hold more HelmReleases, containers or problems than it keeps (see the problems); nothing was written',
    );
    expect(report.problems).toEqual([{ file: '', line: 0, severity: 'error', message }]);
    expect({ updates: report.plan.updates, written }).toEqual({ updates: [], written: [] });
  });

  it('exactly at both bounds, the run plans as ever: the lock holds its release, the others are written', async () => {
    const { report, written } = await run({ maxReleases: 3, maxContainers: 4, maxProblems: 2 });
    expect(report.stopped).toBeUndefined();
    expect(report.plan.containers.map((c) => [c.release, c.container, c.decision])).toEqual([
      ['apps/one', 'chart-image', 'update'],
      ['apps/two', 'chart-image', 'update'],
      ['apps/locked', 'web', 'error'],
      ['apps/locked', 'worker', 'error'],
    ]);
    expect(written.flat().map((u) => [u.file, u.release, u.to])).toEqual([
      ['apps/a-pair.yaml', 'apps/one', '1.1'],
      ['apps/a-pair.yaml', 'apps/two', '1.1'],
    ]);
  });

  it('counts a file without releases as nothing', () => {
    const kept = new KeptReleases({ maxReleases: 0, maxContainers: 0 });
    expect(() => kept.keep({ file: 'broken.yaml', releases: [], problems: [] })).not.toThrow();
  });
});
