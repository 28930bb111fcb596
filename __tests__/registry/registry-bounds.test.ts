/**
 * Bounds of the registry client against a synthetic registry of our own on 127.0.0.1 (one that
 * makes up tags, manifests and configs, so thousands of tags cost nothing to seed): requests per
 * repository follow the concurrency, not the tag count; a cap on tags asked about per repository
 * per run, with the digest cache answering for what it knows; caps on tags listed, per repository
 * and held by the run; deadlines per repository and for the run, and a host's slots shared fairly
 * between repositories.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpRegistry } from '../../src/adapters/registry-setup.js';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { createPullRequestPort } from '../../src/github/pull-request-writer.js';
import { DigestCache } from '../../src/registry/digest-cache.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { problemsOutput } from '../../src/report/outputs.js';
import { runUpdate } from '../../src/run-update.js';
import { parseSettings } from '../../src/settings.js';
import {
  startSyntheticRegistry,
  type SyntheticRegistry,
  type SyntheticRegistryOptions,
} from '../../test-support/registry/synthetic-registry.js';
import { startGitHubStandIn, WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import { helmRelease, memoryLog, memoryWorkspace, RUN_SETTINGS } from '../reliability/support.js';

const HTTP = { timeoutMs: 5000, retries: 0, retryBaseDelayMs: 0 };
const running: SyntheticRegistry[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function start(options: SyntheticRegistryOptions): Promise<SyntheticRegistry> {
  const registry = await startSyntheticRegistry(options);
  running.push(registry);
  return registry;
}

/** `count` tags `<prefix>00`.. named so that the lexically smallest is the newest build. */
function newestFirstByName(prefix: string, count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `${prefix}${String(i).padStart(2, '0')}`,
      new Date(Date.UTC(2024, 0, 1) + (count - i) * 86_400_000).toISOString(),
    ]),
  );
}

describe('describing tags', () => {
  it('asks about a few tags at a time, not with one pending request per tag up front', async () => {
    const tags = newestFirstByName('t', 40);
    const registry = await start({ repositories: { 'team/app': { tags } } });
    const client = createRegistryClient({ http: { ...HTTP, maxInFlightPerHost: 2 } });
    const details = await client.describeTags(`${registry.host}/team/app`, Object.keys(tags));
    expect([...details.values()].filter((d) => d instanceof Error)).toEqual([]);
    expect(details.size).toBe(40);
    // With every tag's HEAD queued at once, each manifest GET waits behind all 40 HEADs; with a
    // few tags described at a time, the first tag's manifest is read long before the last HEAD.
    const kinds = registry.log.map((r) => r.kind);
    expect(kinds.indexOf('getManifest')).toBeLessThan(kinds.lastIndexOf('headManifest'));
    expect(registry.peakOpen).toBeLessThanOrEqual(2);
  });

  it('asks about at most maxTagsDescribed tags per run; the cache fills over runs, and then the answer is the newest build', async () => {
    // 25 tags a00..a24, a00 the newest build: the listing-order guess (later names first) is wrong.
    const tags = newestFirstByName('a', 25);
    const registry = await start({ repositories: { 'team/app': { tags } } });
    const files = {
      'app.yaml': helmRelease({
        values: [`image: ${registry.host}/team/app:a24`],
        annotations: ['filter.fluxcd.io/chart-image: "glob:a*"'],
      }),
    };
    const cache = new DigestCache();
    const run = async () => {
      const notices: string[] = [];
      const before = registry.count('headManifest');
      const client = createRegistryClient({
        http: HTTP,
        maxTagsDescribed: 10,
        digestCache: cache,
        onNotice: (n) => notices.push(n),
      });
      const report = await runUpdate(RUN_SETTINGS, {
        workspace: memoryWorkspace(files),
        registry: client,
        log: memoryLog(),
      });
      return {
        heads: registry.count('headManifest') - before,
        chosen: report.plan.updates.map((u) => u.newImage.split(':').pop()),
        problems: problemsOutput(report.problems).map((p) => p.message),
        notices,
      };
    };
    const repository = `${registry.host}/team/app`;

    // Cold: the current tag and 9 more, 15 never described: the limitation is stated.
    expect(await run()).toEqual({
      heads: 10,
      chosen: ['a15'],
      problems: [
        expect.stringMatching(
          /^apps\/app chart-image: 15 tags matching glob:a\* were not described by the registry this run \(a00, a01, a02, \.\.\.\), so the newest build of the 10 tags that were described is chosen; it may not be the newest of all$/,
        ),
      ],
      notices: [
        `${repository}: 25 tags need a build time, more than the 10 asked about per repository per run; 10 were asked about, 0 taken from the digest cache (their last-known build), and 15 never described yet were left out, so a choice by build time may miss a newer build until later runs (which keep what they learn in the digest cache) have described them`,
      ],
    });
    // The tags never described go first; the ones described before are answered by the cache.
    expect(await run()).toMatchObject({
      heads: 10,
      chosen: ['a05'],
      problems: [expect.stringMatching(/^apps\/app chart-image: 5 tags matching/)],
    });
    // Every tag known: the newest known are asked again, the rest answered from the cache, and
    // the choice is the newest build of all, with no problem.
    expect(await run()).toEqual({
      heads: 10,
      chosen: ['a00'],
      problems: [],
      notices: [
        `${repository}: 25 tags need a build time, more than the 10 asked about per repository per run; 10 were asked about, 15 taken from the digest cache (their last-known build)`,
      ],
    });
  });
});

