/**
 * Listings started ahead (remembered-listings.ts, registry-setup.ts, run-update.ts): a run with the
 * digest cache of an earlier run over the same workspace and scope lists a few of the repositories
 * that run named before its scan has found them, abandons those its scan does not name, and never
 * lists ahead for another scope or outside `images`. Against a registry of our own on 127.0.0.1
 * whose answers the tests hold, and workspaces whose reads they hold.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScope, setUpRegistry } from '../../src/adapters/registry-setup.js';
import type { WorkspacePort } from '../../src/ports.js';
import { runUpdate } from '../../src/run-update.js';
import { parseSettings } from '../../src/settings.js';
import { helmRelease, memoryLog, memoryWorkspace } from '../reliability/support.js';
import { sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const WORKSPACE = '/checkout/gitops';
const LISTING = /^\/v2\/(.+)\/tags\/list/;

let registry: HostileServer;
let dir: string;
/** Repositories whose listing the registry does not answer. */
const held = new Set<string>();
/** Listings the registry saw a client give up on. */
const abandoned: string[] = [];

beforeAll(async () => {
  registry = await startHostileServer((req, res) => {
    const path = LISTING.exec(req.url ?? '')?.[1];
    if (path === undefined) return sendJson(res, 200, {});
    if (held.has(path)) {
      res.on('close', () => abandoned.push(path));
      return;
    }
    sendJson(res, 200, { name: path, tags: ['1.0.0', '1.1.0'] });
  });
  dir = await mkdtemp(join(tmpdir(), 'listings-ahead-'));
});
afterAll(async () => {
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  held.clear();
  abandoned.length = 0;
});

/** The repository `team/app-<i>` of the registry, as a scan names it. */
const repository = (i: number) => `${registry.host}/team/app-${i}`;

/** A workspace of one HelmRelease per repository `i` of `ids`, each proposing 1.0.0 -> 1.1.0. */
function files(ids: readonly number[]): Record<string, string> {
  return Object.fromEntries(
    ids.map((i) => [
      `releases/app-${i}.yaml`,
      // A semver filter needs no image details: a listing is all each repository is asked for.
      helmRelease({
        name: `app-${i}`,
        annotations: ['fluxcd.io/tag.chart-image: semver:~1'],
        values: [`image: ${repository(i)}:1.0.0`],
      }),
    ]),
  );
}

/** Listings the registry was asked for (paths), from `from` on. */
const listed = (from = 0) =>
  registry.log
    .slice(from)
    .map((r) => LISTING.exec(r.url)?.[1])
    .filter((path): path is string => path !== undefined);

/**
 * A workspace whose first read waits until the registry has seen `expected` listings or `waitMs`
 * has passed; `before` holds the listings it had seen by then.
 */
function heldWorkspace(texts: Record<string, string>, expected: number, waitMs: number) {
  const inner = memoryWorkspace(texts);
  const from = registry.log.length;
  const state = { before: [] as string[] };
  let first: Promise<void> | undefined;
  const workspace: WorkspacePort = {
    listFiles: () => inner.listFiles(),
    async readFile(path) {
      first ??= (async () => {
        await waitFor(() => listed(from).length >= expected, waitMs);
        state.before = listed(from);
      })();
      await first;
      return inner.readFile(path);
    },
  };
  return { workspace, state };
}

/** One run of the Action's core with the registry set up as the shells set it up. */
async function run(
  workspace: WorkspacePort,
  inputs: Record<string, string> = {},
  cacheFile = join(dir, 'cache.json'),
) {
  const settings = parseSettings((name) => inputs[name]);
  const setup = await setUpRegistry(settings, {
    maskSecret: () => undefined,
    onNotice: () => undefined,
    cacheFile,
    workspace: WORKSPACE,
    env: { DOCKER_CONFIG: dir, PATH: process.env.PATH },
  });
  const log = memoryLog();
  const from = registry.log.length;
  const report = await runUpdate(settings, { workspace, registry: setup.client, log });
  await setup.saveCache();
  return { report, lines: log.lines, listed: listed(from) };
}

