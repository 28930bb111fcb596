/**
 * A HelmRelease file moved on the base branch (renamed, or its release moved into another file):
 * the open pull request of the old path is superseded by the one of the new path instead of
 * staying open beside it, and a tag a person refused under the old path stays refused under the
 * new one. Against the GitHub stand-in.
 */
import { describe, expect, it } from '@jest/globals';
import type { OpenPull } from '../../src/github/pull-request-facts.js';
import { findMoves, movedKey } from '../../src/github/moved-files.js';
import { isGoneFrom } from '../../src/github/obsolete-pulls.js';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import type { GroupBy } from '../../src/plan/branch-name.js';
import { markerOf, parseMarker } from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/plan/types.js';
import {
  MONGO,
  OTHER,
  OWNER,
  PREFIX,
  actions,
  exporterUpdate,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

/** Where the file moves to. */
const MOVED = 'releases/db/mongodb.yaml';

/** A person moves releases/mongodb.yaml to releases/db/mongodb.yaml, content unchanged. */
const moveFile = (): Promise<string> =>
  h.standIn.commitFiles(OWNER, h.repo, 'main', {
    [MONGO]: null,
    [MOVED]: release('mongodb', '4.0.3', '0.10.0'),
  });

/** The same updates, in the moved file. */
const moved = (updates: Update[]): Update[] => updates.map((u) => ({ ...u, file: MOVED }));

/** The branches of our pull requests, sorted. */
const ourBranches = async (): Promise<string[]> =>
  (await h.standIn.branches(OWNER, h.repo)).filter((b) => b.startsWith(PREFIX)).sort();

describe('an open pull request whose file moved is superseded by the one of its new path', () => {
  it.each<{
    name: string;
    groupBy?: GroupBy;
    first: Update[];
    then: Update[];
    maxPullRequests?: number;
    move?: () => Promise<string>;
    note?: string;
  }>([
    { name: 'the file renamed', first: [mongoUpdate('4.0.4')], then: moved([mongoUpdate('4.0.4')]) },
    {
      name: 'the file renamed and a newer tag out',
      first: [mongoUpdate('4.0.4')],
      then: moved([mongoUpdate('4.0.5')]),
    },
    {
      name: 'its max-pull-requests slot is free for the new one',
      first: [mongoUpdate('4.0.4')],
      then: moved([mongoUpdate('4.0.4')]),
      maxPullRequests: 1,
    },
    {
      name: 'group-by release',
      groupBy: 'release',
      first: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')],
      then: moved([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')]),
    },
    {
      name: 'the release moved into another file (its old file holds other releases)',
      first: [mongoUpdate('4.0.4')],
      then: [mongoUpdate('4.0.4', { file: OTHER, documentIndex: 1 })],
      move: () =>
        h.standIn.commitFiles(OWNER, h.repo, 'main', {
          [MONGO]: release('third', '4.0.3', '0.10.0'),
          [OTHER]: `${release('other', '4.0.3', '0.10.0')}---\n${release('mongodb', '4.0.3', '0.10.0')}`,
        }),
      note: `${MONGO} moved to ${OTHER}`,
    },
  ])('$name', async ({ groupBy = 'container', first, then, maxPullRequests, move = moveFile, note }) => {
    await h.run(first, {}, groupBy);
    const [old] = await ourBranches();
    await move();
    const run = await h.run(then, maxPullRequests ? { maxPullRequests } : {}, groupBy);
    expect(run.results.map((r) => [r.action, r.number, r.reason])).toEqual([['created', 2, 'supersedes #1']]);
    expect(run.problems).toEqual([]);
    const [closed, open] = h.standIn.pulls(OWNER, h.repo);
    expect([closed.state, open.state]).toEqual(['closed', 'open']);
    expect(closed.body).toContain(`\n\nSuperseded by #2: ${note ?? `${MONGO} moved to ${MOVED}`}.`);
    expect(parseMarker(closed.body)?.supersededBy).toBe(2);
    expect(await ourBranches()).toEqual([open.head]);
    expect(open.head).not.toBe(old);
  });

  it('one with someone else’s commits stays open, with a warning naming the new one', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const [old] = await ourBranches();
    const pushed = await h.standIn.commitFiles(OWNER, h.repo, old, { 'NOTES.md': 'my fix\n' });
    await moveFile();
    const run = await h.run(moved([mongoUpdate('4.0.4')]));
    expect(actions(run.results)).toEqual([
      ['created', 2],
      ['unchanged', 1],
    ]);
    expect(run.problems.map((p) => p.message)).toEqual([
      '#1 has commits not made by this Action, so it was left open; #2 replaces it',
    ]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => p.state)).toEqual(['open', 'open']);
    expect(await h.standIn.branchSha(OWNER, h.repo, old)).toBe(pushed);
  });

  it.each<{ name: string; then: Update[]; results: [string, number | undefined][] }>([
    {
      name: 'the plan has the release in two other files (which one is its new place is not certain)',
      then: [...moved([mongoUpdate('4.0.4')]), mongoUpdate('4.0.4', { file: 'releases/db/copy.yaml' })],
      results: [
        ['created', 2],
        ['created', 3],
        ['unchanged', 1],
      ],
    },
    { name: 'the plan has no update for it', then: [], results: [['unchanged', 1]] },
  ])('$name: it stays open, and a warning says it no longer applies', async ({ then, results }) => {
    await h.run([mongoUpdate('4.0.4')]);
    await h.standIn.commitFiles(OWNER, h.repo, 'main', {
      [MONGO]: null,
      [MOVED]: release('mongodb', '4.0.3', '0.10.0'),
      'releases/db/copy.yaml': release('mongodb', '4.0.3', '0.10.0'),
    });
    const run = await h.run(then);
    expect(actions(run.results)).toEqual(results);
    expect(h.standIn.pulls(OWNER, h.repo)[0].state).toBe('open');
    expect(run.problems.map((p) => p.message)).toEqual([
      `#1 stays open but no longer applies to main as proposed (${MONGO} does not exist on the base branch); close it if its bump is not wanted`,
    ]);
  });
});

describe('a tag a person refused before its file moved is not proposed again', () => {
  it.each<{ name: string; groupBy: GroupBy; updates: Update[] }>([
    { name: 'group-by container', groupBy: 'container', updates: [mongoUpdate('4.0.4')] },
    {
      name: 'group-by release',
      groupBy: 'release',
      updates: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')],
    },
    { name: 'group-by image', groupBy: 'image', updates: [mongoUpdate('4.0.4')] },
  ])('$name', async ({ groupBy, updates }) => {
    await h.run(updates, {}, groupBy);
    await h.standIn.closePullRequest(OWNER, h.repo, 1);
    await moveFile();
    const run = await h.run(moved(updates), {}, groupBy);
    expect(run.results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['skipped', 1, expect.stringContaining('closed without merging')],
    ]);
    expect(h.standIn.pulls(OWNER, h.repo)).toHaveLength(1);
  });

  it('a newer tag is', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    await h.standIn.closePullRequest(OWNER, h.repo, 1);
    await moveFile();
    const run = await h.run(moved([mongoUpdate('4.0.5')]));
    expect(actions(run.results)).toEqual([['created', 2]]);
  });

  it('the same release in another file that did not move is not held back by it', async () => {
    // Two clusters' copies of data/mongodb; a person refused 4.0.4 for the first one only.
    const staging = 'staging/mongodb.yaml';
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [staging]: release('mongodb', '4.0.3', '0.10.0') });
    await h.run([mongoUpdate('4.0.4')]);
    await h.standIn.closePullRequest(OWNER, h.repo, 1);
    const run = await h.run([mongoUpdate('4.0.4'), mongoUpdate('4.0.4', { file: staging })]);
    expect(run.results.map((r) => [r.action, r.number])).toEqual([
      ['skipped', 1],
      ['created', 2],
    ]);
  });
});