describe('listing tags', () => {
  it('gives up on a repository past maxTags, across pages, while another completes', async () => {
    const registry = await start({
      repositories: { 'team/big': { count: 30 }, 'team/small': { count: 5 } },
      pageSize: 10,
    });
    const client = createRegistryClient({ http: HTTP, maxTags: 25 });
    await expect(client.listTags(`${registry.host}/team/big`)).rejects.toThrow(
      `${registry.host}/team/big lists more than 25 tags (the most read per repository); giving up on it`,
    );
    expect(registry.count('tagPage', 'team/big')).toBe(3);
    expect(await client.listTags(`${registry.host}/team/small`)).toHaveLength(5);
  });

  /** The run's bound's message for `repository`, with `own` tags of its own and `others` held. */
  const runBound = (repository: string, own: number, others: number, max: number) =>
    `${repository} lists more tags than the run has room for: its ${own} so far, with the ${others} other listings hold, ` +
    `pass ${max} (the most held per run); giving up on it. List fewer such repositories in one run: the images input ` +
    'leaves some out, for a run of their own (a filter does not help: a listing is read whole)';

  it('lists at most maxRepositories repositories a run; the ones past it fail at once, asking nothing', async () => {
    const names = ['a', 'b', 'c', 'd'];
    const registry = await start({
      repositories: Object.fromEntries(names.map((name) => [`team/${name}`, { count: 3 }])),
    });
    // Two releases name team/a: a repository already admitted is listed for both.
    const files = Object.fromEntries(
      [...names, 'a'].map((name, i) => [
        `${i}-${name}.yaml`,
        helmRelease({
          name: `${name}${i}`,
          values: [`image: ${registry.host}/team/${name}:build-0000000`],
          annotations: ['filter.fluxcd.io/chart-image: "glob:build-*"'],
        }),
      ]),
    );
    const client = createRegistryClient({ http: { ...HTTP, maxInFlightPerHost: 1 }, maxRepositories: 2 });
    const report = await runUpdate(RUN_SETTINGS, {
      workspace: memoryWorkspace(files),
      registry: client,
      log: memoryLog(),
    });
    expect(report.plan.updates.map((u) => u.newImage).sort()).toEqual([
      `${registry.host}/team/a:build-0000002`,
      `${registry.host}/team/a:build-0000002`,
      `${registry.host}/team/b:build-0000002`,
    ]);
    const listed = registry.log.filter((r) => r.kind !== 'other').map((r) => r.repository);
    expect([...new Set(listed)].sort()).toEqual(['team/a', 'team/b']);
    expect(problemsOutput(report.problems).map((p) => [p.severity, p.message])).toEqual(
      ['c', 'd'].map((name) => [
        'error',
        expect.stringContaining(
          `could not check ${registry.host}/team/${name}: not checked: this run already reads 2 repositories, ` +
            'the most one run reads (so that a checkout naming more cannot exhaust the runner); narrow paths or images',
        ),
      ]),
    );
  });

  it("fails the listing that takes the run's tags past maxRunTags; the run plans its other containers", async () => {
    // Repositories of 20 tags in one page each, listed one at a time in the order their files are
    // scanned (a.yaml to d.yaml): 20, 40, then 60 would pass 50. The fourth, of 5, fits beside 40.
    const registry = await start({
      repositories: {
        'team/a': { count: 20 },
        'team/b': { count: 20 },
        'team/c': { count: 20 },
        'team/d': { count: 5 },
      },
    });
    const names = ['a', 'b', 'c', 'd'];
    const files = Object.fromEntries(
      names.map((name) => [
        `${name}.yaml`,
        helmRelease({
          name,
          values: [`image: ${registry.host}/team/${name}:build-0000000`],
          annotations: ['filter.fluxcd.io/chart-image: "glob:build-*"'],
        }),
      ]),
    );
    const client = createRegistryClient({ http: { ...HTTP, maxInFlightPerHost: 1 }, maxRunTags: 50 });
    const report = await runUpdate(RUN_SETTINGS, {
      workspace: memoryWorkspace(files),
      registry: client,
      log: memoryLog(),
    });
    expect(report.plan.updates.map((u) => u.newImage).sort()).toEqual([
      `${registry.host}/team/a:build-0000019`,
      `${registry.host}/team/b:build-0000019`,
      `${registry.host}/team/d:build-0000004`,
    ]);
    expect(problemsOutput(report.problems)).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining(runBound(`${registry.host}/team/c`, 20, 40, 50)),
      }),
    ]);
  });

  // Each step lists a repository (pages of 10 tags) or abandons one, against a run bound of 50.
  type Step = { list: string; fails?: [own: number, others: number] } | { abandon: string };
  const steps: Array<[string, Step[]]> = [
    [
      'a listing stops at the page that passes; its tags go back, so a later one that fits is listed',
      [{ list: 'small' }, { list: 'big', fails: [30, 30] }, { list: 'mid' }],
    ],
    [
      "listings done keep their tags to the run's end: a later one that does not fit fails, however small",
      [{ list: 'small' }, { list: 'mid' }, { list: 'tiny', fails: [1, 50] }],
    ],
    [
      'a listing abandoned gives its tags back',
      [{ list: 'small' }, { abandon: 'small' }, { list: 'mid' }, { list: 'other' }],
    ],
  ];
  it.each(steps)('maxRunTags counts the tags held: %s', async (_, run) => {
    const registry = await start({
      repositories: {
        'team/small': { count: 30 },
        'team/other': { count: 30 },
        'team/mid': { count: 20 },
        'team/big': { count: 100 },
        'team/tiny': { count: 1 },
      },
      pageSize: 10,
    });
    const client = createRegistryClient({ http: HTTP, maxRunTags: 50 });
    for (const step of run) {
      if ('abandon' in step) {
        client.abandon(`${registry.host}/team/${step.abandon}`, 'not needed');
        continue;
      }
      const repository = `${registry.host}/team/${step.list}`;
      const served = registry.count('tagPage', `team/${step.list}`);
      if (step.fails) {
        await expect(client.listTags(repository)).rejects.toThrow(runBound(repository, ...step.fails, 50));
        // Stopped at the page that passed, not read to its end.
        expect(registry.count('tagPage', `team/${step.list}`) - served).toBe(Math.ceil(step.fails[0] / 10));
      } else {
        await client.listTags(repository);
      }
    }
  });
});

