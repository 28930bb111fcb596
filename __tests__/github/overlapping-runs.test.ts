/**
 * Runs of the writer that overlap on one repository (a schedule and a `workflow_dispatch`), and
 * runs that stop half way (cancelled, timed out, a runner lost), against the GitHub stand-in. A
 * run is stopped or held at an exact request through its own client, so the other run's requests
 * go on: whatever happened, no pull request is opened twice, and the next run repairs what the
 * stopped one left (the dashboard's side is `dashboard.test.ts`).
 */
import { describe, expect, it } from '@jest/globals';
import { enableAutoMerge } from '../../src/github/auto-merge.js';
import type { GitHubClient } from '../../src/github/octokit.js';
import { FOUND_OPEN } from '../../src/github/writer-results.js';
import { parseMarker } from '../../src/plan/pull-request-text.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import {
  MONGO,
  OWNER,
  branchOf,
  imageBranch,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

/** `METHOD /path` of a request as Octokit sends it (its path parameters filled in). */
type RequestMatch = (request: string) => boolean;

function requestOf(options: { method?: string; url?: string; [key: string]: unknown }): string {
  const path = String(options.url).replace(/\{(\w+)\}/g, (_, name: string) => String(options[name]));
  return `${String(options.method)} ${path}`;
}

/** A run's client that dies right after the first request matching `after` was answered. */
function dyingClient(after: RequestMatch): GitHubClient {
  const github = h.client(WRITE_TOKEN);
  let dead = false;
  github.hook.wrap('request', async (request, options) => {
    if (dead) throw new Error('the runner was cancelled');
    const answer = await request(options);
    if (after(requestOf(options))) dead = true;
    return answer;
  });
  return github;
}

/** A run's client held before the first request matching `at` until `go()`. */
function heldClient(at: RequestMatch): { github: GitHubClient; reached: Promise<void>; go: () => void } {
  const github = h.client(WRITE_TOKEN);
  let go = (): void => undefined;
  let reach = (): void => undefined;
  const released = new Promise<void>((resolve) => (go = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let held = false;
  github.hook.wrap('request', async (request, options) => {
    if (!held && at(requestOf(options))) {
      held = true;
      reach();
      await released;
    }
    return request(options);
  });
  return { github, reached, go };
}

/** The repository's pull requests: `[number, state, title]`. */
function pulls(): [number, string, string][] {
  return h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state, p.title]);
}

const TITLE_4 = 'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)';
const TITLE_5 = 'Update bitnami/mongodb from 4.0.3 to 4.0.5 (data/mongodb)';

describe('two runs that overlap', () => {
  it.each([
    // GitHub's answers to the run that lost each race, which takes them for the other run's work.
    ['creating the branch', /^POST .*\/git\/refs$/, ['git/create-ref', 'pulls/create']],
    ['opening the pull request', /^POST .*\/pulls$/, ['pulls/create']],
  ])(
    'one held before %s while the other runs whole: one pull request, decorated once, no problem',
    async (_at, at, refused) => {
      const held = heldClient((request) => at.test(request));
      const first = h.run([mongoUpdate('4.0.4')], { github: held.github, labels: ['dependencies'] });
      await held.reached;
      const other = await h.run([mongoUpdate('4.0.4')], {
        github: h.client(WRITE_TOKEN),
        labels: ['dependencies'],
      });
      held.go();
      const late = await first;
      // The late run says why it updated a pull request it went to open (the job summary shows it).
      expect([other, late].map((run) => run.results.map((r) => [r.action, r.number, r.reason]))).toEqual([
        [['created', 1, undefined]],
        [['updated', 1, FOUND_OPEN]],
      ]);
      expect([...other.problems, ...late.problems]).toEqual([]);
      expect(pulls()).toEqual([[1, 'open', TITLE_4]]);
      expect(h.standIn.pulls(OWNER, h.repo)[0]!.labels).toEqual(['dependencies']);
      const answered422 = h.standIn.requests.filter((r) => r.status === 422).map((r) => r.operationId);
      expect(answered422).toEqual(refused);
    },
  );

  it('one that read the registry before a newer tag opens the older one after it: the next run closes it as superseded', async () => {
    const held = heldClient((request) => /^POST .*\/git\/trees$/.test(request));
    const older = h.run([mongoUpdate('4.0.4')], { github: held.github }, 'image');
    await held.reached;
    await h.run([mongoUpdate('4.0.5')], { github: h.client(WRITE_TOKEN) }, 'image');
    held.go();
    await older;
    expect(pulls()).toEqual([
      [1, 'open', TITLE_5],
      [2, 'open', TITLE_4],
    ]);
    const next = await h.run([mongoUpdate('4.0.5')], {}, 'image');
    expect(next.results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['unchanged', 1, 'supersedes #2'],
    ]);
    expect(pulls()).toEqual([
      [1, 'open', TITLE_5],
      [2, 'closed', TITLE_4],
    ]);
    // Superseded, not refused: its tag may come back.
    expect(parseMarker(h.standIn.pulls(OWNER, h.repo)[1]!.body)?.supersededBy).toBe(1);
  });
  it('one that read the registry before a newer tag moves the shared branch back to the older: the next run moves it on', async () => {
    const branch = branchOf(mongoUpdate('4.0.5'));
    const tagOnBranch = async (): Promise<string | undefined> =>
      /tag: ([\d.]+)/.exec((await h.standIn.readFiles(OWNER, h.repo, branch))[MONGO] ?? '')?.[1];
    const held = heldClient((request) => /^POST .*\/git\/refs$/.test(request));
    const older = h.run([mongoUpdate('4.0.4')], { github: held.github });
    await held.reached;
    await h.run([mongoUpdate('4.0.5')], { github: h.client(WRITE_TOKEN) });
    held.go();
    expect((await older).problems).toEqual([]);
    // The branch held only this Action's commit, so the late run took it over with its own.
    expect(pulls()).toEqual([[1, 'open', TITLE_4]]);
    expect(await tagOnBranch()).toBe('4.0.4');
    const next = await h.run([mongoUpdate('4.0.5')]);
    expect(next.results.map((r) => [r.action, r.number])).toEqual([['updated', 1]]);
    expect(pulls()).toEqual([[1, 'open', TITLE_5]]);
    expect(await tagOnBranch()).toBe('4.0.5');
  });
});