describe('when a container of an open pull request counts as moved', () => {
  /** An open pull request of ours proposing `updates`. */
  const pull = (number: number, updates: Update[]): OpenPull => ({
    number,
    url: '',
    title: '',
    body: '',
    branch: `b${number}`,
    marker: markerOf(`b${number}`, updates),
    decorations: { labels: [], reviewers: [], teams: [], assignees: [] },
  });
  const old = pull(1, [mongoUpdate('4.0.4')]);
  const at = (file: string, overrides: Partial<Update> = {}): Update =>
    mongoUpdate('4.0.5', { file, ...overrides });
  it.each<[string, { gone: boolean; updates: Update[]; others?: OpenPull[] }, string | undefined]>([
    ['its file gone, one other file has it', { gone: true, updates: [at(MOVED)] }, MOVED],
    ['its file still holds it', { gone: false, updates: [at(MOVED)] }, undefined],
    ['two other files have it', { gone: true, updates: [at(MOVED), at('b.yaml')] }, undefined],
    [
      'the other file is another open pull request’s (another cluster’s copy)',
      { gone: true, updates: [at(MOVED)], others: [pull(2, [at(MOVED)])] },
      undefined,
    ],
    [
      'another image repository there',
      { gone: true, updates: [at(MOVED, { repository: 'docker.io/library/mongo' })] },
      undefined,
    ],
    ['another container there', { gone: true, updates: [at(MOVED, { container: 'metrics' })] }, undefined],
    ['no update for it', { gone: true, updates: [] }, undefined],
  ])('%s', (_name, { gone, updates, others = [] }, expected) => {
    const moved = findMoves([old], [old, ...others], updates, () => gone);
    expect(moved.get(movedKey(old.marker.updates[0]))).toBe(expected);
  });
});

