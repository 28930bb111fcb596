/**
 * GitHub faults through the whole run (plan from files, real pull request writer, strict
 * stand-in): 502s and secondary rate limits mid-run, a run killed between creating a branch and
 * opening its pull request, and two runs at the same time. Whatever happened, a later run
 * converges: exactly one open pull request per bump, no duplicates, no orphan branches, no commit
 * on the base branch, and a run after that writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { createPullRequestPort } from '../../src/github/pull-request-writer.js';
import { runUpdate, type RunReport } from '../../src/run-update.js';
import {
  WRITE_TOKEN,
  startGitHubStandIn,
  type Fault,
  type GitHubStandIn,
} from '../../test-support/github/stand-in.js';
import { helmRelease, memoryLog, memoryRegistry, memoryWorkspace, RUN_SETTINGS } from './support.js';

const OWNER = 'acme';
const PREFIX = 'helmrelease-image-updater/';

/** Three bumps in two files: nginx and redis in one, busybox in the other. */
const FILES: Record<string, string> = {
  'apps/web.yaml': [
    helmRelease({ name: 'web', values: ['image: nginx:1.0.0'] }),
    helmRelease({ name: 'cache', values: ['image: redis:7.0.0'] }),
  ].join('---\n'),
  'apps/tools.yaml': helmRelease({ name: 'tools', values: ['image: busybox:1.30.0'] }),
};
const REGISTRY = memoryRegistry({
  'docker.io/library/nginx': ['1.0.0', '1.1.0'],
  'docker.io/library/redis': ['7.0.0', '7.2.0'],
  'docker.io/library/busybox': ['1.30.0', '1.31.0'],
});
/** What each bump's pull request must change: file -> text after. */
const BUMPS: [string, string, string][] = [
  ['apps/web.yaml', 'nginx:1.0.0', 'nginx:1.1.0'],
  ['apps/web.yaml', 'redis:7.0.0', 'redis:7.2.0'],
  ['apps/tools.yaml', 'busybox:1.30.0', 'busybox:1.31.0'],
];

let standIn: GitHubStandIn;
let repoCount = 0;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(async () => {
  await standIn?.stop();
});

/** One whole run against `repo`; `retrying` turns Octokit's retry and throttling plugins on. */
function run(repo: string, retrying: boolean): Promise<RunReport> {
  const github = createGitHubClient({
    token: WRITE_TOKEN,
    baseUrl: standIn.url,
    retries: retrying ? 3 : 0,
    retryAfterBaseValue: 0,
    spaceWrites: false,
  });
  return runUpdate(RUN_SETTINGS, {
    workspace: memoryWorkspace(FILES),
    registry: REGISTRY,
    log: memoryLog(),
    pullRequests: createPullRequestPort({
      github,
      owner: OWNER,
      repo,
      branchPrefix: PREFIX,
      applyUpdates,
      groupBy: 'container',
    }),
  });
}

async function newRepository(): Promise<{ repo: string; baseSha: string }> {
  const repo = `gitops-${(repoCount += 1)}`;
  const { sha } = await standIn.createRepository(OWNER, repo, FILES);
  return { repo, baseSha: sha };
}

/** Exactly one open pull request per bump, each changing only its tag; no orphans; base untouched. */
async function expectConverged(repo: string, baseSha: string): Promise<void> {
  expect(await standIn.branchSha(OWNER, repo, 'main')).toBe(baseSha);
  const open = standIn.pulls(OWNER, repo).filter((p) => p.state === 'open');
  expect(open).toHaveLength(BUMPS.length);
  expect(new Set(open.map((p) => p.head)).size).toBe(BUMPS.length);
  const branches = (await standIn.branches(OWNER, repo)).filter((b) => b !== 'main').sort();
  expect(branches).toEqual(open.map((p) => p.head).sort());
  const changes = await Promise.all(
    open.map(async (p) => {
      const diff = await standIn.diff(OWNER, repo, 'main', p.head);
      return Object.entries(diff).map(([file, { before, after }]) => [file, before, after]);
    }),
  );
  expect(changes.map((c) => c.map(([file]) => file))).toEqual(open.map(() => [expect.any(String)]));
  const expected = BUMPS.map(([file, from, to]) => [file, FILES[file], FILES[file]!.replace(from, to)]);
  expect(changes.map((c) => c[0]).sort()).toEqual([...expected].sort());
  // Idempotent from here on: another run writes nothing.
  standIn.clearLog();
  const again = await run(repo, false);
  expect(again.problems).toEqual([]);
  expect(standIn.writeRequests()).toEqual([]);
  expect(standIn.violations).toEqual([]);
}