/** Resolves once `test` holds, checking every 10 ms. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('deadlines', () => {
  const TAGS = newestFirstByName('h', 40);
  const OK_TAGS = { '1.0': '2024-01-01T00:00:00Z', '1.1': '2024-02-01T00:00:00Z' };

  it('a repository whose HEADs hang holds another on the same host for at most one request timeout', async () => {
    const registry = await start({
      repositories: { 'team/hang': { tags: TAGS }, 'team/ok': { tags: OK_TAGS } },
      hang: (r) => r.repository === 'team/hang' && r.kind === 'headManifest',
    });
    const client = createRegistryClient({
      http: { timeoutMs: 1000, retries: 1, retryBaseDelayMs: 0, maxInFlightPerHost: 8 },
      repositoryDeadlineMs: 3000,
    });
    const hang = `${registry.host}/team/hang`;
    const hanging = client.describeTags(hang, await client.listTags(hang));
    // Every slot of the host is held by a request that will never be answered.
    await until(() => registry.count('headManifest', 'team/hang') >= 8);
    const ok = `${registry.host}/team/ok`;
    const details = await client.describeTags(ok, await client.listTags(ok));
    expect([...details.keys()].sort()).toEqual(['1.0', '1.1']);
    expect([...details.values()].filter((d) => d instanceof Error)).toEqual([]);
    // The other repository waited for the first requests to time out, and for nothing else: it
    // was done before the retries of those requests timed out in turn, which is when the hanging
    // repository moves on to its next tags.
    const okDone = Math.max(...registry.log.filter((r) => r.repository === 'team/ok').map((r) => r.arrived));
    const firstTags = new Set(Object.keys(TAGS).sort().slice(0, 8));
    const laterTags = registry.log.filter(
      (r) =>
        r.repository === 'team/hang' &&
        r.kind === 'headManifest' &&
        !firstTags.has(r.path.split('/').pop()!) &&
        r.arrived < okDone,
    );
    expect(laterTags).toEqual([]);

    // The hanging repository ends at its deadline, with one error for the tags not yet asked about.
    const stuck = await hanging;
    const messages = new Set([...stuck.values()].map((d) => (d instanceof Error ? d.message : 'details')));
    expect(messages).toContain(
      `gave up on ${hang} after its requests ran for 3s, the time allowed per repository`,
    );
    expect(messages).not.toContain('details');
  });

  it("repositories queued behind each other for longer than a repository's deadline: none gives up", async () => {
    // One request in flight and each answered in 150 ms: the last of eight waits 1,050 ms for its
    // slot, but is served 150 ms of its 600. Counted from the first request on, five of the eight
    // gave up, queued.
    const names = Array.from({ length: 8 }, (_, i) => `team/app${i}`);
    const registry = await start({
      repositories: Object.fromEntries(names.map((name) => [name, { tags: OK_TAGS }])),
      delayMs: () => 150,
    });
    const client = createRegistryClient({
      http: { ...HTTP, maxInFlightPerHost: 1 },
      repositoryDeadlineMs: 600,
    });
    const listed = await Promise.allSettled(names.map((name) => client.listTags(`${registry.host}/${name}`)));
    expect(listed.map((r) => (r.status === 'fulfilled' ? r.value.length : String(r.reason)))).toEqual(
      Array(8).fill(2),
    );
  });

  it('the run budget ends every repository not done, and the finished ones still get their pull request', async () => {
    const registry = await start({
      repositories: { 'team/hang': { tags: TAGS }, 'team/ok': { tags: OK_TAGS } },
      hang: (r) => r.repository === 'team/hang' && r.kind === 'headManifest',
    });
    const standIn = await startGitHubStandIn();
    try {
      const release = (name: string, image: string) =>
        helmRelease({
          name,
          values: [`image: ${image}`],
          annotations: ['filter.fluxcd.io/chart-image: "glob:*"'],
        });
      const files = {
        'hang.yaml': release('hang', `${registry.host}/team/hang:h39`),
        'ok.yaml': release('ok', `${registry.host}/team/ok:1.0`),
      };
      await standIn.createRepository('acme', 'gitops', files);
      const github = createGitHubClient({
        token: WRITE_TOKEN,
        baseUrl: standIn.url,
        retries: 0,
        spaceWrites: false,
      });
      const report = await runUpdate(RUN_SETTINGS, {
        workspace: memoryWorkspace(files),
        // A long deadline per repository and per request: the run's budget is what ends the wait.
        registry: createRegistryClient({
          http: { timeoutMs: 60_000, retries: 0, maxInFlightPerHost: 8 },
          registryBudgetMs: 2000,
        }),
        log: memoryLog(),
        pullRequests: createPullRequestPort({
          github,
          owner: 'acme',
          repo: 'gitops',
          branchPrefix: 'helmrelease-image-updater/',
          applyUpdates,
          groupBy: 'container',
        }),
      });
      expect(report.plan.updates.map((u) => u.newImage)).toEqual([`${registry.host}/team/ok:1.1`]);
      expect(report.pullRequests.map((p) => p.action)).toEqual(['created']);
      expect(standIn.pulls('acme', 'gitops')).toHaveLength(1);
      const problems = problemsOutput(report.problems).map((p) => [p.file, p.message]);
      // Not one tag of it could be read: an error, once, for an image that could not be checked.
      expect(problems).toEqual([
        [
          'hang.yaml',
          `apps/hang chart-image: could not check ${registry.host}/team/hang: none of the tags matching glob:* could be read from the registry: 40 tags (h00, h01, h02, ...): the run's time for registries (registry-budget, 2s) ran out`,
        ],
      ]);
      expect(report.problems.map((p) => p.severity)).toEqual(['error']);
    } finally {
      await standIn.stop();
    }
  });

  it('stopping abandons a listing in flight and one waiting for its slot, at once', async () => {
    const registry = await start({
      repositories: { 'team/hang': { count: 3 }, 'team/ok': { tags: OK_TAGS } },
      hang: (r) => r.repository === 'team/hang',
    });
    // Long timeouts and one slot: only the stop can end either listing soon.
    const client = createRegistryClient({ http: { timeoutMs: 60_000, retries: 0, maxInFlightPerHost: 1 } });
    const inFlight = client.listTags(`${registry.host}/team/hang`);
    const waiting = client.listTags(`${registry.host}/team/ok`);
    const later = () => client.listTags(`${registry.host}/team/other`);
    client.stop('the run stopped');
    await expect(inFlight).rejects.toThrow(/the run stopped/);
    await expect(waiting).rejects.toThrow(/the run stopped/);
    await expect(later()).rejects.toThrow(/the run stopped/);
  });

  it("the Action's and the CLI's client (credentials looked up first) passes the stop on", async () => {
    const registry = await start({
      repositories: { 'team/hang': { count: 3 } },
      hang: (r) => r.repository === 'team/hang',
    });
    const dockerConfig = await mkdtemp(join(tmpdir(), 'bounds-docker-config-'));
    try {
      const settings = parseSettings((name) => (name === 'insecure-registries' ? registry.host : undefined));
      const { client } = await setUpRegistry(settings, {
        maskSecret: () => undefined,
        onNotice: () => undefined,
        env: { DOCKER_CONFIG: dockerConfig, PATH: process.env.PATH },
      });
      const pending = client.listTags(`${registry.host}/team/hang`);
      // Let the request reach the registry, which never answers it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      client.stop('the run stopped');
      await expect(pending).rejects.toThrow(/the run stopped/);
    } finally {
      await rm(dockerConfig, { recursive: true, force: true });
    }
  });

  it('a tag list that trickles forever ends at the request timeout; the next listing goes ahead', async () => {
    const registry = await start({
      repositories: { 'team/slow': { count: 3 }, 'team/ok': { tags: OK_TAGS } },
      trickle: (r) => r.repository === 'team/slow',
    });
    const client = createRegistryClient({ http: { timeoutMs: 1000, retries: 0, maxInFlightPerHost: 1 } });
    const slow = client.listTags(`${registry.host}/team/slow`);
    const ok = client.listTags(`${registry.host}/team/ok`);
    await expect(slow).rejects.toThrow(/timed out after 1000 ms/);
    expect(await ok).toEqual(['1.0', '1.1']);
  });
});
