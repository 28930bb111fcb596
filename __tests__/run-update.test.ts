import { describe, expect, it } from '@jest/globals';
import type { ListedTags, PullRequestPort, RegistryPort, TagDetails, WorkspacePort } from '../src/ports.js';
import { RegistryError } from '../src/ports.js';
import { renderSummary } from '../src/report/summary.js';
import { runUpdate, type RunSettings } from '../src/run-update.js';
import type { Update } from '../src/plan/types.js';

/** An in-memory workspace: path -> text, or a reason the file cannot be read. */
function workspace(files: Record<string, string | { unreadable: string }>): WorkspacePort {
  return {
    listFiles: async () => Object.keys(files).sort(),
    readFile: async (path) => {
      const entry = files[path];
      return typeof entry === 'string' ? { ok: true, text: entry } : { ok: false, reason: entry.unreadable };
    },
  };
}

/** An in-memory registry that records what it was asked. */
function registry(repos: Record<string, Record<string, number>>) {
  const calls: string[] = [];
  const port: RegistryPort = {
    async listTags(repository) {
      calls.push(`list ${repository}`);
      const tags = repos[repository];
      if (!tags) throw new RegistryError(`${repository}: repository not found (HTTP 404)`, 'test', 404);
      return Object.keys(tags);
    },
    async describeTags(repository, tags, onDescribed) {
      calls.push(`describe ${repository} ${[...tags].sort().join(',')}`);
      const out = new Map<string, TagDetails | RegistryError>();
      for (const tag of tags) {
        out.set(tag, { digest: `sha256:${tag}`, created: new Date(repos[repository][tag] * 1000) });
        onDescribed?.(tag);
      }
      return out;
    },
  };
  return { port, calls };
}

/** `port`, with each listing it is asked for pushed to `events` as `list <repository>`. */
function listingsInto(events: string[], port: RegistryPort): RegistryPort {
  return {
    listTags: (repository) => {
      events.push(`list ${repository}`);
      return port.listTags(repository);
    },
    describeTags: (repository, tags) => port.describeTags(repository, tags),
  };
}

/** `port`, with each file it is asked for pushed to `events` as `read <path>` (no turn taken, as the real port reads). */
function readsInto(events: string[], port: WorkspacePort): WorkspacePort {
  return {
    listFiles: port.listFiles,
    readFile: (path) => {
      events.push(`read ${path}`);
      return port.readFile(path);
    },
  };
}

/** Calls `done` `turns` turns of the event loop from now (an immediate each). */
function later(turns: number, done: () => void): void {
  setImmediate(() => (turns > 1 ? later(turns - 1, done) : done()));
}

/**
 * A registry that answers each listing `turns` turns of the event loop later, as a response read
 * off a socket is, pushing `list <repository>` and `answer <repository>` to `events`.
 */
function answeringAfterTurns(events: string[], turns: number): RegistryPort {
  return {
    listTags: (repository) => {
      events.push(`list ${repository}`);
      return new Promise((resolve) =>
        later(turns, () => {
          events.push(`answer ${repository}`);
          resolve(['1.0.0']);
        }),
      );
    },
    describeTags: async () => new Map(),
  };
}

/**
 * A registry whose requests are written `writeTurns` turns of the event loop after they are made
 * (as undici writes a request on a kept-alive connection after an immediate of its own, or once a
 * connection is open) and answered one turn after that, pushing `list`, `write` and `answer` to
 * `events`; `writing()` says whether a request waits to be written.
 */
function writingAfterTurns(events: string[], writeTurns: number): RegistryPort {
  let unwritten = 0;
  return {
    listTags: (repository) => {
      events.push(`list ${repository}`);
      unwritten += 1;
      return new Promise((resolve) =>
        later(writeTurns, () => {
          events.push(`write ${repository}`);
          unwritten -= 1;
          later(1, () => {
            events.push(`answer ${repository}`);
            resolve(['1.0.0']);
          });
        }),
      );
    },
    describeTags: async () => new Map(),
    writing: () => unwritten > 0,
  };
}

const log = { info: () => undefined, group: <T>(_: string, work: () => Promise<T>) => work() };

/**
 * Runs over `files` with the registry `registryOf` makes (a number: one answering each listing that
 * many turns later); returns the reads, listings and the registry's events in the order they
 * happened.
 */
async function readsAndListings(
  files: WorkspacePort,
  registryOf: number | ((events: string[]) => RegistryPort),
  settings: Partial<RunSettings> = {},
): Promise<string[]> {
  const events: string[] = [];
  const registry =
    typeof registryOf === 'number' ? answeringAfterTurns(events, registryOf) : registryOf(events);
  await runUpdate(
    { paths: [], exclude: [], requireAutomated: true, ...settings },
    { workspace: readsInto(events, files), registry, log },
  );
  return events;
}