describe('a run stopped half way, then the next run', () => {
  it('stopped after opening the pull request that supersedes another, before closing that one: the next closes it', async () => {
    await h.run([mongoUpdate('4.0.4')], {}, 'image');
    const dying = dyingClient((request) => /^POST .*\/pulls$/.test(request));
    await h.run([mongoUpdate('4.0.5')], { github: dying }, 'image');
    expect(pulls()).toEqual([
      [1, 'open', TITLE_4],
      [2, 'open', TITLE_5],
    ]);
    h.standIn.clearLog();
    const next = await h.run([mongoUpdate('4.0.5')], {}, 'image');
    expect(next.problems).toEqual([]);
    expect(next.results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['unchanged', 2, 'supersedes #1'],
    ]);
    expect(pulls()).toEqual([
      [1, 'closed', TITLE_4],
      [2, 'open', TITLE_5],
    ]);
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual([imageBranch('4.0.5'), 'main']);
    expect(h.standIn.writeRequests().map((r) => r.operationId)).toEqual(['pulls/update', 'git/delete-ref']);
  });

  it('stopped right after opening a pull request, before its labels and auto-merge: the next adds both', async () => {
    const repo = `${h.repo}-automerge`;
    await h.standIn.createRepository(
      OWNER,
      repo,
      { [MONGO]: release('mongodb', '4.0.3', '0.10.0') },
      { allowAutoMerge: true },
    );
    const dying = dyingClient((request) => /^POST .*\/pulls$/.test(request));
    await h.run([mongoUpdate('4.0.4')], { github: dying, repo, labels: ['dependencies'] });
    const pull = () => h.standIn.pulls(OWNER, repo)[0]!;
    expect([pull().labels, pull().autoMerge]).toEqual([[], undefined]);
    // The next run, as the Action runs it: the writer, then auto-merge over its outcomes.
    const next = await h.run([mongoUpdate('4.0.4')], { repo, labels: ['dependencies'] });
    const repository = { github: h.github, owner: OWNER, repo };
    expect(await enableAutoMerge(repository, next.results, 'patch', 'squash', () => undefined)).toEqual([]);
    expect(next.results.map((r) => [r.action, r.number])).toEqual([['unchanged', 1]]);
    expect(pull().labels).toEqual(['dependencies']);
    expect(pull().autoMerge).toMatchObject({ mergeMethod: 'SQUASH' });
  });

  it('stopped after moving the branch to a newer tag, before retitling its pull request: the next retitles it, with no new commit', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const branch = branchOf(mongoUpdate('4.0.5'));
    const dying = dyingClient((request) =>
      request.startsWith(`PATCH /repos/${OWNER}/${h.repo}/git/refs/heads/`),
    );
    await h.run([mongoUpdate('4.0.5')], { github: dying });
    // Meanwhile the pull request says 4.0.4 and its branch holds 4.0.5.
    expect(pulls()).toEqual([[1, 'open', TITLE_4]]);
    const moved = await h.standIn.branchSha(OWNER, h.repo, branch);
    h.standIn.clearLog();
    const next = await h.run([mongoUpdate('4.0.5')]);
    expect(next.problems).toEqual([]);
    expect(pulls()).toEqual([[1, 'open', TITLE_5]]);
    expect(parseMarker(h.standIn.pulls(OWNER, h.repo)[0]!.body)?.updates.map((u) => u.to)).toEqual(['4.0.5']);
    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(moved);
    expect(h.standIn.writeRequests().map((r) => r.operationId)).toEqual(['pulls/update']);
  });
});
