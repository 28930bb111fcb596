/**
 * Automerge against the GitHub stand-in, whose GraphQL endpoint validates every query and mutation
 * against GitHub's schema.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { enableAutoMerge, qualifiesForAutomerge, type AutomergeLevel } from '../../src/github/auto-merge.js';
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
    ['all', ['downgrade'], false],
    ['all', [], false],
  ])('%s with %j: %s', (level, types, expected) => {
    expect(qualifiesForAutomerge(types.map(update), level)).toBe(expected);
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
    // Not tried again on #2 after the refusal.
    expect(graphqlRequests()).toBe(2);
  });
});