/** Faults for the first run; the second (and third) run has none. */
interface GitHubFaultCase {
  name: string;
  faults: Fault[];
  /** Octokit retries in the first run. */
  retrying: boolean;
  /** The first run reports a problem per affected pull request matching this. */
  firstRunProblem?: RegExp;
}

const CASES: GitHubFaultCase[] = [
  {
    name: '502 once on a commit, retried',
    faults: [{ operationId: 'git/create-commit', kind: 'bad-gateway', times: 1 }],
    retrying: true,
  },
  {
    name: '502 on every pull request creation, no retries',
    faults: [{ operationId: 'pulls/create', kind: 'bad-gateway', times: 100 }],
    retrying: false,
    firstRunProblem: /Could not write the pull request for helmrelease-image-updater\/.*Server Error/,
  },
  {
    name: 'the primary rate limit used up mid-run, an hour from its reset',
    faults: [{ operationId: 'git/create-tree', kind: 'rate-limit-exhausted', times: 100 }],
    retrying: true,
    firstRunProblem:
      /Could not write the pull request for .*API rate limit exceeded.*calls are taken again at|Could not write the pull requests for .*: not tried after GitHub's rate limit/,
  },
  {
    name: 'a secondary rate limit twice mid-run, waited out',
    faults: [{ operationId: 'git/create-tree', kind: 'secondary-rate-limit', times: 2 }],
    retrying: true,
  },
  {
    name: 'a secondary rate limit on every ref creation, no retries',
    faults: [{ operationId: 'git/create-ref', kind: 'secondary-rate-limit', times: 100 }],
    retrying: false,
    // The first refusal stops the writes: the others are not tried, and the next run writes them.
    firstRunProblem:
      /Could not write the pull request for .*secondary rate limit|Could not write the pull requests for .*: not tried after GitHub's rate limit/,
  },
];

describe('GitHub faults', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: a later run converges', async (_name, c) => {
    const { repo, baseSha } = await newRepository();
    for (const fault of c.faults) standIn.injectFault(fault);
    const first = await run(repo, c.retrying);
    standIn.clearFaults();
    if (c.firstRunProblem) {
      expect(first.problems.length).toBeGreaterThan(0);
      for (const p of first.problems) expect(p.message).toMatch(c.firstRunProblem);
      await run(repo, false);
    } else {
      expect(first.problems).toEqual([]);
    }
    await expectConverged(repo, baseSha);
  });

  it('a run killed between creating a branch and opening its pull request', async () => {
    const { repo, baseSha } = await newRepository();
    // The run "dies" at its first pulls.create: that request and everything after it fail.
    standIn.beforeNext('pulls/create', async () => {
      standIn.injectFault({ kind: { status: 500, message: 'the runner was cancelled' }, times: 10_000 });
    });
    await run(repo, false);
    standIn.clearFaults();
    const left = (await standIn.branches(OWNER, repo)).filter((b) => b !== 'main');
    expect(left).toHaveLength(1);
    expect(standIn.pulls(OWNER, repo)).toEqual([]);
    const orphanSha = await standIn.branchSha(OWNER, repo, left[0]!);

    const second = await run(repo, false);
    expect(second.problems).toEqual([]);
    // The branch left behind is adopted as it is, not committed to again.
    expect(await standIn.branchSha(OWNER, repo, left[0]!)).toBe(orphanSha);
    await expectConverged(repo, baseSha);
  });

  it('two runs at the same time, then a third', async () => {
    const { repo, baseSha } = await newRepository();
    const [a, b] = await Promise.all([run(repo, true), run(repo, true)]);
    // Neither run may open a duplicate; whatever one of them could not do, the next run does.
    expect(standIn.pulls(OWNER, repo).filter((p) => p.state === 'open').length).toBeLessThanOrEqual(
      BUMPS.length,
    );
    expect([...a.problems, ...b.problems].filter((p) => !/Could not write/.test(p.message))).toEqual([]);
    await run(repo, false);
    await expectConverged(repo, baseSha);
  });

  it('two runs at the same time on a repository that already has the pull requests write nothing', async () => {
    const { repo, baseSha } = await newRepository();
    await run(repo, false);
    standIn.clearLog();
    const [a, b] = await Promise.all([run(repo, true), run(repo, true)]);
    expect([...a.problems, ...b.problems]).toEqual([]);
    expect(standIn.writeRequests()).toEqual([]);
    await expectConverged(repo, baseSha);
  });
});
