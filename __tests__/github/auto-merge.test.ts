/**
 * Automerge against the GitHub stand-in, whose GraphQL endpoint validates every query and mutation
 * against GitHub's schema.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AUTOMERGE_BATCH,
  enableAutoMerge,
  qualifiesForAutomerge,
  type AutomergeLevel,
} from '../../src/github/auto-merge.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js';
import type { PullRequestOutcome } from '../../src/ports.js';
import type { Update, UpdateType } from '../../src/update.js';
import { WRITE_TOKEN, startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';

let standIn: GitHubStandIn;
let github: GitHubClient;
let repoCount = 0;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  github = createGitHubClient({
    token: WRITE_TOKEN,
    baseUrl: standIn.url,
    retryAfterBaseValue: 0,
    spaceWrites: false,
  });
});
afterAll(async () => {
  await standIn.stop();
});

/** An update of `type` (only the fields automerge reads matter). */
function update(type: UpdateType): Update {
  return { type, downgrade: type === 'downgrade' } as Update;
}

describe('qualifiesForAutomerge', () => {
  it.each<[AutomergeLevel, UpdateType[], boolean]>([
    ['none', ['patch'], false],
    ['patch', ['patch'], true],
    ['patch', ['patch', 'minor'], false],
    ['minor', ['patch', 'minor'], true],
    ['minor', ['major'], false],
    ['all', ['major', 'pre-release', 'build'], true],
    ['all', ['patch', 'minor'], true],
    ['all', ['downgrade'], false],
    ['all', [], false],
  ])('%s with %j: %s', (level, types, expected) => {
    expect(qualifiesForAutomerge(types.map(update), level)).toBe(expected);
  });

  // A patch or minor to another variant of the image is left for review below `all`.
  it.each<[AutomergeLevel, string, string, UpdateType, boolean]>([
    ['patch', '1.25.3-alpine', '1.25.4', 'patch', false],
    ['minor', '7.2.4-debian-11-r1', '7.3.0-debian-12-r0', 'minor', false],
    ['patch', '7.2.4-debian-12-r1', '7.2.5-debian-12-r0', 'patch', true],
    ['patch', '1.2.0-rc.1', '1.2.0', 'patch', true],
    ['all', '1.25.3-alpine', '1.25.4', 'patch', true],
  ])('%s, %s to %s (%s): %s', (level, from, to, type, expected) => {
    expect(qualifiesForAutomerge([{ type, downgrade: false, from, to }], level)).toBe(expected);
  });
});