function hr(name: string, filter: string, image: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: ${filter}
spec:
  values:
    image: ${image}
`;
}

describe('runUpdate', () => {
  it('scans the selected files, lists each repository once and describes only what glob/regex filters need', async () => {
    const reg = registry({
      'docker.io/library/nginx': { '1.25.0': 1, '1.27.0': 2, '2.0.0-rc1': 3 },
      'ghcr.io/org/app': { 'main-a': 1, 'main-b': 5, 'dev-c': 9 },
    });
    const files = {
      'apps/a.yaml': hr('a', 'semver:^1', 'nginx:1.25.0'),
      'apps/b.yaml': hr('b', 'semver:~1.25', 'nginx:1.25.0'),
      'apps/c.yml': hr('c', 'glob:main-*', 'ghcr.io/org/app:main-a'),
      'apps/gone.yaml': hr('gone', 'semver:*', 'ghcr.io/org/missing:1.0.0'),
      'apps/binary.yaml': { unreadable: 'it is a binary file' },
      'docs/readme.md': hr('ignored', 'semver:*', 'nginx:1.0.0'),
      'apps/excluded.yaml': hr('x', 'semver:*', 'nginx:1.0.0'),
    };
    const written: Update[][] = [];
    const pullRequests: PullRequestPort = {
      async write(updates) {
        written.push([...updates]);
        return {
          results: updates.map((u) => ({ action: 'created', branch: `b/${u.release}`, updates: [u] })),
          problems: [],
        };
      },
    };
    const report = await runUpdate(
      { paths: [], exclude: ['**/excluded.yaml'], requireAutomated: true },
      { workspace: workspace(files), registry: reg.port, log, pullRequests },
    );
    expect(reg.calls.sort()).toEqual([
      // The chosen semver tag, for its pull request's build time, source and release notes.
      'describe docker.io/library/nginx 1.27.0',
      'describe ghcr.io/org/app main-a,main-b',
      'list docker.io/library/nginx',
      'list ghcr.io/org/app',
      'list ghcr.io/org/missing',
    ]);
    expect(written.flat().find((u) => u.release === 'a')?.created).toMatch(/^\d{4}-\d\d-\d\dT[\d:]+Z$/);
    expect(report.plan.updates.map((u) => [u.release, u.from, u.to])).toEqual([
      ['a', '1.25.0', '1.27.0'],
      ['c', 'main-a', 'main-b'],
    ]);
    expect(report.plan.containers.map((c) => [c.release, c.decision])).toEqual([
      ['a', 'update'],
      ['b', 'up-to-date'],
      ['c', 'update'],
      ['gone', 'error'],
    ]);
    expect(report.problems.map((p) => [p.file, p.severity])).toEqual([
      ['apps/binary.yaml', 'warning'],
      ['apps/gone.yaml', 'error'],
    ]);
    expect(written).toHaveLength(1);
    expect(report.pullRequests.map((pr) => pr.branch)).toEqual(['b/a', 'b/c']);
    expect(report.counts).toEqual({ files: 5, scanned: 4, releases: 4, containers: 4, repositories: 3 });
  });

  it('starts each repository listing while the scan goes on, once per repository', async () => {
    const events: string[] = [];
    const reg = registry({ 'docker.io/library/nginx': { '1.25.0': 1 }, 'ghcr.io/org/app': { 'main-a': 1 } });
    const port = listingsInto(events, reg.port);
    const files = {
      'a.yaml': hr('a', 'semver:^1', 'nginx:1.25.0'),
      'b.yaml': hr('b', 'semver:^1', 'nginx:1.25.0'),
      'c.yaml': hr('c', 'glob:main-*', 'ghcr.io/org/app:main-a'),
    };
    const recording = {
      info: (message: string) => void events.push(message),
      group: <T>(_: string, work: () => Promise<T>) => work(),
    };
    await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      { workspace: workspace(files), registry: port, log: recording },
    );
    expect(events.slice(0, 3)).toEqual([
      'list docker.io/library/nginx',
      'list ghcr.io/org/app',
      'Scanned 3 files: 3 HelmReleases in 3 files',
    ]);
    expect(events.filter((e) => e.startsWith('list '))).toHaveLength(2);
  });

  it('scans the first file that may hold a HelmRelease as soon as it is read, so the registry starts while the others are read', async () => {
    const events: string[] = [];
    const reg = registry({ 'docker.io/library/nginx': { '1.25.0': 1 }, 'ghcr.io/org/app': { 'main-a': 1 } });
    const port = listingsInto(events, reg.port);
    const files = workspace({
      'a.md': '# no release here',
      'b.yaml': hr('b', 'semver:^1', 'nginx:1.25.0'),
      'c.yaml': hr('c', 'glob:main-*', 'ghcr.io/org/app:main-a'),
      'd.yaml': hr('d', 'semver:^1', 'nginx:1.25.0'),
    });
    const report = await runUpdate(
      { paths: ['**'], exclude: [], requireAutomated: true },
      { workspace: readsInto(events, files), registry: port, log },
    );
    expect(events).toEqual([
      'read a.md',
      'read b.yaml',
      'list docker.io/library/nginx',
      'read c.yaml',
      'read d.yaml',
      'list ghcr.io/org/app',
    ]);
    // Scanned in file order all the same.
    expect(report.plan.containers.map((c) => c.release)).toEqual(['b', 'c', 'd']);
  });

  it('takes a turn of the event loop while the files are read once a listing started, and after each file scanned', async () => {
    const files = workspace({
      'a.yaml': hr('a', 'semver:^1', 'one.example/app:1.0.0'),
      'b.yaml': hr('b', 'semver:^1', 'two.example/app:1.0.0'),
      'c.yaml': hr('c', 'semver:^1', 'three.example/app:1.0.0'),
    });
    const events = await readsAndListings(files, 1);
    expect(events).toEqual([
      'read a.yaml',
      'list one.example/app',
      // The first listing goes out, and its answer is read, while the other files are read.
      'answer one.example/app',
      'read b.yaml',
      'read c.yaml',
      'list two.example/app',
      'answer two.example/app',
      'list three.example/app',
      'answer three.example/app',
    ]);
  });

  it('scans files as they are read until a first wave of registry-concurrency listings has started, each written before the next file is read', async () => {
    const files = workspace({
      'a.yaml': hr('a', 'semver:^1', 'one.example/app:1.0.0'),
      'b.yaml': hr('b', 'semver:^1', 'one.example/app:1.0.0'),
      'c.yaml': hr('c', 'semver:^1', 'two.example/app:1.0.0'),
      'd.yaml': hr('d', 'semver:^1', 'three.example/app:1.0.0'),
      'e.yaml': hr('e', 'semver:^1', 'four.example/app:1.0.0'),
      'f.yaml': 'kind: ConfigMap\n',
    });
    const events = await readsAndListings(files, 1, { registryConcurrency: 3 });
    expect(events).toEqual([
      'read a.yaml',
      'list one.example/app',
      'answer one.example/app',
      // A file whose repository is listed already starts nothing: the wave is of listings.
      'read b.yaml',
      'read c.yaml',
      'list two.example/app',
      'answer two.example/app',
      'read d.yaml',
      'list three.example/app',
      'answer three.example/app',
      // The wave is out: the other files are read before they are parsed.
      'read e.yaml',
      'read f.yaml',
      'list four.example/app',
      'answer four.example/app',
    ]);
  });

  it('looks for a first wave among the next 64 files scanned only, then reads the rest before parsing them', async () => {
    const same = Object.fromEntries(
      Array.from({ length: 70 }, (_, i) => [
        `r${String(i).padStart(2, '0')}.yaml`,
        hr(`r${i}`, 'semver:^1', 'one.example/app:1.0.0'),
      ]),
    );
    const files = workspace({
      ...same,
      'z.yaml': hr('z', 'semver:^1', 'two.example/app:1.0.0'),
      'zz.yaml': 'kind: ConfigMap\n',
    });
    const events = await readsAndListings(files, 1, { registryConcurrency: 3 });
    // z.yaml, the 71st file, is read after the 64 scanned for the wave: parsed once all are read.
    expect(events.indexOf('list two.example/app')).toBeGreaterThan(events.indexOf('read zz.yaml'));
    expect(events.filter((e) => e.startsWith('read '))).toHaveLength(72);
  });

  it.each([
    {
      name: 'waits, after a file scanned, for the requests it made to be written before the next file',
      // Written in the event loop's third turn: one after the run's own two.
      writeTurns: 3,
      events: [
        'read a.yaml',
        'list one.example/app',
        'write one.example/app',
        'read b.yaml',
        'list two.example/app',
        'answer one.example/app',
        'write two.example/app',
        'answer two.example/app',
      ],
    },
    {
      name: 'waits a few turns of the event loop at most for a write (a connection that takes a round trip to open)',
      writeTurns: 8,
      events: [
        'read a.yaml',
        'list one.example/app',
        'read b.yaml',
        'list two.example/app',
        'write one.example/app',
        'answer one.example/app',
        'write two.example/app',
        'answer two.example/app',
      ],
    },
  ])('$name', async ({ writeTurns, events: expected }) => {
    const files = workspace({
      'a.yaml': hr('a', 'semver:^1', 'one.example/app:1.0.0'),
      'b.yaml': hr('b', 'semver:^1', 'two.example/app:1.0.0'),
    });
    const events = await readsAndListings(files, (e) => writingAfterTurns(e, writeTurns), {
      registryConcurrency: 2,
    });
    expect(events).toEqual(expected);
  });

  it('reads on while a listing is in flight, with a turn of the event loop at once and after every eighth file', async () => {
    const others = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`b${i + 1}.yaml`, 'kind: ConfigMap\n']),
    );
    const files = workspace({ 'a.yaml': hr('a', 'semver:^1', 'one.example/app:1.0.0'), ...others });
    // Answered in the run's second turn (a turn of the run is two of the event loop's).
    const events = await readsAndListings(files, 4);
    expect(events).toEqual([
      'read a.yaml',
      'list one.example/app',
      ...Array.from({ length: 8 }, (_, i) => `read b${i + 1}.yaml`),
      'answer one.example/app',
      'read b9.yaml',
    ]);
  });

  it('lets the writes queued while a file is scanned go before the next file', async () => {
    // undici writes a request on a kept-alive connection from an immediate it queues once the
    // answer before it is read: here a listing's answer comes in (a timer, due before the loop's
    // next turn) while its file is scanned and queues the "write" of the next request.
    const events: string[] = [];
    const files = workspace({
      'a.yaml': hr('a', 'semver:^1', 'one.example/app:1.0.0'),
      'b.yaml': hr('b', 'semver:^1', 'two.example/app:1.0.0'),
      'c.yaml': hr('c', 'semver:^1', 'three.example/app:1.0.0'),
    });
    const port: RegistryPort = {
      listTags: (repository) => {
        events.push(`list ${repository}`);
        // The first is listed before the scan's turns begin: only the others are followed by a write.
        if (events.length === 1) return Promise.resolve(['1.0.0']);
        setTimeout(() => setImmediate(() => events.push(`write after ${repository}`)), 1);
        // The rest of the file's scan: long enough for the timer to be due when the scan turns.
        const until = performance.now() + 3;
        while (performance.now() < until);
        return Promise.resolve(['1.0.0']);
      },
      describeTags: async () => new Map(),
    };
    await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      { workspace: files, registry: port, log },
    );
    expect(events).toEqual([
      'list one.example/app',
      'list two.example/app',
      'write after two.example/app',
      'list three.example/app',
      'write after three.example/app',
    ]);
  });

  it('asks the writer with no update when there is nothing to update (to close obsolete pull requests)', async () => {
    const reg = registry({ 'docker.io/library/nginx': { '1.25.0': 1 } });
    const calls: (readonly unknown[])[] = [];
    const report = await runUpdate(
      { paths: ['*.yaml'], exclude: [], requireAutomated: true },
      {
        workspace: workspace({ 'a.yaml': hr('a', 'semver:*', 'nginx:1.25.0') }),
        registry: reg.port,
        log,
        pullRequests: {
          write: async (updates) => {
            calls.push(updates);
            return { results: [], problems: [] };
          },
        },
      },
    );
    expect(report.plan.containers[0].decision).toBe('up-to-date');
    expect(calls).toEqual([[]]);
  });

  it('tells the writer the tags each repository listed in full, and none of one whose listing failed', async () => {
    const reg = registry({ 'docker.io/library/nginx': { '1.25.0': 1, '1.27.0': 2 } });
    let listed: ListedTags | undefined;
    await runUpdate(
      { paths: ['*.yaml'], exclude: [], requireAutomated: true },
      {
        workspace: workspace({
          'a.yaml': hr('a', 'semver:*', 'nginx:1.25.0'),
          'b.yaml': hr('b', 'semver:*', 'ghcr.io/org/missing:1.0.0'),
        }),
        registry: reg.port,
        log,
        pullRequests: {
          write: async (_, tags) => {
            listed = tags;
            return { results: [], problems: [] };
          },
        },
      },
    );
    // An open pull request proposing a tag its repository no longer lists is told from these.
    expect([...(listed?.('docker.io/library/nginx') ?? [])].sort()).toEqual(['1.25.0', '1.27.0']);
    expect(listed?.('ghcr.io/org/missing')).toBeUndefined();
    expect(listed?.('docker.io/library/redis')).toBeUndefined();
  });

  it.each([
    [
      'no HelmRelease at all: check paths and the checkout',
      { 'k8s/deployment.yaml': 'kind: Deployment\n' },
      [
        'No HelmRelease found in 1 file (every *.yaml and *.yml file); nothing was checked. ' +
          'Check paths, and that the job checks the repository out first (actions/checkout).',
      ],
    ],
    [
      'a HelmRelease that cannot be read: its error alone, not "no HelmRelease found"',
      { 'apps/web.yaml': hr('web', 'semver:^1', 'nginx:1.25.0').replace('    image:', '\timage:') },
      [expect.stringMatching(/^HelmRelease web could not be read \(YAML syntax error: line 10 /)],
    ],
    [
      'a non-HelmRelease document that cannot be read warns, and no HelmRelease was found',
      { 'k8s/config.yaml': 'kind: ConfigMap\ndata:\n  note: about a HelmRelease\n  list: [a\n' },
      [
        expect.stringMatching(/^No HelmRelease found in 1 file /),
        expect.stringContaining('YAML syntax error'),
      ],
    ],
  ])('%s', async (_name, files, messages) => {
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      { workspace: workspace(files), registry: registry({}).port, log },
    );
    expect(report.problems.map((p) => p.message)).toEqual(messages);
  });

  it.each<[string, string[], string[]]>([
    [
      'a paths pattern that matches only files without a HelmRelease warns (the run checked nothing there)',
      ['apps/**', 'clusters/prod/kustomization.yaml'],
      [
        'paths: "clusters/prod/kustomization.yaml" matches files, but none holds a HelmRelease; nothing was checked for it.',
      ],
    ],
    ['patterns that each reach a HelmRelease are no problem', ['apps/**', 'clusters/**'], []],
    ['no paths: the default globs are not named', [], []],
  ])('%s', async (_name, paths, messages) => {
    const report = await runUpdate(
      { paths, exclude: [], requireAutomated: true },
      {
        workspace: workspace({
          'apps/web.yaml': hr('web', 'semver:^1', 'nginx:1.25.0'),
          'clusters/prod/kustomization.yaml': 'resources:\n  - ../../apps\n',
          'clusters/prod/api.yaml': hr('api', 'semver:^1', 'nginx:1.25.0'),
        }),
        registry: registry({ 'docker.io/library/nginx': { '1.25.0': 1 } }).port,
        log,
      },
    );
    expect(report.problems.map((p) => p.message)).toEqual(messages);
  });

  it.each<[string, string[], Record<string, string>, [string, string][], string[]]>([
    [
      "an overlay's commonAnnotations lock hold the base's release, even with the overlay outside paths",
      ['apps/**'],
      {
        'clusters/prod/kustomization.yaml':
          'resources:\n  - ../../apps\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
      },
      [['web', 'error']],
      ['clusters/prod/kustomization.yaml:4 error'],
    ],
    [
      'an overlay naming a component the checkout lacks holds what it builds, and every other release is updated',
      [],
      {
        'clusters/prod/kustomization.yaml':
          'resources:\n  - app.yaml\ncomponents:\n  - ../../components/missing\n',
        'clusters/prod/app.yaml': hr('app', 'semver:^1', 'nginx:1.25.0'),
      },
      [
        ['web', 'update'],
        ['app', 'error'],
      ],
      ['clusters/prod/kustomization.yaml:4 error'],
    ],
    [
      'an overlay with unrelated commonAnnotations holds nothing',
      [],
      { 'clusters/prod/kustomization.yaml': 'resources:\n  - ../../apps\ncommonAnnotations:\n  team: web\n' },
      [['web', 'update']],
      [],
    ],
  ])('%s', async (_name, paths, overlay, decisions, problems) => {
    const reads: string[] = [];
    const files = { 'apps/web.yaml': hr('web', 'semver:^1', 'nginx:1.25.0'), ...overlay };
    const port = workspace(files);
    const report = await runUpdate(
      { paths, exclude: [], requireAutomated: true },
      {
        workspace: { ...port, readFile: (path) => (reads.push(path), port.readFile(path)) },
        registry: registry({ 'docker.io/library/nginx': { '1.25.0': 1, '1.27.0': 2 } }).port,
        log,
      },
    );
    expect(report.plan.containers.map((c) => [c.release, c.decision])).toEqual(decisions);
    expect(report.plan.updates).toHaveLength(decisions.filter(([, d]) => d === 'update').length);
    expect(report.problems.map((p) => `${p.file}:${p.line} ${p.severity}`)).toEqual(problems);
    // Each file is read once: the kustomization the scan reads (no paths) is not read again.
    expect(reads.sort()).toEqual(Object.keys(files).sort());
  });

  it('a file with a document Flux v1 cannot load is not edited; the other files are, and the summary names the document', async () => {
    const calls: (readonly Update[])[] = [];
    const broken = `${hr('web', 'semver:^1', 'nginx:1.25.0')}---\nkind: ConfigMap\ndata: {key: [unclosed\n`;
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      {
        workspace: workspace({
          'apps/web.yaml': broken,
          'apps/api.yaml': hr('api', 'semver:^1', 'nginx:1.25.0'),
        }),
        registry: registry({ 'docker.io/library/nginx': { '1.25.0': 1, '1.27.0': 2 } }).port,
        log,
        pullRequests: {
          write: async (updates) => {
            calls.push(updates);
            return { results: [], problems: [] };
          },
        },
      },
    );
    // The other file is still updated.
    expect(calls.map((updates) => updates.map((u) => `${u.file} ${u.to}`))).toEqual([
      ['apps/api.yaml 1.27.0'],
    ]);
    expect(report.plan.edits.map((e) => e.file)).toEqual(['apps/api.yaml']);
    expect(report.problems.map((p) => [p.file, p.line, p.severity])).toEqual([
      ['apps/web.yaml', 13, 'error'],
    ]);
    expect(report.plan.containers.map((c) => [c.release, c.decision, c.reason])).toEqual([
      ['api', 'update', 'highest version matching ^1'],
      [
        'web',
        'error',
        'not updated to 1.27.0: the document at line 13 is not valid YAML, and Flux v1 fails the whole file on it; ' +
          'repair that document, or move it to a file of its own',
      ],
    ]);
    // Held like a release blocked by its annotations: the error is listed once, as a problem.
    expect(renderSummary(report, false)).toContain(
      '- **Error** apps/web.yaml:13 this document is not valid YAML (YAML syntax error: Flow sequence in block ' +
        'collection must be sufficiently indented and end with a \\]); Flux v1 fails the whole file on it, so no ' +
        'HelmRelease in this file is updated: repair the document, or move it to a file of its own\n',
    );
  });

  // "Queried 2 repositories (0 failed)" once stood beside an image that could not be checked
  // because none of its tags could be read.
  it.each<[string, Record<string, 'unlisted' | 'readable' | 'one unreadable' | 'unreadable'>, string]>([
    ['every repository read', { 'team/a': 'readable', 'team/b': 'readable' }, '(0 failed)'],
    ['a listing failed', { 'team/a': 'unlisted', 'team/b': 'readable' }, '(1 failed)'],
    [
      'no tag of a repository could be read',
      { 'team/a': 'unreadable', 'team/b': 'readable' },
      '(1 failed: 1 had tags that could not be read)',
    ],
    [
      'one tag of a repository could not be read',
      { 'team/a': 'one unreadable', 'team/b': 'readable' },
      '(1 failed: 1 had tags that could not be read)',
    ],
    [
      'both',
      { 'team/a': 'unlisted', 'team/b': 'unreadable' },
      '(2 failed: 1 could not be listed, 1 had tags that could not be read)',
    ],
  ])('counts what failed in the registry phase: %s', async (_name, repositories, failed) => {
    const host = 'registry.example.com';
    const fail = (repository: string) => new RegistryError(`${repository}: injected`, host, 500);
    const state = (repository: string) => repositories[repository.slice(host.length + 1)];
    const port: RegistryPort = {
      listTags: async (repository) => {
        if (state(repository) === 'unlisted') throw fail(repository);
        return ['1.0.0', '1.1.0'];
      },
      describeTags: async (repository, tags) =>
        new Map(
          tags.map((tag) => [
            tag,
            state(repository) === 'unreadable' || (state(repository) === 'one unreadable' && tag === '1.0.0')
              ? fail(repository)
              : { digest: `sha256:${tag}`, created: new Date(0) },
          ]),
        ),
    };
    const lines: string[] = [];
    const files = Object.fromEntries(
      Object.keys(repositories).map((name) => [
        `${name}.yaml`,
        hr(name.split('/')[1], 'glob:*', `${host}/${name}:1.0.0`),
      ]),
    );
    await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      {
        workspace: workspace(files),
        registry: port,
        log: { ...log, info: (line: string) => void lines.push(line) },
      },
    );
    expect(lines.filter((line) => line.startsWith('Queried'))).toEqual([`Queried 2 repositories ${failed}`]);
  });

  it('tells the progress sink how far the registry phase is, and that it is over', async () => {
    const reg = registry({
      'docker.io/library/nginx': { '1.25.0': 1, '1.27.0': 2 },
      'ghcr.io/org/app': { 'main-a': 1, 'main-b': 5, 'dev-c': 9 },
    });
    const seen: string[] = [];
    await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      {
        workspace: workspace({
          'a.yaml': hr('a', 'semver:^1', 'nginx:1.25.0'),
          'b.yaml': hr('b', 'glob:main-*', 'ghcr.io/org/app:main-a'),
          'c.yaml': hr('c', 'glob:*', 'ghcr.io/org/missing:1'),
        }),
        registry: reg.port,
        log,
        progress: {
          update: (p) =>
            seen.push(`${p.repositoriesDone}/${p.repositoriesTotal} ${p.tagsDescribed}/${p.tagsToDescribe}`),
          finish: () => seen.push('finish'),
        },
      },
    );
    expect(seen[0]).toBe('0/3 0/0');
    expect(seen.at(-2)).toBe('3/3 2/2');
    expect(seen.at(-1)).toBe('finish');
    // Never backwards.
    const numbers = seen.slice(0, -1).map((s) => s.split(/[ /]/).map(Number));
    for (let i = 1; i < numbers.length; i += 1) {
      expect(numbers[i]![0]).toBeGreaterThanOrEqual(numbers[i - 1]![0]!);
      expect(numbers[i]![2]).toBeGreaterThanOrEqual(numbers[i - 1]![2]!);
    }
    // Each described tag was told as it came (main-a and main-b), not only at the end.
    expect(seen.filter((s) => / 1\/2$/.test(s)).length).toBeGreaterThan(0);
  });
});

describe('runUpdate with images (a scoped run)', () => {
  const files = {
    'a.yaml': hr('a', 'semver:^1', 'nginx:1.25.0'),
    'b.yaml': hr('b', 'semver:^1', 'bitnami/redis:1.0.0'),
    'c.yaml': hr('c', 'semver:^1', 'ghcr.io/org/app:1.0.0'),
    'd.yaml': hr('d', 'semver:^1', 'docker.io/bitnami/charts/mongodb:1.0.0'),
  };
  const repos = {
    'docker.io/library/nginx': { '1.25.0': 1, '1.27.0': 2 },
    'docker.io/bitnami/redis': { '1.0.0': 1, '1.1.0': 2 },
    'ghcr.io/org/app': { '1.0.0': 1, '1.0.1': 2 },
    'docker.io/bitnami/charts/mongodb': { '1.0.0': 1, '1.2.0': 2 },
  };

  it.each([
    {
      name: 'a glob stays within one path segment',
      images: ['docker.io/bitnami/*'],
      checked: ['b'],
      warned: [],
    },
    {
      name: '** crosses segments; a webhook image:tag is normalised and its tag dropped',
      images: ['docker.io/bitnami/**', 'nginx:1.99.0'],
      checked: ['a', 'b', 'd'],
      warned: [],
    },
    {
      name: 'a value that matches no image found is a warning naming it',
      images: ['ghcr.io/org/app', 'quay.io/nobody/*', 'bitnami/gone'],
      checked: ['c'],
      warned: [
        'images: "quay.io/nobody/*" matches no image found in the HelmReleases scanned; nothing was checked for it.',
        'images: "bitnami/gone" (docker.io/bitnami/gone) matches no image found in the HelmReleases scanned; nothing was checked for it.',
      ],
    },
  ])('$name', async ({ images, checked, warned }) => {
    const reg = registry(repos);
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true, images },
      { workspace: workspace(files), registry: reg.port, log },
    );
    const all = ['a', 'b', 'c', 'd'];
    expect(report.plan.containers.map((c) => [c.release, c.decision])).toEqual(
      all.map((r) => [r, checked.includes(r) ? 'update' : 'out-of-scope']),
    );
    // Only the repositories in scope are asked about.
    expect(reg.calls.filter((c) => c.startsWith('list ')).sort()).toEqual(
      report.plan.containers
        .filter((c) => checked.includes(c.release))
        .map((c) => `list ${c.repository}`)
        .sort(),
    );
    expect(report.counts.repositories).toBe(checked.length);
    expect(report.problems.map((p) => [p.severity, p.message])).toEqual(warned.map((m) => ['warning', m]));
  });

  it('checks every image when images is empty', async () => {
    const reg = registry(repos);
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true, images: [] },
      { workspace: workspace(files), registry: reg.port, log },
    );
    expect(report.plan.containers.every((c) => c.decision === 'update')).toBe(true);
  });
});

describe('runUpdate with a minimum release age', () => {
  const DAY = 86_400;
  /** Build times in seconds; "now" is day 100. */
  const clock = () => new Date(100 * DAY * 1000);
  const repos = {
    'docker.io/library/nginx': {
      '1.0.0': 10 * DAY,
      '1.1.0': 90 * DAY,
      '1.2.0': 98 * DAY,
      '1.3.0': 99 * DAY,
      '1.4.0': 99.5 * DAY,
    },
  };

  it('describes semver candidates best first until one is old enough, and proposes it', async () => {
    const reg = registry(repos);
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true, minimumReleaseAgeMs: 3 * DAY * 1000 },
      {
        workspace: workspace({ 'a.yaml': hr('a', 'semver:^1', 'nginx:1.0.0') }),
        registry: reg.port,
        log,
        clock,
      },
    );
    expect(reg.calls).toEqual([
      'list docker.io/library/nginx',
      'describe docker.io/library/nginx 1.4.0',
      'describe docker.io/library/nginx 1.3.0',
      'describe docker.io/library/nginx 1.2.0',
      'describe docker.io/library/nginx 1.1.0',
    ]);
    expect(report.plan.updates.map((u) => u.to)).toEqual(['1.1.0']);
    expect(report.plan.updates[0]!.chosenBy).toContain('1.4.0 (built 1970-04-10T12:00:00Z) is younger than');
    // The job summary says which newer tag waits and from when it will be proposed.
    expect(renderSummary(report, false)).toContain(
      '1.4.0 (built 1970-04-10T12:00:00Z) is younger than the minimum release age 3d and will be proposed from 1970-04-13T12:00:00Z',
    );
  });

  it('the annotation overrides the input: a release with 0 takes the newest at once, one with 30d waits', async () => {
    const annotated = (name: string, age: string) =>
      hr(name, 'semver:^1', 'nginx:1.0.0').replace(
        '    fluxcd.io/automated: "true"\n',
        `    fluxcd.io/automated: "true"\n    helmrelease-image-updater.io/minimum-release-age: "${age}"\n`,
      );
    const reg = registry(repos);
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true, minimumReleaseAgeMs: 3 * DAY * 1000 },
      {
        workspace: workspace({ 'a.yaml': annotated('a', '0'), 'b.yaml': annotated('b', '30d') }),
        registry: reg.port,
        log,
        clock,
      },
    );
    expect(report.plan.containers.map((c) => [c.release, c.decision, c.update?.to])).toEqual([
      ['a', 'update', '1.4.0'],
      ['b', 'too-new', undefined],
    ]);
    // At most five candidates are read for the release that waits.
    expect(reg.calls.filter((c) => c.startsWith('describe'))).toHaveLength(4);
    expect(report.plan.containers[1]!.reason).toContain('will be proposed from');
  });

  it('an unusable annotation blocks the release', async () => {
    const reg = registry(repos);
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      {
        workspace: workspace({
          'a.yaml': hr('a', 'semver:^1', 'nginx:1.0.0').replace(
            '    fluxcd.io/automated: "true"\n',
            '    fluxcd.io/automated: "true"\n    helmrelease-image-updater.io/minimum-release-age: three days\n',
          ),
        }),
        registry: reg.port,
        log,
        clock,
      },
    );
    expect(report.plan.containers.map((c) => c.decision)).toEqual(['error']);
    expect(report.problems.map((p) => [p.severity, p.line])).toEqual([['error', 7]]);
    expect(report.problems[0]!.message).toContain('write 0 or a duration such as 12h or 3d');
  });
  describe('plans a file only once every repository it names has answered', () => {
    // a.yaml names a slow repository and a fast one; b.yaml only the fast one, so b.yaml is ready
    // first. Planned too early, a.yaml's slow container would read "not looked up".
    const files = {
      'a.yaml': `${hr('one', 'semver:^1', 'slow.example/app:1.0.0')}---\n${hr('two', 'semver:^1', 'fast.example/app:1.0.0')}`,
      'b.yaml': hr('three', 'semver:^1', 'fast.example/app:1.0.0'),
    };
    it.each([
      {
        slow: 'answers last',
        decisions: [
          ['one', 'update'],
          ['two', 'update'],
          ['three', 'update'],
        ],
        problems: [] as string[][],
      },
      {
        slow: 'fails last',
        decisions: [
          ['one', 'error'],
          ['two', 'update'],
          ['three', 'update'],
        ],
        problems: [['a.yaml', 'error']],
      },
    ])('when the slow repository $slow', async ({ slow, decisions, problems }) => {
      const answered: string[] = [];
      const port: RegistryPort = {
        async listTags(repository) {
          if (repository === 'slow.example/app') {
            // Answer only after the fast repository's files could have been planned.
            await new Promise((resolve) => setTimeout(resolve, 30));
            answered.push(repository);
            if (slow === 'fails last') throw new RegistryError('slow.example/app: unreachable', 'test');
          } else answered.push(repository);
          return ['1.0.0', '1.1.0'];
        },
        async describeTags() {
          return new Map();
        },
      };
      const report = await runUpdate(
        { paths: [], exclude: [], requireAutomated: true },
        { workspace: workspace(files), registry: port, log },
      );
      expect(answered).toEqual(['fast.example/app', 'slow.example/app']);
      expect(report.plan.containers.map((c) => [c.release, c.decision])).toEqual(decisions);
      expect(report.plan.edits.map((e) => [e.file, e.updates.map((u) => u.release)])).toEqual([
        ['a.yaml', decisions[0][1] === 'update' ? ['one', 'two'] : ['two']],
        ['b.yaml', ['three']],
      ]);
      expect(report.plan.edits[0].after.match(/:1\.1\.0/g)).toHaveLength(
        decisions[0][1] === 'update' ? 2 : 1,
      );
      expect(report.problems.map((p) => [p.file, p.severity])).toEqual(problems);
    });
  });
});