describe('whether the base no longer holds a marker’s release in its file', () => {
  const [m] = markerOf('b', [mongoUpdate('4.0.4')]).updates;
  const locked = release('mongodb', '4.0.3', '0.10.0').replace(
    '    fluxcd.io/automated: "true"\n',
    '    fluxcd.io/automated: "true"\n    fluxcd.io/locked: "true"\n',
  );
  it.each<[string, string | undefined, boolean]>([
    ['the file gone', undefined, true],
    ['only another release in it', release('third', '4.0.3', '0.10.0'), true],
    ['the release there', release('mongodb', '4.0.3', '0.10.0'), false],
    ['the release there, locked', locked, false],
    ['the release there twice', `${release('mongodb', '4.0.3', '0.10.0')}---\n${locked}`, false],
  ])('%s', (_name, text, gone) => {
    expect(isGoneFrom(m, text, applyUpdates)).toBe(gone);
  });
});

describe('a moved pull request whose new one is not written', () => {
  it('stays open with a warning, and a dry run says so as the real run does', async () => {
    // #1 (mongodb) and #2 (the exporter) open; the file moves; the run has mongodb's update only,
    // and #2 holds the one slot, so the new one is held back and does not supersede #1.
    await h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')]);
    await moveFile();
    const warnings = [2, 1].map(
      (n) =>
        `#${n} stays open but no longer applies to main as proposed (${MONGO} does not exist on the base branch); close it if its bump is not wanted`,
    );
    for (const dryRun of [true, false]) {
      const run = await h.run(moved([mongoUpdate('4.0.4')]), { maxPullRequests: 1, dryRun });
      expect(actions(run.results)).toEqual([
        ['held-back', undefined],
        ['unchanged', 1],
        ['unchanged', 2],
      ]);
      expect(run.problems.map((p) => p.message)).toEqual(warnings);
      expect(h.standIn.pulls(OWNER, h.repo).map((p) => p.state)).toEqual(['open', 'open']);
    }
  });
});