describe('enableAutoMerge', () => {
  /** A repository with three open pull requests (#1 patch, #2 major, #3 patch, skipped for a foreign commit). */
  async function setUp(allowAutoMerge: boolean) {
    const owner = 'acme';
    const repo = `fleet-automerge-${++repoCount}`;
    await standIn.createRepository(owner, repo, { 'a.yaml': 'image: app:1.0\n' }, { allowAutoMerge });
    for (const head of ['u/1', 'u/2', 'u/3']) {
      await standIn.commitFiles(
        owner,
        repo,
        head,
        { 'a.yaml': `image: app:${head}\n` },
        {
          message: head,
          author: { name: 'Bot', email: 'bot@example.com' },
        },
      );
      await standIn.openPullRequest(owner, repo, { head, base: 'main', title: head });
    }
    const outcomes: PullRequestOutcome[] = [
      { action: 'created', branch: 'u/1', number: 1, updates: [update('patch')] },
      { action: 'created', branch: 'u/2', number: 2, updates: [update('major')] },
      { action: 'skipped', branch: 'u/3', number: 3, updates: [update('patch')], reason: 'foreign commit' },
    ];
    standIn.clearLog();
    standIn.violations.length = 0;
    return { repository: { github, owner, repo }, outcomes };
  }
  const graphqlRequests = () => standIn.requests.filter((r) => r.operationId === 'graphql').length;

  it('enables it on qualifying pull requests only, and writes nothing when it is already on', async () => {
    const { repository, outcomes } = await setUp(true);
    const log: string[] = [];
    expect(await enableAutoMerge(repository, outcomes, 'patch', 'squash', (m) => log.push(m))).toEqual([]);
    const pulls = standIn.pulls(repository.owner, repository.repo);
    expect(pulls.map((p) => p.autoMerge?.mergeMethod)).toEqual(['SQUASH', undefined, undefined]);
    expect(log).toEqual(['Auto-merge (squash) enabled on #1']);
    // One query and one mutation, for #1 only.
    expect(graphqlRequests()).toBe(2);
    standIn.clearLog();
    expect(await enableAutoMerge(repository, outcomes, 'patch', 'squash', () => undefined)).toEqual([]);
    expect(graphqlRequests()).toBe(1);
    expect(standIn.violations).toEqual([]);
  });

  it('warns once when the repository does not allow auto-merge, and the pull requests stay open', async () => {
    const { repository, outcomes } = await setUp(false);
    const problems = await enableAutoMerge(repository, outcomes, 'all', 'merge', () => undefined);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'warning' });
    expect(problems[0]!.message).toContain('Auto merge is not allowed for this repository');
    expect(problems[0]!.message).toContain('stay open');
    const pulls = standIn.pulls(repository.owner, repository.repo);
    expect(pulls.map((p) => [p.state, p.autoMerge])).toEqual([
      ['open', undefined],
      ['open', undefined],
      ['open', undefined],
    ]);
    // One query and one mutation for #1 and #2, refused alike: one warning naming both.
    expect(problems[0]!.message).toContain('#1, #2');
    expect(graphqlRequests()).toBe(2);
  });

  /** A repository with `count` open pull requests of patch updates (no branches: automerge reads none). */
  async function many(count: number, allowAutoMerge = true) {
    const owner = 'acme';
    const repo = `fleet-automerge-${++repoCount}`;
    await standIn.createRepository(owner, repo, { 'a.yaml': 'image: app:1.0\n' }, { allowAutoMerge });
    const outcomes: PullRequestOutcome[] = [];
    for (let i = 1; i <= count; i++) {
      await standIn.openPullRequest(owner, repo, { head: `u/${i}`, base: 'main', title: `u/${i}` });
      const updates = [{ ...update('patch'), file: `releases/app-${i}.yaml`, line: 18 }];
      outcomes.push({ action: 'created', branch: `u/${i}`, number: i, updates });
    }
    standIn.clearLog();
    standIn.violations.length = 0;
    return { repository: { github, owner, repo }, outcomes };
  }

  it(`enables ${AUTOMERGE_BATCH} pull requests per query and per mutation, aliased`, async () => {
    const count = 2 * AUTOMERGE_BATCH + 5;
    const { repository, outcomes } = await many(count);
    const log: string[] = [];
    expect(await enableAutoMerge(repository, outcomes, 'patch', 'rebase', (m) => log.push(m))).toEqual([]);
    expect(standIn.pulls(repository.owner, repository.repo).map((p) => p.autoMerge?.mergeMethod)).toEqual(
      Array(count).fill('REBASE'),
    );
    expect(log).toHaveLength(count);
    // Three batches: a query and a mutation each.
    expect(graphqlRequests()).toBe(6);
    standIn.clearLog();
    expect(await enableAutoMerge(repository, outcomes, 'patch', 'rebase', () => undefined)).toEqual([]);
    expect(graphqlRequests()).toBe(3);
    expect(standIn.violations).toEqual([]);
  });

  it('warns about the one pull request GitHub refuses, at its file, and enables the others of its batch', async () => {
    const { repository, outcomes } = await many(3);
    // Between the query and the mutation, #2 is closed: GitHub refuses that one alias only.
    const closeTwoBeforeMutation = (): void =>
      standIn.beforeNext('graphql', async (body) => {
        if (!(body as { query: string }).query.startsWith('mutation')) return closeTwoBeforeMutation();
        await standIn.closePullRequest(repository.owner, repository.repo, 2);
      });
    closeTwoBeforeMutation();
    const log: string[] = [];
    const problems = await enableAutoMerge(repository, outcomes, 'patch', 'squash', (m) => log.push(m));
    expect(log).toEqual(['Auto-merge (squash) enabled on #1', 'Auto-merge (squash) enabled on #3']);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'releases/app-2.yaml',
        line: 18,
        message: expect.stringMatching(/on #2 \(Pull request is not in the correct state.*\); it stays open/),
      }),
    ]);
    expect(standIn.pulls(repository.owner, repository.repo).map((p) => p.autoMerge?.mergeMethod)).toEqual([
      'SQUASH',
      undefined,
      'SQUASH',
    ]);
    expect(graphqlRequests()).toBe(2);
  });

  it('stops after a whole batch is refused alike, with one warning that says how many were not tried', async () => {
    const { repository, outcomes } = await many(AUTOMERGE_BATCH + 5, false);
    const problems = await enableAutoMerge(repository, outcomes, 'patch', 'merge', () => undefined);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('Auto merge is not allowed for this repository');
    expect(problems[0]!.message).toContain(`#1, #2, `);
    expect(problems[0]!.message).toContain('and 5 more qualifying pull requests were not tried');
    expect(graphqlRequests()).toBe(2);
  });
});

