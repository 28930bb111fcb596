/**
 * Commits people push to this Action's branches are never lost: a pull request whose branch holds
 * them is not closed as superseded, a branch that moved while the run worked is not forced over,
 * and a commit of ours that a person rewrote (amend, rebase) counts as theirs. Against the GitHub
 * stand-in, on the resulting branches and pull requests.
 */
import { describe, expect, it } from '@jest/globals';
import type { GroupBy } from '../../src/plan/branch-name.js';
import { COMMIT_TRAILER } from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/plan/types.js';
import {
  MONGO,
  OWNER,
  PREFIX,
  branchOf,
  exporterUpdate,
  imageBranch,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

describe('a pull request with someone else’s commits is not closed as superseded', () => {
  it.each<{
    name: string;
    first: { updates: Update[]; groupBy: GroupBy };
    pushedTo: string;
    then: { updates: Update[]; groupBy: GroupBy; maxPullRequests?: number };
    results: [string, number | undefined][];
    warning?: string;
  }>([
    {
      name: 'a newer tag with group-by image',
      first: { updates: [mongoUpdate('4.0.4')], groupBy: 'image' },
      pushedTo: imageBranch('4.0.4'),
      then: { updates: [mongoUpdate('4.0.5')], groupBy: 'image' },
      results: [
        ['created', 2],
        ['unchanged', 1],
      ],
      warning: '#1 has commits not made by this Action, so it was left open; #2 replaces it',
    },
    {
      name: 'group-by changed from image to container (the request names it)',
      first: { updates: [mongoUpdate('4.0.5')], groupBy: 'image' },
      pushedTo: imageBranch('4.0.5'),
      then: { updates: [mongoUpdate('4.0.5')], groupBy: 'container' },
      results: [
        ['created', 2],
        ['unchanged', 1],
      ],
      warning: '#1 has commits not made by this Action, so it was left open; #2 replaces it',
    },
    {
      name: 'group-by changed from release to container (the run’s pull requests carry it)',
      first: { updates: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], groupBy: 'release' },
      pushedTo: `${PREFIX}data/mongodb-`,
      then: { updates: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], groupBy: 'container' },
      results: [
        ['created', 2],
        ['created', 3],
        ['unchanged', 1],
      ],
      warning: '#1 has commits not made by this Action, so it was left open; #2 replaces it',
    },
    {
      name: 'the kept pull request still counts under max-pull-requests',
      first: { updates: [mongoUpdate('4.0.4')], groupBy: 'image' },
      pushedTo: imageBranch('4.0.4'),
      then: { updates: [mongoUpdate('4.0.5')], groupBy: 'image', maxPullRequests: 1 },
      results: [
        ['held-back', undefined],
        ['unchanged', 1],
      ],
    },
  ])('$name', async ({ first, pushedTo, then, results, warning }) => {
    await h.run(first.updates, {}, first.groupBy);
    const [branch] = (await h.standIn.branches(OWNER, h.repo)).filter((b) => b.startsWith(pushedTo));
    const pushed = await h.standIn.commitFiles(OWNER, h.repo, branch, { 'NOTES.md': 'my fix\n' });

    const run = await h.run(
      then.updates,
      then.maxPullRequests ? { maxPullRequests: then.maxPullRequests } : {},
      then.groupBy,
    );
    expect(run.results.map((r) => [r.action, r.number])).toEqual(results);
    expect(h.standIn.pulls(OWNER, h.repo).find((p) => p.number === 1)?.state).toBe('open');
    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(pushed);
    expect(run.problems.map((p) => [p.severity, p.message])).toEqual(warning ? [['warning', warning]] : []);
  });

  it('is not closed when someone pushes to it while the run is writing', async () => {
    await h.run([mongoUpdate('4.0.4')], {}, 'image');
    let pushed = '';
    // The list of open pull requests was read (our commit at the head); the push comes after.
    h.standIn.beforeNext('pulls/create', async () => {
      pushed = await h.standIn.commitFiles(OWNER, h.repo, imageBranch('4.0.4'), { 'NOTES.md': 'mine\n' });
    });
    const { results, problems } = await h.run([mongoUpdate('4.0.5')], {}, 'image');
    expect(results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['created', 2, undefined],
      ['unchanged', 1, undefined],
    ]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state])).toEqual([
      [1, 'open'],
      [2, 'open'],
    ]);
    expect(await h.standIn.branchSha(OWNER, h.repo, imageBranch('4.0.4'))).toBe(pushed);
    expect(problems.map((p) => p.message)).toEqual([
      '#1 has commits not made by this Action, so it was left open; #2 replaces it',
    ]);
  });
});

