/**
 * The pull request writer against the strict GitHub stand-in: every behaviour is checked on the
 * resulting git trees and pull requests, not only on the calls made.
 */
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js';
import {
  GitHubPermissionError,
  createPullRequestPort,
  writePullRequests,
  type PullRequestResult,
  type PullRequestWriterOptions,
} from '../../src/github/pull-request-writer.js';
import { groupUpdates, type GroupBy } from '../../src/plan/branch-name.js';
import { markerOf, renderMarker } from '../../src/plan/pull-request-marker.js';
import { COMMIT_TRAILER, parseMarker } from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/plan/types.js';
import {
  READ_ONLY_TOKEN,
  WRITE_TOKEN,
  startGitHubStandIn,
  type GitHubStandIn,
} from '../../test-support/github/stand-in.js';
import { MONGO, OTHER, OWNER, PREFIX, exporterUpdate, mongoUpdate, release } from './writer-fixtures.js';

let standIn: GitHubStandIn;
let github: GitHubClient;
let repo: string;
let repoCount = 0;
let seedSha: string;

/**
 * A client for the stand-in. Without `retrying`, the retry and throttling plugins are left out
 * (their scheduling costs milliseconds per request); the transient-fault tests turn them on.
 */
function client(token: string, retrying = false): GitHubClient {
  return createGitHubClient({
    token,
    baseUrl: standIn.url,
    retries: retrying ? 3 : 0,
    retryAfterBaseValue: 0,
    spaceWrites: false,
  });
}

function options(overrides: Partial<PullRequestWriterOptions> = {}): PullRequestWriterOptions {
  return { github, owner: OWNER, repo, branchPrefix: PREFIX, applyUpdates, ...overrides };
}

/** Groups and writes updates, like the orchestrator's port does. */
function run(
  updates: Update[],
  overrides: Partial<PullRequestWriterOptions> = {},
  groupBy: GroupBy = 'container',
) {
  return writePullRequests(groupUpdates(updates, groupBy, PREFIX), options(overrides));
}

/** `[action, number]` per result, for compact assertions. */
function actions(results: PullRequestResult[]): [string, number | undefined][] {
  return results.map((r) => [r.action, r.number]);
}

/** The branch of a single-update request. */
function branchOf(update: Update): string {
  return groupUpdates([update], 'container', PREFIX)[0].branch;
}

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  github = client(WRITE_TOKEN);
});
afterAll(async () => {
  await standIn.stop();
});
beforeEach(async () => {
  repo = `fleet-${++repoCount}`;
  ({ sha: seedSha } = await standIn.createRepository(OWNER, repo, {
    [MONGO]: release('mongodb', '4.0.3', '0.10.0'),
    [OTHER]: release('other', '4.0.3', '0.10.0'),
    'README.md': '# fleet\n',
  }));
  standIn.clearLog();
});
afterEach(() => {
  expect(standIn.violations).toEqual([]);
});