describe('a refusal of auto-merge says what to do about that refusal', () => {
  interface Case {
    name: string;
    repository: { allowAutoMerge: boolean; requiresChecks: boolean };
    /** Closes the pull request between the query and the mutation. */
    closeMeanwhile?: true;
    says: RegExp;
    saysNot: RegExp;
  }
  const CASES: Case[] = [
    {
      name: 'the repository does not allow auto-merge',
      repository: { allowAutoMerge: false, requiresChecks: true },
      says: /\(Pull request Auto merge is not allowed for this repository\); it stays open for review\. Turn on "Allow auto-merge" in the repository settings \(Settings > General > Pull requests\)\.$/,
      saysNot: /token|status check/,
    },
    {
      // GitHub could merge it now: nothing required is pending, and the Action never merges.
      name: 'the base requires no status check (the pull request is in clean status)',
      repository: { allowAutoMerge: true, requiresChecks: false },
      says: /\(Pull request Pull request is in clean status\); it stays open for review\. GitHub enables auto-merge only on a pull request that still waits for a required status check or review, and the base branch requires none that is pending: require status checks on the base branch/,
      saysNot: /Allow auto-merge|token/,
    },
    {
      name: 'the pull request was closed meanwhile',
      repository: { allowAutoMerge: true, requiresChecks: true },
      closeMeanwhile: true,
      says: /\(Pull request is not in the correct state to enable auto-merge\); it stays open for review\. GitHub enables auto-merge only on an open pull request that is not a draft\.$/,
      saysNot: /Allow auto-merge|token/,
    },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const owner = 'acme';
    const repo = `fleet-automerge-${++repoCount}`;
    await standIn.createRepository(owner, repo, { 'a.yaml': 'image: app:1.0\n' }, c.repository);
    await standIn.openPullRequest(owner, repo, { head: 'u/1', base: 'main', title: 'u/1' });
    const outcomes: PullRequestOutcome[] = [
      {
        action: 'created',
        branch: 'u/1',
        number: 1,
        updates: [{ ...update('patch'), file: 'a.yaml', line: 1 }],
      },
    ];
    if (c.closeMeanwhile) {
      const closeBeforeMutation = (): void =>
        standIn.beforeNext('graphql', async (body) => {
          if (!(body as { query: string }).query.startsWith('mutation')) return closeBeforeMutation();
          await standIn.closePullRequest(owner, repo, 1);
        });
      closeBeforeMutation();
    }
    standIn.violations.length = 0;
    const problems = await enableAutoMerge(
      { github, owner, repo },
      outcomes,
      'patch',
      'squash',
      () => undefined,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'a.yaml',
        line: 1,
        message: expect.stringMatching(c.says),
      }),
    ]);
    expect(problems[0]!.message).not.toMatch(c.saysNot);
    expect(standIn.pulls(owner, repo)[0]!.autoMerge).toBeUndefined();
    // GitHub's refusals (type UNPROCESSABLE) are its answers, not the client's mistakes.
    expect(standIn.violations).toEqual([]);
  });
});