describe('a branch that moved while the run worked is not forced over', () => {
  it('leaves alone a commit someone pushed after the run read the branch', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const branch = branchOf(mongoUpdate('4.0.4'));
    let pushed = '';
    // The run read the head with the open pull requests, at its start; the push lands before the
    // branch is moved to the rebuilt commit.
    h.standIn.beforeNext('git/create-commit', async () => {
      pushed = await h.standIn.commitFiles(OWNER, h.repo, branch, { 'NOTES.md': 'my fix\n' });
    });
    const { results, problems } = await h.run([mongoUpdate('4.0.5')]);
    expect(results.map((r) => [r.action, r.number, r.skipped])).toEqual([
      ['skipped', 1, 'foreign'],
      ['unchanged', 1, undefined],
    ]);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      ['warning', expect.stringContaining(`branch ${branch} has commits not made by this Action`)],
    ]);
    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(pushed);
    // Nor is the pull request retitled to a tag its branch does not hold.
    expect(h.standIn.pulls(OWNER, h.repo)[0].title).toContain('to 4.0.4');
  });

  it('rebuilds over a commit of ours that moved the branch meanwhile (another run)', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const branch = branchOf(mongoUpdate('4.0.4'));
    let raced = '';
    h.standIn.beforeNext('git/create-commit', async () => {
      await h.standIn.setBranch(OWNER, h.repo, branch, h.seedSha);
      raced = await h.standIn.commitFiles(
        OWNER,
        h.repo,
        branch,
        { 'NOTES.md': 'made by an older run\n' },
        { message: `Update something\n\n${COMMIT_TRAILER}\n` },
      );
    });
    const { results, problems } = await h.run([mongoUpdate('4.0.5')]);
    expect(problems).toEqual([]);
    expect(results.map((r) => [r.action, r.number])).toEqual([['updated', 1]]);
    const head = await h.standIn.branchSha(OWNER, h.repo, branch);
    expect(head).not.toBe(raced);
    expect(await h.standIn.diff(OWNER, h.repo, 'main', branch)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.5', '0.10.0'),
      },
    });
  });
});

describe('a commit of ours that a person rewrote is theirs', () => {
  const branch = (): string => branchOf(mongoUpdate('4.0.4'));
  /** Rewrites the branch's commit of ours onto `onto` as a person's git would: author kept, committer Alice. */
  async function rewrite(onto: string, files: Record<string, string>): Promise<string> {
    const ours = await h.standIn.readCommit(
      OWNER,
      h.repo,
      (await h.standIn.branchSha(OWNER, h.repo, branch()))!,
    );
    expect(ours.message).toContain(COMMIT_TRAILER);
    await h.standIn.setBranch(OWNER, h.repo, branch(), onto);
    return h.standIn.commitFiles(OWNER, h.repo, branch(), files, {
      message: ours.message,
      author: ours.author,
      committer: { name: 'Alice', email: 'alice@example.com' },
    });
  }

  it.each<{ name: string; rewritten: () => Promise<string> }>([
    {
      name: 'amended with a change of their own (git commit --amend --no-edit)',
      rewritten: () =>
        rewrite(h.seedSha, {
          [MONGO]: release('mongodb', '4.0.4', '0.10.0').replace('version: 7.2.0', 'version: 7.3.0'),
        }),
    },
    {
      // The content is ours, but a rebase may have resolved a conflict by hand: not told apart
      // without reading the files, so left alone too.
      name: 'rebased onto a newer base by a person',
      rewritten: async () => {
        const base = await h.standIn.commitFiles(OWNER, h.repo, 'main', { 'README.md': '# fleet!\n' });
        return rewrite(base, { [MONGO]: release('mongodb', '4.0.4', '0.10.0') });
      },
    },
  ])('$name: left alone when a newer tag comes', async ({ rewritten }) => {
    await h.run([mongoUpdate('4.0.4')]);
    const theirs = await rewritten();
    h.standIn.clearLog();
    const { results, problems } = await h.run([mongoUpdate('4.0.5')]);
    expect(results.map((r) => [r.action, r.number, r.skipped])).toEqual([
      ['skipped', 1, 'foreign'],
      ['unchanged', 1, undefined],
    ]);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      ['warning', expect.stringContaining(`branch ${branch()} has commits not made by this Action`)],
    ]);
    expect(await h.standIn.branchSha(OWNER, h.repo, branch())).toBe(theirs);
    expect(h.standIn.writeRequests()).toEqual([]);
  });
});