describe('first run', () => {
  it('opens one pull request per container, committing the base text with only the tag changed', async () => {
    const { results, problems } = await run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')]);
    expect(problems).toEqual([]);
    expect(actions(results)).toEqual([
      ['created', 1],
      ['created', 2],
    ]);
    expect(await standIn.branchSha(OWNER, repo, 'main')).toBe(seedSha);
    expect(await standIn.diff(OWNER, repo, 'main', branchOf(mongoUpdate('4.0.4')))).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.4', '0.10.0'),
      },
    });
    expect(await standIn.diff(OWNER, repo, 'main', branchOf(exporterUpdate('0.11.0')))).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.3', '0.11.0'),
      },
    });

    const head = await standIn.readCommit(
      OWNER,
      repo,
      (await standIn.branchSha(OWNER, repo, results[0].branch))!,
    );
    expect(head.parents).toEqual([seedSha]);
    expect(head.message).toContain(COMMIT_TRAILER);

    const [pull] = standIn.pulls(OWNER, repo);
    expect(pull).toMatchObject({
      title: 'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)',
      state: 'open',
      base: 'main',
      head: results[0].branch,
    });
    expect(parseMarker(pull.body)?.updates).toEqual([
      expect.objectContaining({ file: MONGO, container: 'chart-image', to: '4.0.4' }),
    ]);
    expect(results[0].url).toBe(`${standIn.url}/${OWNER}/${repo}/pull/1`);
  });

  it('edits the base branch’s text, not the text the plan was made from', async () => {
    const moved = release('mongodb', '4.0.3', '0.10.0', '# Managed by the data team\n\n');
    await standIn.commitFiles(OWNER, repo, 'main', { [MONGO]: moved });
    await run([mongoUpdate('4.0.4')]);
    expect((await standIn.readFiles(OWNER, repo, branchOf(mongoUpdate('4.0.4'))))[MONGO]).toBe(
      release('mongodb', '4.0.4', '0.10.0', '# Managed by the data team\n\n'),
    );
  });

  it('keeps the file’s mode', async () => {
    const params = { owner: OWNER, repo };
    const base = await github.rest.git.getCommit({ ...params, commit_sha: seedSha });
    const tree = await github.rest.git.createTree({
      ...params,
      base_tree: base.data.tree.sha,
      tree: [{ path: MONGO, mode: '100755', type: 'blob', content: release('mongodb', '4.0.3', '0.10.0') }],
    });
    const commit = await github.rest.git.createCommit({
      ...params,
      message: 'chmod +x',
      tree: tree.data.sha,
      parents: [seedSha],
    });
    await github.rest.git.updateRef({ ...params, ref: 'heads/main', sha: commit.data.sha });
    await run([mongoUpdate('4.0.4')]);
    const branchTree = await github.rest.git.getTree({
      ...params,
      tree_sha: branchOf(mongoUpdate('4.0.4')),
      recursive: 'true',
    });
    expect(branchTree.data.tree.find((e) => e.path === MONGO)?.mode).toBe('100755');
  });

  it('skips an update the base branch already has', async () => {
    await standIn.commitFiles(OWNER, repo, 'main', { [MONGO]: release('mongodb', '4.0.4', '0.10.0') });
    const { results } = await run([mongoUpdate('4.0.4')]);
    expect(results.map((r) => [r.action, r.reason])).toEqual([['skipped', 'main already has these tags']]);
    expect(standIn.writeRequests()).toEqual([]);
  });

  it('reports an edit that cannot be applied to the base text and goes on', async () => {
    await standIn.commitFiles(OWNER, repo, 'main', { [OTHER]: null });
    const { results, problems } = await run([
      mongoUpdate('4.0.4', { file: OTHER, name: 'other', release: 'data/other' }),
      mongoUpdate('4.0.4'),
    ]);
    expect(actions(results)).toEqual([
      ['skipped', undefined],
      ['created', 1],
    ]);
    expect(problems).toEqual([
      expect.objectContaining({
        file: OTHER,
        severity: 'warning',
        message: expect.stringContaining('does not exist'),
      }),
    ]);
  });
});

describe('the base branch’s own policies', () => {
  // The plan was made from the workspace; the base branch may say otherwise (a lock that landed
  // during the run, a workflow whose checkout is not the base): its text decides.
  const annotated = (annotations: string) =>
    release('mongodb', '4.0.3', '0.10.0').replace(
      '    filter.fluxcd.io/chart-image: semver:~4.0\n',
      annotations,
    );
  it.each([
    [
      'locked',
      '    filter.fluxcd.io/chart-image: semver:~4.0\n    fluxcd.io/locked: "true"\n    fluxcd.io/locked_msg: incident INC-7 freeze\n',
      'HelmRelease data/mongodb is locked (fluxcd.io/locked: "true"): incident INC-7 freeze here, so chart-image is not updated to 4.0.4',
    ],
    [
      'filtered more narrowly',
      '    filter.fluxcd.io/chart-image: semver:~4.0.3\n',
      'chart-image of data/mongodb has the filter semver:~4.0.3 here, not semver:~4.0, which chose 4.0.4',
    ],
  ])(
    'a release %s on the base gets no pull request, and a warning says why',
    async (_what, annotations, why) => {
      await standIn.commitFiles(OWNER, repo, 'main', { [MONGO]: annotated(annotations) });
      standIn.clearLog();
      const { results, problems } = await run([mongoUpdate('4.0.4')]);
      expect(results.map((r) => [r.action, r.reason])).toEqual([
        ['skipped', `${MONGO} on the base branch: ${why}`],
      ]);
      expect(problems).toEqual([
        expect.objectContaining({ severity: 'warning', file: MONGO, message: expect.stringContaining(why) }),
      ]);
      expect(standIn.writeRequests()).toEqual([]);
    },
  );

  it('a release not automated on the base is held only when the run requires automation', async () => {
    const manual = annotated('    filter.fluxcd.io/chart-image: semver:~4.0\n').replace(
      '    fluxcd.io/automated: "true"\n',
      '',
    );
    await standIn.commitFiles(OWNER, repo, 'main', { [MONGO]: manual });
    const held = (file: string, text: string, updates: Parameters<typeof applyUpdates>[2]) =>
      applyUpdates(file, text, updates, undefined, { requireAutomated: true });
    const required = await run([mongoUpdate('4.0.4')], { applyUpdates: held });
    expect(required.results.map((r) => r.action)).toEqual(['skipped']);
    expect(required.results[0].reason).toContain('is not automated (no fluxcd.io/automated: "true") here');
    const notRequired = await run([mongoUpdate('4.0.4')]);
    expect(actions(notRequired.results)).toEqual([['created', 1]]);
  });
});