describe('a run after one over the same workspace and scope', () => {
  it('lists the repositories that run named before reading a file, at most 4 per request in flight', async () => {
    const cacheFile = join(dir, 'bounded.json');
    const ids = Array.from({ length: 12 }, (_, i) => i);
    const first = await run(memoryWorkspace(files(ids)), { 'registry-concurrency': '2' }, cacheFile);
    expect(first.listed).toHaveLength(12);
    // Nothing was remembered before the first run: it read its files first.
    const { workspace, state } = heldWorkspace(files(ids), 12, 500);
    const next = await run(workspace, { 'registry-concurrency': '2' }, cacheFile);
    expect(state.before).toHaveLength(8);
    // Each repository listed once, and the same updates proposed.
    expect([...next.listed].sort()).toEqual([...first.listed].sort());
    expect(next.report.plan.updates).toHaveLength(12);
    expect(next.lines.some((line) => line.startsWith('Abandoned'))).toBe(false);
  });

  it('lists ahead nothing on its first run', async () => {
    const { workspace, state } = heldWorkspace(files([0, 1]), 1, 300);
    await run(workspace, {}, join(dir, 'first.json'));
    expect(state.before).toEqual([]);
  });

  it('abandons the listing of a repository its files no longer name, and remembers the rest', async () => {
    const cacheFile = join(dir, 'abandon.json');
    await run(memoryWorkspace(files([0, 1, 2])), {}, cacheFile);
    // The registry never answers app-2 now: the run must not wait for it.
    held.add('team/app-2');
    const { workspace, state } = heldWorkspace(files([0, 1]), 3, 1_000);
    const next = await run(workspace, {}, cacheFile);
    expect(state.before.sort()).toEqual(['team/app-0', 'team/app-1', 'team/app-2']);
    expect(next.lines).toContain(
      'Abandoned 1 tag listing started ahead, of repositories the last run listed and this run checks no image of',
    );
    expect(next.report.problems).toEqual([]);
    expect(next.report.plan.updates.map((u) => u.repository)).toEqual([repository(0), repository(1)]);
    await waitFor(() => abandoned.length === 1);
    expect(abandoned).toEqual(['team/app-2']);
    // The run after that lists only what this one named.
    const after = heldWorkspace(files([0, 1]), 3, 300);
    await run(after.workspace, {}, cacheFile);
    expect(after.state.before.sort()).toEqual(['team/app-0', 'team/app-1']);
  });

  it('stops the listings started ahead when the run stops before its scan', async () => {
    const cacheFile = join(dir, 'stopped.json');
    const inputs = { paths: 'releases/**' };
    await run(memoryWorkspace(files([0])), inputs, cacheFile);
    // The registry holds the answer; the folder `paths` names is gone, which stops the run.
    held.add('team/app-0');
    const next = await run(
      memoryWorkspace({ 'other/app.yaml': files([0])['releases/app-0.yaml'] }),
      inputs,
      cacheFile,
    );
    expect(next.report.stopped).toMatch(/a paths or exclude pattern needs fixing/);
    expect(next.listed).toEqual(['team/app-0']);
    await waitFor(() => abandoned.length === 1);
    expect(abandoned).toEqual(['team/app-0']);
  });

  it('takes a listing started ahead at its alias as the listing of the image it names', async () => {
    const cacheFile = join(dir, 'alias.json');
    const inputs = { 'registry-aliases': `docker.io=${registry.host}/hub` };
    const texts = {
      'releases/nginx.yaml': helmRelease({
        annotations: ['fluxcd.io/tag.chart-image: semver:~1'],
        values: ['image: nginx:1.0.0'],
      }),
    };
    await run(memoryWorkspace(texts), inputs, cacheFile);
    const { workspace, state } = heldWorkspace(texts, 1, 1_000);
    const next = await run(workspace, inputs, cacheFile);
    expect(state.before).toEqual(['hub/library/nginx']);
    expect(next.listed).toEqual(['hub/library/nginx']);
    expect(next.lines.some((line) => line.startsWith('Abandoned'))).toBe(false);
    expect(next.report.plan.updates.map((u) => u.to)).toEqual(['1.1.0']);
  });

  it.each<[string, Record<string, string>]>([
    ['other paths', { paths: 'releases/app-0.yaml' }],
    ['another detection', { detection: 'deep' }],
    ['another images scope', { images: `${registry?.host ?? ''}/team/*` }],
  ])('with %s lists nothing ahead (another scope)', async (_case, inputs) => {
    const cacheFile = join(dir, `scope-${_case.replace(/\W/g, '-')}.json`);
    await run(memoryWorkspace(files([0, 1])), {}, cacheFile);
    const { workspace, state } = heldWorkspace(files([0, 1]), 1, 300);
    await run(workspace, inputs, cacheFile);
    expect(state.before).toEqual([]);
  });
});

describe('what listing ahead never does', () => {
  it('lists a repository outside `images` that a cache file names under the run scope', async () => {
    const cacheFile = join(dir, 'crafted.json');
    const inputs = { images: repository(0) };
    await run(memoryWorkspace(files([0])), inputs, cacheFile);
    // A file naming two more repositories under this run's own scope.
    const cache = JSON.parse(await readFile(cacheFile, 'utf8')) as {
      runs: Record<string, { repositories: string[]; recorded: string }>;
    };
    const scope = runScope(
      WORKSPACE,
      parseSettings((name) => (inputs as Record<string, string>)[name]),
    );
    expect(Object.keys(cache.runs)).toEqual([scope]);
    cache.runs[scope].repositories.push(repository(1), `${registry.host}/elsewhere/secret`);
    await writeFile(cacheFile, JSON.stringify(cache));
    const { workspace, state } = heldWorkspace(files([0, 1]), 3, 300);
    const next = await run(workspace, inputs, cacheFile);
    expect(state.before).toEqual(['team/app-0']);
    expect(next.listed).toEqual(['team/app-0']);
  });
});

/** Waits until `done`, for `ms` at most (the assertions after it say what was missing). */
async function waitFor(done: () => boolean, ms = 1_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
}