describe('re-runs', () => {
  it.each<[string, Partial<Update>]>([
    ['the same update', {}],
    // Generated text that changed while the tag did not: kept, not rewritten over the person's.
    ['its file link now at another line', { line: 19 }],
    ['a "Not taken" line added', { notTaken: [{ tag: '5.0.0', reason: 'outside ~4.0' }] }],
  ])(
    'keeps a title and a note a person wrote until a newer tag changes the pull request: %s',
    async (_what, then) => {
      await run([mongoUpdate('4.0.4')]);
      const params = { owner: OWNER, repo, pull_number: 1 };
      const { data: pull } = await github.rest.pulls.get(params);
      const edited = {
        title: 'DB: mongodb 4.0.4 (needs migration!)',
        body: `Blocked on OPS-12.\n\n${pull.body!}`,
      };
      await github.rest.pulls.update({ ...params, ...edited });
      standIn.clearLog();
      const again = await run([mongoUpdate('4.0.4', then)]);
      expect(actions(again.results)).toEqual([['unchanged', 1]]);
      expect(standIn.writeRequests()).toEqual([]);
      expect((await github.rest.pulls.get(params)).data).toMatchObject(edited);

      const newer = await run([mongoUpdate('4.0.5', then)]);
      expect(actions(newer.results)).toEqual([['updated', 1]]);
      expect((await github.rest.pulls.get(params)).data.title).toContain('4.0.5');
    },
  );

  it('refreshes its own text when nobody edited it, though the tag is the same', async () => {
    await run([mongoUpdate('4.0.4')]);
    standIn.clearLog();
    const again = await run([mongoUpdate('4.0.4', { notTaken: [{ tag: '5.0.0', reason: 'outside ~4.0' }] })]);
    expect(actions(again.results)).toEqual([['updated', 1]]);
    expect(standIn.writeRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /repos/${OWNER}/${repo}/pulls/1`,
    ]);
    expect((await github.rest.pulls.get({ owner: OWNER, repo, pull_number: 1 })).data.body).toContain(
      '5.0.0',
    );
  });

  it('makes zero write calls when the open pull request already proposes exactly this change', async () => {
    await run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')]);
    standIn.clearLog();
    const { results } = await run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')]);
    expect(actions(results)).toEqual([
      ['unchanged', 1],
      ['unchanged', 2],
    ]);
    expect(standIn.writeRequests()).toEqual([]);
  });

  it('updates the same branch and pull request when a newer tag appears', async () => {
    await run([mongoUpdate('4.0.4')]);
    const { results } = await run([mongoUpdate('4.0.5')]);
    expect(actions(results)).toEqual([['updated', 1]]);
    expect(standIn.pulls(OWNER, repo).map((p) => [p.number, p.state, p.title])).toEqual([
      [1, 'open', 'Update bitnami/mongodb from 4.0.3 to 4.0.5 (data/mongodb)'],
    ]);
    const branch = branchOf(mongoUpdate('4.0.5'));
    expect(await standIn.diff(OWNER, repo, 'main', branch)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.5', '0.10.0'),
      },
    });
    // Superseded, not stacked: still one commit on the base.
    expect(
      (await standIn.readCommit(OWNER, repo, (await standIn.branchSha(OWNER, repo, branch))!)).parents,
    ).toEqual([seedSha]);
  });

  it('rebuilds the branch on the base when the base moved on, keeping the base’s changes', async () => {
    await run([mongoUpdate('4.0.4')]);
    const moved = await standIn.commitFiles(OWNER, repo, 'main', {
      'README.md': '# fleet\n\nNew text.\n',
      [MONGO]: release('mongodb', '4.0.3', '0.12.0'),
    });
    standIn.clearLog();
    const { results } = await run([mongoUpdate('4.0.4')]);
    expect(actions(results)).toEqual([['updated', 1]]);
    const branch = branchOf(mongoUpdate('4.0.4'));
    expect(
      (await standIn.readCommit(OWNER, repo, (await standIn.branchSha(OWNER, repo, branch))!)).parents,
    ).toEqual([moved]);
    expect(await standIn.diff(OWNER, repo, 'main', branch)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.12.0'),
        after: release('mongodb', '4.0.4', '0.12.0'),
      },
    });
    // Same title and body: only the branch moved.
    expect(standIn.writeRequests().map((r) => r.operationId)).toEqual([
      'git/create-tree',
      'git/create-commit',
      'git/update-ref',
    ]);
  });

  it('leaves a branch with a foreign commit alone and reports it', async () => {
    await run([mongoUpdate('4.0.4')]);
    const branch = branchOf(mongoUpdate('4.0.4'));
    const foreign = await standIn.commitFiles(OWNER, repo, branch, { 'NOTES.md': 'mine\n' });
    standIn.clearLog();
    const { results, problems } = await run([mongoUpdate('4.0.5')]);
    expect(results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['skipped', 1, expect.stringContaining('has commits not made by this Action')],
      ['unchanged', 1, undefined],
    ]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', file: MONGO })]);
    expect(standIn.writeRequests()).toEqual([]);
    expect(await standIn.branchSha(OWNER, repo, branch)).toBe(foreign);
  });

  // The skip's reason says to reopen it (or tick Retry on the dashboard): reopened, it is ours again.
  it('a closed pull request someone reopens is kept up to date again, as its reason says', async () => {
    await run([mongoUpdate('4.0.4')]);
    await standIn.closePullRequest(OWNER, repo, 1);
    const skipped = await run([mongoUpdate('4.0.4')], { dashboard: true });
    expect(skipped.results.map((r) => [r.action, r.reason])).toEqual([
      [
        'skipped',
        '#1 proposed this and was closed without merging, so it is not proposed again: reopen it or tick Retry on the dashboard issue to have it proposed; a newer tag is proposed as usual',
      ],
    ]);
    await github.rest.pulls.update({ owner: OWNER, repo, pull_number: 1, state: 'open' });
    const reopened = await run([mongoUpdate('4.0.4')]);
    expect(actions(reopened.results)).toEqual([['unchanged', 1]]);
  });

  it('never proposes a tag again whose pull request was closed without merging, but a newer one', async () => {
    await run([mongoUpdate('4.0.4')]);
    await standIn.closePullRequest(OWNER, repo, 1);
    standIn.clearLog();
    const again = await run([mongoUpdate('4.0.4')]);
    expect(again.results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['skipped', 1, expect.stringContaining('closed without merging')],
    ]);
    expect(standIn.writeRequests()).toEqual([]);

    const newer = await run([mongoUpdate('4.0.5')]);
    expect(actions(newer.results)).toEqual([['created', 2]]);
    expect((await standIn.readFiles(OWNER, repo, branchOf(mongoUpdate('4.0.5'))))[MONGO]).toBe(
      release('mongodb', '4.0.5', '0.10.0'),
    );
  });

  it('has nothing to do for a merged pull request', async () => {
    await run([mongoUpdate('4.0.4')]);
    await standIn.mergePullRequest(OWNER, repo, 1);
    standIn.clearLog();
    const { results } = await run([mongoUpdate('4.0.4')]);
    expect(results.map((r) => [r.action, r.reason])).toEqual([
      [
        'skipped',
        '#1 merged this, and the base no longer has it (reverted since?), so it is not proposed again; a newer tag is proposed as usual',
      ],
    ]);
    expect(standIn.writeRequests()).toEqual([]);
  });

  it('opens the pull request for a branch left behind by a killed run, without a new commit', async () => {
    // The run "dies" at its pulls.create: that request and everything after it fail, so the branch
    // it created cannot be deleted either.
    standIn.beforeNext('pulls/create', async () => {
      standIn.injectFault({ kind: 'bad-gateway', times: 10_000 });
    });
    const first = await run([mongoUpdate('4.0.4')]);
    expect(first.results.map((r) => r.action)).toEqual(['failed']);
    expect(first.problems.map((p) => p.severity)).toEqual(['warning', 'error']);
    const branch = branchOf(mongoUpdate('4.0.4'));
    const left = await standIn.branchSha(OWNER, repo, branch);
    expect(left).toBeDefined();

    standIn.clearFaults();
    standIn.clearLog();
    const second = await run([mongoUpdate('4.0.4')]);
    expect(actions(second.results)).toEqual([['created', 1]]);
    expect(await standIn.branchSha(OWNER, repo, branch)).toBe(left);
    expect(standIn.writeRequests().map((r) => r.operationId)).toEqual(['pulls/create']);
  });

  it('updates the pull request another run opened first (422 "already exists")', async () => {
    const branch = branchOf(mongoUpdate('4.0.4'));
    standIn.beforeNext('pulls/create', async () => {
      await standIn.openPullRequest(OWNER, repo, {
        head: branch,
        base: 'main',
        title: 'Other run',
        // Another run of this Action writes its marker (a person's pull request has none:
        // others-pulls.test.ts).
        body: `Older text\n\n${renderMarker(markerOf(branch, [mongoUpdate('4.0.4')]))}`,
      });
    });
    const { results, problems } = await run([mongoUpdate('4.0.4')]);
    expect(problems).toEqual([]);
    expect(actions(results)).toEqual([['updated', 1]]);
    expect(standIn.pulls(OWNER, repo).map((p) => [p.number, p.state, p.title])).toEqual([
      [1, 'open', 'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)'],
    ]);
  });

  it('takes over a branch another run created first (422 "Reference already exists")', async () => {
    const branch = branchOf(mongoUpdate('4.0.4'));
    let raced = '';
    standIn.beforeNext('git/create-ref', async (body) => {
      raced = (body as { sha: string }).sha;
      await standIn.setBranch(OWNER, repo, branch, raced);
    });
    const { results } = await run([mongoUpdate('4.0.4')]);
    expect(actions(results)).toEqual([['created', 1]]);
    expect(await standIn.branchSha(OWNER, repo, branch)).toBe(raced);
    expect(standIn.requests.filter((r) => r.operationId === 'git/create-ref').map((r) => r.status)).toEqual([
      422,
    ]);
  });

  it('does not take over a branch someone else created meanwhile', async () => {
    const branch = branchOf(mongoUpdate('4.0.4'));
    standIn.beforeNext('git/create-ref', async () => {
      await standIn.commitFiles(OWNER, repo, branch, { 'NOTES.md': 'mine\n' });
    });
    const { results, problems } = await run([mongoUpdate('4.0.4')]);
    expect(results.map((r) => r.action)).toEqual(['failed']);
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringContaining('someone else') })]);
    expect(standIn.pulls(OWNER, repo)).toEqual([]);
  });

  it('survives two runs racing: one pull request, the right tree', async () => {
    const [a, b] = await Promise.all([run([mongoUpdate('4.0.4')]), run([mongoUpdate('4.0.4')])]);
    const all = [...a.results, ...b.results].map((r) => r.action);
    expect(all).not.toContain('failed');
    expect(all).toContain('created');
    expect(standIn.pulls(OWNER, repo).map((p) => [p.number, p.state])).toEqual([[1, 'open']]);
    expect(await standIn.diff(OWNER, repo, 'main', branchOf(mongoUpdate('4.0.4')))).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.4', '0.10.0'),
      },
    });
  });
});

describe('grouping', () => {
  it('makes one pull request per repository and tag with group-by image', async () => {
    const other = mongoUpdate('4.0.4', { file: OTHER, name: 'other', release: 'data/other' });
    const { results } = await run([mongoUpdate('4.0.4'), other, exporterUpdate('0.11.0')], {}, 'image');
    expect(results.map((r) => [r.action, r.branch])).toEqual([
      ['created', `${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`],
      ['created', `${PREFIX}image/docker.io/bitnami/mongodb-exporter/0.11.0`],
    ]);
    expect(await standIn.diff(OWNER, repo, 'main', results[0].branch)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.4', '0.10.0'),
      },
      [OTHER]: { before: release('other', '4.0.3', '0.10.0'), after: release('other', '4.0.4', '0.10.0') },
    });
    expect(standIn.pulls(OWNER, repo)[0].title).toBe(
      'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb, data/other)',
    );
  });
  it('closes the pull request a newer tag supersedes with group-by image', async () => {
    await run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], {}, 'image');
    const { results } = await run(
      [mongoUpdate('4.0.5'), exporterUpdate('0.11.0')],
      { maxPullRequests: 2 },
      'image',
    );
    expect(results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['created', 3, 'supersedes #1'],
      ['unchanged', 2, undefined],
    ]);
    const pulls = standIn.pulls(OWNER, repo);
    expect(pulls.map((p) => [p.number, p.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
      [3, 'open'],
    ]);
    expect(parseMarker(pulls[0].body)?.supersededBy).toBe(3);
    expect(pulls[0].body).toContain('Superseded by #3.');
    // The superseded branch (only our commit on it) is deleted; the open ones stay.
    const branches = await standIn.branches(OWNER, repo);
    expect(branches).not.toContain('helmrelease-image-updater/image/docker.io/bitnami/mongodb/4.0.4');
    expect(branches).toContain('helmrelease-image-updater/image/docker.io/bitnami/mongodb/4.0.5');
    expect(branches).toContain('helmrelease-image-updater/image/docker.io/bitnami/mongodb-exporter/0.11.0');

    // A superseded tag is not "closed without merging": it may be proposed again.
    const back = await run([mongoUpdate('4.0.4')], {}, 'image');
    expect(back.results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['created', 4, 'supersedes #3'],
      // The exporter's, open and not in this plan.
      ['unchanged', 2, undefined],
    ]);
  });
});

describe('changing group-by', () => {
  it('moves an open pull request to the new branch instead of proposing the change twice', async () => {
    await run([mongoUpdate('4.0.5')], {}, 'image');
    const { results } = await run([mongoUpdate('4.0.5')], {}, 'container');
    expect(results.map((r) => [r.action, r.number, r.reason])).toEqual([['created', 2, 'supersedes #1']]);
    expect(standIn.pulls(OWNER, repo).map((p) => [p.number, p.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });
});

describe('createPullRequestPort', () => {
  it('groups the plan’s updates and writes them against the given base branch', async () => {
    const develop = await standIn.commitFiles(OWNER, repo, 'develop', { 'README.md': '# develop\n' });
    const port = createPullRequestPort({ ...options({ base: 'develop' }), groupBy: 'image' });
    const other = mongoUpdate('4.0.4', { file: OTHER, name: 'other', release: 'data/other' });
    const { results } = await port.write([mongoUpdate('4.0.4'), other]);
    expect(results.map((r) => [r.action, r.branch, r.updates.length])).toEqual([
      ['created', `${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`, 2],
    ]);
    expect(standIn.pulls(OWNER, repo)[0].base).toBe('develop');
    expect(
      (await standIn.readCommit(OWNER, repo, (await standIn.branchSha(OWNER, repo, results[0].branch))!))
        .parents,
    ).toEqual([develop]);
    expect(await standIn.branchSha(OWNER, repo, 'main')).toBe(seedSha);
    // The body tells the reviewer what grouping by image means for a newer tag.
    expect(standIn.pulls(OWNER, repo)[0].body).toContain(
      'opens a new pull request that replaces this one (`group-by: image`)',
    );
  });
});

describe('max-pull-requests', () => {
  const three = (): Update[] => [
    mongoUpdate('4.0.4'),
    exporterUpdate('0.11.0'),
    mongoUpdate('4.0.4', { file: OTHER, name: 'other', release: 'data/other' }),
  ];

  it('holds back what exceeds the cap and opens it once a pull request is closed', async () => {
    const first = await run(three(), { maxPullRequests: 2 });
    expect(actions(first.results)).toEqual([
      ['created', 1],
      ['created', 2],
      ['held-back', undefined],
    ]);
    expect(first.results[2].reason).toBe(
      '2 pull requests of this Action are open (max-pull-requests: 2); a later run opens this one once one of them is merged or closed, or raise max-pull-requests',
    );
    expect(await standIn.branchSha(OWNER, repo, first.results[2].branch)).toBeUndefined();

    const again = await run(three(), { maxPullRequests: 2 });
    expect(actions(again.results)).toEqual([
      ['unchanged', 1],
      ['unchanged', 2],
      ['held-back', undefined],
    ]);

    await standIn.mergePullRequest(OWNER, repo, 2);
    const next = await run([mongoUpdate('4.0.4'), three()[2]], { maxPullRequests: 2 });
    expect(actions(next.results)).toEqual([
      ['updated', 1],
      ['created', 3],
    ]);
  });

  it('uses the default cap of 10', async () => {
    const many = Array.from({ length: 11 }, (_, i) =>
      mongoUpdate('4.0.4', { container: `c${i}`, line: 100 + i }),
    );
    const { results } = await run(many, { applyUpdates: spliceAll });
    expect(results.filter((r) => r.action === 'created')).toHaveLength(10);
    expect(results[10].action).toBe('held-back');
  });
});

/** A simple edit for fixtures without a matching container: appends a comment per update. */
function spliceAll(
  _file: string,
  text: string,
  updates: readonly Pick<Update, 'container' | 'to'>[],
): { ok: true; text: string } {
  return { ok: true, text: `${text}${updates.map((u) => `# ${u.container}: ${u.to}\n`).join('')}` };
}

describe('labels, reviewers and assignees', () => {
  it('adds them to a new pull request, creating missing labels', async () => {
    await github.rest.issues.createLabel({ owner: OWNER, repo, name: 'existing', color: 'ff0000' });
    const { problems } = await run([mongoUpdate('4.0.4')], {
      labels: ['dependencies', 'existing'],
      reviewers: ['alice'],
      teamReviewers: ['platform'],
      assignees: ['bob'],
    });
    expect(problems).toEqual([]);
    expect(standIn.pulls(OWNER, repo)[0]).toMatchObject({
      labels: ['dependencies', 'existing'],
      requestedReviewers: ['alice'],
      requestedTeams: ['platform'],
      assignees: ['bob'],
    });
    expect(standIn.labels(OWNER, repo).sort()).toEqual(['dependencies', 'existing']);
  });

  it('reports failures without failing the pull request', async () => {
    // A GitHub App's token that may see the organization's teams (members: read), not issues.
    standIn.addToken('ghs_no_issues', {
      contents: 'write',
      pull_requests: 'write',
      issues: 'read',
      members: 'read',
    });
    const { results, problems } = await run([mongoUpdate('4.0.4')], {
      github: client('ghs_no_issues'),
      labels: ['dependencies'],
      reviewers: ['stranger'],
      teamReviewers: ['acme/platform'],
    });
    expect(actions(results)).toEqual([['created', 1]]);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      ['warning', expect.stringContaining('Label "dependencies" does not exist and could not be created')],
      ['warning', expect.stringContaining('could not request reviews')],
    ]);
    // The label's refusal names the permission that creates labels, not the ones the token has.
    expect(problems[0]!.message).toContain(
      'The token needs "issues: write" to create a label: add it to the workflow\'s permissions, or create the label in the repository.',
    );
    expect(problems[0]!.message).not.toContain('pull-requests: write');
    // The refused user does not cancel the team (written org/slug) request.
    expect(standIn.pulls(OWNER, repo)[0]).toMatchObject({
      requestedReviewers: [],
      requestedTeams: ['platform'],
    });
  });
});

describe('dry run', () => {
  it('makes no write call and says what would be done', async () => {
    await run([mongoUpdate('4.0.4')]);
    standIn.clearLog();
    const { results } = await run([mongoUpdate('4.0.5'), exporterUpdate('0.11.0')], {
      dryRun: true,
      github: client(READ_ONLY_TOKEN),
      labels: ['dependencies'],
    });
    expect(actions(results)).toEqual([
      ['would-update', 1],
      ['would-create', undefined],
    ]);
    expect(standIn.writeRequests()).toEqual([]);
    expect(standIn.pulls(OWNER, repo)).toHaveLength(1);
  });

  // A dry run counts the pull requests it would open toward the cap: none of them is open yet.
  it('says the pull requests it would open would be open, not that they are, when it holds one back', async () => {
    const { results } = await run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], {
      dryRun: true,
      maxPullRequests: 1,
    });
    expect(actions(results)).toEqual([
      ['would-create', undefined],
      ['held-back', undefined],
    ]);
    expect(results[1].reason).toBe(
      '1 pull request of this Action would be open (max-pull-requests: 1); a later run opens this one once one of them is merged or closed, or raise max-pull-requests',
    );
    expect(standIn.pulls(OWNER, repo)).toHaveLength(0);
  });
});

describe('failures', () => {
  it.each([
    ['a read-only token', READ_ONLY_TOKEN, /"contents: write"/],
    ['a token that cannot write pull requests', 'ghs_no_pulls', /"pull-requests: write"/],
  ])('fails with a message naming the permission for %s', async (_name, token, expected) => {
    standIn.addToken('ghs_no_pulls', { contents: 'write', pull_requests: 'read', issues: 'write' });
    const error = await run([mongoUpdate('4.0.4')], { github: client(token) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect((error as Error).message).toMatch(expected);
  });

  it('leaves no orphan branch when the token may push but not open pull requests', async () => {
    standIn.addToken('ghs_no_pulls', { contents: 'write', pull_requests: 'read', issues: 'write' });
    const before = await standIn.branches('acme', repo);
    await expect(run([mongoUpdate('4.0.4')], { github: client('ghs_no_pulls') })).rejects.toThrow(
      GitHubPermissionError,
    );
    expect(await standIn.branches('acme', repo)).toEqual(before);
  });

  it('fails with a message naming a base branch that does not exist', async () => {
    await expect(run([mongoUpdate('4.0.4')], { base: 'nope' })).rejects.toThrow(
      'The base branch "nope" does not exist in acme/' + repo,
    );
  });

  it('fails with a message about the token for bad credentials', async () => {
    const error = await run([mongoUpdate('4.0.4')], { github: client('ghp_revoked') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect((error as Error).message).toBe(
      'GitHub rejected the token (Bad credentials): it is wrong, expired or revoked. Check the "token" input: a ' +
        "personal access token that expired or was revoked needs a new one, and a GitHub App's installation token " +
        'lasts one hour (make it in the same job, right before this step).',
    );
  });

  it('reports one pull request’s API failure and goes on with the others', async () => {
    standIn.injectFault({
      operationId: 'git/create-tree',
      kind: { status: 422, message: 'GitRPC::BadObjectState' },
    });
    const { results, problems } = await run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')]);
    expect(actions(results)).toEqual([
      ['failed', undefined],
      ['created', 1],
    ]);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('GitRPC::BadObjectState'),
      }),
    ]);
  });

  it.each([
    ['502', 'bad-gateway' as const],
    ['secondary rate limit', 'secondary-rate-limit' as const],
  ])('retries a transient %s', async (_name, kind) => {
    standIn.injectFault({ operationId: 'git/create-commit', kind, times: 2 });
    standIn.injectFault({ operationId: 'pulls/create', kind, times: 1 });
    const { results, problems } = await run([mongoUpdate('4.0.4')], { github: client(WRITE_TOKEN, true) });
    expect(actions(results)).toEqual([['created', 1]]);
    expect(problems).toEqual([]);
    expect(standIn.pulls(OWNER, repo)).toHaveLength(1);
  });
});
