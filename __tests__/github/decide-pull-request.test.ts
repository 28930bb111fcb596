/**
 * The writer's decisions on plain data: no GitHub, no stand-in. Each row is what was read about
 * one branch and the run, and the decision expected.
 */
import {
  branchStatus,
  carriesPlan,
  type BranchStatus,
  type RebaseWhen,
} from '../../src/github/branch-status.js';
import { decidePullRequest, type Decision } from '../../src/github/decide-pull-request.js';
import { isOurCommit } from '../../src/github/our-commit.js';
import { missingDecorations, type PresentDecorations } from '../../src/github/missing-decorations.js';
import { refusalsOf } from '../../src/github/proposed-updates.js';
import { replaceable, supersededByRun } from '../../src/github/replaced-pulls.js';
import {
  type BaseMove,
  type BranchFacts,
  type BranchHead,
  type OpenPull,
  type PlannedFile,
  type WriterState,
} from '../../src/github/pull-request-facts.js';
import { groupUpdates } from '../../src/plan/branch-name.js';
import { COMMIT_TRAILER, markerOf } from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/plan/types.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const PREFIX = 'helmrelease-image-updater/';
const FILE = 'releases/mongodb.yaml';
const BASE_SHA = 'base-sha';
const TEXT = {
  title: 'Update mongodb to 4.0.4',
  body: 'body',
  message: `Update mongodb to 4.0.4\n\n${COMMIT_TRAILER}`,
};
const NONE: PresentDecorations = { labels: [], reviewers: [], teams: [], assignees: [] };
const PLANNED: PlannedFile = { path: FILE, baseBlob: 'base-blob', desiredBlob: 'desired-blob' };

const update = (to: string, overrides: Partial<Update> = {}): Update =>
  makeUpdate({ file: FILE, to, ...overrides });
const request = groupUpdates([update('4.0.4')], 'container', PREFIX)[0];
/** The same container, grouped by image: another branch per tag. */
const byImage = (to: string) => groupUpdates([update(to)], 'image', PREFIX)[0];

/** The dates GitHub gives a commit made through the API (one for both), and a later one. */
const MADE = '2026-01-01T10:00:00Z';
const LATER = '2026-01-02T08:30:00Z';
const once = { authoredDate: MADE, committedDate: MADE };

/** A head commit of ours on `parent` whose file has blob `blob`. */
function ours(parent = BASE_SHA, blob = PLANNED.desiredBlob, message = TEXT.message): BranchHead {
  return { sha: 'head-sha', parents: [parent], message, ...once, blobs: new Map([[FILE, blob]]) };
}
/** Someone else's commit on top of ours. */
const foreign: BranchHead = {
  sha: 'their-sha',
  parents: ['head-sha'],
  message: 'my fix',
  ...once,
  blobs: new Map(),
};

/** An open pull request of ours for `branch` proposing `to`. */
function openPull(branch: string, to: string, overrides: Partial<OpenPull> = {}): OpenPull {
  return {
    number: 7,
    url: 'https://github.com/acme/fleet/pull/7',
    title: TEXT.title,
    body: TEXT.body,
    branch,
    marker: markerOf(branch, [update(to)]),
    decorations: NONE,
    ...overrides,
  };
}

function state(open: OpenPull[] = [], openCount = open.length): WriterState {
  return { base: 'main', baseSha: BASE_SHA, open: new Map(open.map((p) => [p.branch, p])), openCount };
}

const edited: BranchFacts = { edit: { ok: true, files: [PLANNED] } };
const current = openPull(request.branch, '4.0.4');
/** The same container's pull request at an older tag, with `group-by: image`, whose head is `head`. */
const older = (head: BranchHead | undefined): OpenPull =>
  openPull(byImage('4.0.3').branch, '4.0.3', head ? { head } : {});
/** A new pull request, committed, that replaces none. */
const creates: Decision = { kind: 'create', rebuild: true, head: undefined, supersede: [], keep: [] };

describe('decidePullRequest', () => {
  it.each<[string, BranchFacts, WriterState, Decision]>([
    [
      'a closed pull request proposed it: skip as closed',
      { closed: { number: 3, url: 'u', merged: false } },
      state(),
      { kind: 'skip', why: 'closed', pull: { number: 3, url: 'u', merged: false } },
    ],
    [
      'the edit does not apply to the base text: skip',
      { edit: { ok: false, reason: 'gone' } },
      state(),
      { kind: 'skip', why: 'unappliable', reason: 'gone' },
    ],
    [
      'the base already has the tags: skip',
      { edit: { ok: true, files: [] } },
      state(),
      { kind: 'skip', why: 'no-change' },
    ],
    [
      'no branch, no pull request: create with a commit',
      edited,
      state(),
      { kind: 'create', rebuild: true, head: undefined, supersede: [], keep: [] },
    ],
    [
      'our branch holds exactly this commit but no pull request (killed run): create without a commit',
      { ...edited, head: ours() },
      state(),
      { kind: 'create', rebuild: false, head: ours(), supersede: [], keep: [] },
    ],
    [
      'someone else committed to the branch: skip, naming the open pull request',
      { ...edited, head: foreign },
      state([current]),
      { kind: 'skip', why: 'foreign', open: current },
    ],
    [
      'a person opened a pull request from our stale branch: skip, moving nothing',
      { ...edited, head: ours('old-base'), othersPull: { number: 7, url: 'u7' } },
      state(),
      { kind: 'skip', why: 'others-pull', pull: { number: 7, url: 'u7' } },
    ],
    [
      'a person opened a pull request from our branch holding exactly this: skip, opening nothing',
      { ...edited, head: ours(), othersPull: { number: 7, url: 'u7' } },
      state(),
      { kind: 'skip', why: 'others-pull', pull: { number: 7, url: 'u7' } },
    ],
    [
      'a person opened a pull request from our branch, but the base has the tags: skip as no change',
      { edit: { ok: true, files: [] }, othersPull: { number: 7, url: 'u7' } },
      state(),
      { kind: 'skip', why: 'no-change' },
    ],
    [
      'everything current: leave',
      { ...edited, head: ours() },
      state([current]),
      { kind: 'leave', open: current, decorate: {} },
    ],
    [
      'the base moved on: rebuild, same title',
      { ...edited, head: ours('old-base') },
      state([current]),
      {
        kind: 'update',
        open: current,
        rebuild: true,
        retitle: false,
        head: ours('old-base'),
        supersede: [],
        keep: [],
        decorate: {},
      },
    ],
    [
      'a newer tag on the same branch: rebuild and retitle',
      { ...edited, head: ours(BASE_SHA, 'older-blob', `Update mongodb to 4.0.3\n\n${COMMIT_TRAILER}`) },
      state([{ ...current, title: 'Update mongodb to 4.0.3' }]),
      {
        kind: 'update',
        open: { ...current, title: 'Update mongodb to 4.0.3' },
        rebuild: true,
        retitle: true,
        head: ours(BASE_SHA, 'older-blob', `Update mongodb to 4.0.3\n\n${COMMIT_TRAILER}`),
        supersede: [],
        keep: [],
        decorate: {},
      },
    ],
    [
      'only the body changed: retitle without a commit',
      { ...edited, head: ours() },
      state([{ ...current, body: 'old body' }]),
      {
        kind: 'update',
        open: { ...current, body: 'old body' },
        rebuild: false,
        retitle: true,
        head: ours(),
        supersede: [],
        keep: [],
        decorate: {},
      },
    ],
    [
      'the cap is reached: hold back',
      edited,
      state(
        [openPull(`${PREFIX}other`, '1.0.0', { marker: markerOf('x', [update('1', { container: 'x' })]) })],
        10,
      ),
      { kind: 'hold-back', cap: 10, open: 10 },
    ],
  ])('%s', (_name, facts, runState, expected) => {
    expect(decidePullRequest({ request, facts, text: TEXT, state: runState, maxPullRequests: 10 })).toEqual(
      expected,
    );
  });

  it.each<[string, BranchHead | undefined, Decision]>([
    ['our commit: closed, freeing its slot', ours(), { ...creates, supersede: [older(ours())] }],
    ['someone else’s commits: kept open, keeping its slot', foreign, { kind: 'hold-back', cap: 1, open: 1 }],
    ['a head not read: kept open, keeping its slot', undefined, { kind: 'hold-back', cap: 1, open: 1 }],
  ])('a pull request it supersedes whose head is %s', (_name, head, expected) => {
    const decide = (maxPullRequests: number) =>
      decidePullRequest({
        request: byImage('4.0.4'),
        facts: edited,
        text: TEXT,
        state: state([older(head)]),
        maxPullRequests,
      });
    expect(decide(1)).toEqual(expected);
    // Under the cap, the kept one is named for the warning.
    if (expected.kind === 'hold-back') expect(decide(2)).toEqual({ ...creates, keep: [older(head)] });
  });
});

describe('without the base text (the open pull request’s head read with the list)', () => {
  it.each<[string, BranchHead, OpenPull, Decision['kind']]>([
    ['our commit with the planned message on the base: leave', ours(), current, 'leave'],
    ['our commit on an older base: not decided without the text', ours('old-base'), current, 'skip'],
    [
      'another message: not decided without the text',
      ours(BASE_SHA, PLANNED.desiredBlob, `Other\n\n${COMMIT_TRAILER}`),
      current,
      'skip',
    ],
    ['the pull request proposes other tags: not decided', ours(), openPull(request.branch, '4.0.3'), 'skip'],
    ['someone else’s commit: not decided without the text', foreign, current, 'skip'],
  ])('%s', (_name, head, open, kind) => {
    const decision = decidePullRequest({
      request,
      facts: { head },
      text: TEXT,
      state: state([open]),
      maxPullRequests: 10,
    });
    expect(decision.kind).toBe(kind);
  });
});

describe('carriesPlan', () => {
  const moved = (...unchanged: string[]): BaseMove => ({ unchanged: new Set(unchanged) });
  it.each<[string, BranchHead, RebaseWhen, BaseMove | undefined, boolean]>([
    ['on the base', ours(), 'conflicted', undefined, true],
    ['on an older base, file unchanged there', ours('old-base'), 'conflicted', moved(FILE), true],
    ['on an older base, file changed or gone there', ours('old-base'), 'conflicted', moved(), false],
    ['on an older base, another file unchanged', ours('old-base'), 'conflicted', moved('other.yaml'), false],
    ['on an older base, blob ids not read', ours('old-base'), 'conflicted', undefined, false],
    ['on an older base, behind-base', ours('old-base'), 'behind-base', moved(FILE), false],
    ['on an older base, never', ours('old-base'), 'never', undefined, true],
    ['another message', ours(BASE_SHA, 'x', `Other\n\n${COMMIT_TRAILER}`), 'never', undefined, false],
    ['someone else’s commit', foreign, 'never', undefined, false],
  ])('%s (rebase-when %s)', (_name, head, rebaseWhen, baseMove, expected) => {
    expect(carriesPlan(head, TEXT.message, BASE_SHA, [FILE], rebaseWhen, baseMove)).toBe(expected);
  });
});

describe('decorations', () => {
  const wanted = {
    labels: ['dependencies', 'images'],
    reviewers: ['alice'],
    teamReviewers: ['acme/platform'],
    assignees: ['bob'],
  };

  it.each<[string, PresentDecorations, object]>([
    [
      'none yet (the answer to pulls.create was lost)',
      NONE,
      {
        labels: ['dependencies', 'images'],
        reviewers: ['alice'],
        teamReviewers: ['platform'],
        assignees: ['bob'],
      },
    ],
    [
      'all there, names in another case',
      { labels: ['Dependencies', 'images'], reviewers: ['Alice'], teams: ['platform'], assignees: ['BOB'] },
      {},
    ],
    [
      'killed while labelling',
      { ...NONE, labels: ['dependencies'] },
      { labels: ['images'], reviewers: ['alice'], teamReviewers: ['platform'], assignees: ['bob'] },
    ],
    [
      'only the assignee missing',
      { labels: ['dependencies', 'images'], reviewers: ['alice'], teams: ['platform'], assignees: [] },
      { assignees: ['bob'] },
    ],
  ])('%s', (_name, present, missing) => {
    const open = { ...current, decorations: present };
    expect(
      decidePullRequest({
        request,
        facts: { ...edited, head: ours() },
        text: TEXT,
        state: state([open]),
        maxPullRequests: 10,
        decorations: wanted,
      }),
    ).toEqual({ kind: 'leave', open, decorate: missing });
  });

  it('also completes them on a pull request it updates', () => {
    const decision = decidePullRequest({
      request,
      facts: { ...edited, head: ours('old-base') },
      text: TEXT,
      state: state([current]),
      maxPullRequests: 10,
      decorations: { labels: ['dependencies'] },
    });
    expect(decision).toMatchObject({ kind: 'update', rebuild: true, decorate: { labels: ['dependencies'] } });
  });
});

describe('branchStatus', () => {
  it.each<[string, BranchHead | undefined, string]>([
    ['no branch', undefined, 'missing'],
    ['our commit, planned file, on the base', ours(), 'current'],
    ['our commit on an older base', ours('old-base'), 'stale'],
    ['our commit with another file content', ours(BASE_SHA, 'other-blob'), 'stale'],
    [
      'our commit with another message',
      ours(BASE_SHA, PLANNED.desiredBlob, `Other\n\n${COMMIT_TRAILER}`),
      'stale',
    ],
    ['a commit without our trailer', { ...ours(), message: 'Update mongodb' }, 'foreign'],
    ['a merge commit', { ...ours(), parents: [BASE_SHA, 'x'] }, 'foreign'],
    ['a commit on top of ours', foreign, 'foreign'],
    ['ours amended by a person (committed later)', { ...ours(), committedDate: LATER }, 'foreign'],
  ])('%s: %s', (_name, head, expected) => {
    expect(branchStatus(head, [PLANNED], TEXT.message, BASE_SHA)).toBe(expected);
  });
});

describe('isOurCommit', () => {
  it.each<[string, Partial<BranchHead>, boolean]>([
    ['made through the API: one date for author and committer', {}, true],
    ['the same instant written another way', { committedDate: '2026-01-01T11:00:00+01:00' }, true],
    ['amended, rebased or cherry-picked: committed later than written', { committedDate: LATER }, false],
    // A server that does not give the dates must not make every branch of ours look foreign.
    ['dates not given', { authoredDate: '', committedDate: '' }, true],
    ['a server stamping the two a few seconds apart', { committedDate: '2026-01-01T10:00:05Z' }, true],
    ['without our trailer', { message: 'Update mongodb' }, false],
    ['a merge', { parents: [BASE_SHA, 'x'] }, false],
  ])('%s', (_name, overrides, expected) => {
    expect(isOurCommit({ ...ours(), ...overrides })).toBe(expected);
  });
});

describe('branchStatus on a base that moved on', () => {
  /** Ours on an older base; the parent's copy of the file is `parentBlob`, the head's `headBlob`. */
  const behind = (parentBlob: string | undefined, headBlob = PLANNED.desiredBlob): BranchHead => ({
    ...ours('old-base', headBlob),
    ...(parentBlob === undefined ? {} : { parentBlobs: new Map([[FILE, parentBlob]]) }),
  });
  const UNCHANGED = PLANNED.baseBlob;
  it.each<[string, BranchHead, RebaseWhen, boolean, BranchStatus]>([
    ['base copy unchanged', behind(UNCHANGED), 'conflicted', true, 'current'],
    ['base copy changed', behind('older-copy', 'older-edit'), 'conflicted', true, 'stale'],
    [
      'base copy unchanged, another tag in the file',
      behind(UNCHANGED, 'older-tag'),
      'conflicted',
      true,
      'stale',
    ],
    ['parent not read', behind(undefined), 'conflicted', true, 'stale'],
    ['base copy unchanged', behind(UNCHANGED), 'behind-base', true, 'stale'],
    ['base copy changed, same targets', behind('older-copy', 'older-edit'), 'never', true, 'current'],
    ['base copy changed, other targets', behind('older-copy', 'older-edit'), 'never', false, 'stale'],
    ['base copy unchanged, another tag in the file', behind(UNCHANGED, 'older-tag'), 'never', true, 'stale'],
    ['parent not read', behind(undefined), 'never', true, 'stale'],
  ])('%s, rebase-when %s', (_name, head, rebaseWhen, sameTargets, expected) => {
    expect(branchStatus(head, [PLANNED], TEXT.message, BASE_SHA, rebaseWhen, sameTargets)).toBe(expected);
  });

  it('leaves an open pull request whose file the base did not touch', () => {
    const decision = decidePullRequest({
      request,
      facts: { ...edited, head: behind(UNCHANGED) },
      text: TEXT,
      state: state([current]),
      maxPullRequests: 10,
    });
    expect(decision).toEqual({ kind: 'leave', open: current, decorate: {} });
  });
});

describe('replaceable', () => {
  it.each<[string, OpenPull, boolean]>([
    [
      'the same container at an older tag on another branch',
      openPull(byImage('4.0.3').branch, '4.0.3'),
      true,
    ],
    ['the same container and tag under another group-by', openPull(`${PREFIX}old/branch`, '4.0.4'), true],
    ['its own branch', openPull(byImage('4.0.4').branch, '4.0.3'), false],
    [
      'a pull request that also carries another container',
      openPull(byImage('4.0.3').branch, '4.0.3', {
        marker: markerOf('x', [update('4.0.3'), update('1.0.0', { container: 'metrics' })]),
      }),
      false,
    ],
  ])('%s: %s', (_name, pull, expected) => {
    expect(replaceable(byImage('4.0.4'), new Map([[pull.branch, pull]]))).toEqual(expected ? [pull] : []);
  });
});

describe('supersededByRun', () => {
  const metrics = update('1.1.0', { container: 'metrics' });
  /** A grouped pull request of both containers (`group-by: release`, say). */
  const grouped = openPull(`${PREFIX}data/mongodb-1a2b3c4d`, '4.0.4', {
    marker: markerOf(`${PREFIX}data/mongodb-1a2b3c4d`, [update('4.0.4'), metrics]),
  });
  const written = (branch: string, open: boolean, updates: Update[]) => ({ branch, open, updates });
  it.each<[string, ReturnType<typeof written>[], string | undefined]>([
    [
      'both containers carried by this run’s pull requests',
      [written('a', true, [update('4.0.5')]), written('b', true, [metrics])],
      'a',
    ],
    [
      'one container held back (no pull request)',
      [written('a', true, [update('4.0.5')]), written('b', false, [metrics])],
      undefined,
    ],
    ['only one container proposed', [written('a', true, [update('4.0.5')])], undefined],
    [
      'its own branch requested',
      [written(grouped.branch, true, [update('4.0.4')]), written('b', true, [metrics])],
      undefined,
    ],
  ])('%s', (_name, writtenRequests, by) => {
    expect(supersededByRun(new Map([[grouped.branch, grouped]]), writtenRequests)).toEqual(
      by === undefined ? [] : [{ pull: grouped, by }],
    );
  });
});

describe('missingDecorations', () => {
  const wanted = {
    labels: ['deps'],
    reviewers: ['alice', 'Bob'],
    teamReviewers: ['acme/platform'],
    assignees: [],
  };
  it.each([
    // what the pull request has, what it lacks
    [
      'nothing, reviews not read',
      NONE,
      { labels: ['deps'], reviewers: ['alice', 'Bob'], teamReviewers: ['platform'] },
    ],
    [
      'nothing, nobody reviewed',
      { ...NONE, reviewed: [] },
      { labels: ['deps'], reviewers: ['alice', 'Bob'], teamReviewers: ['platform'] },
    ],
    [
      'pending requests for all (names compare without case)',
      { ...NONE, labels: ['DEPS'], reviewers: ['alice', 'bob'], teams: ['platform'] },
      {},
    ],
    // A review answers the request: the reviewer is not asked again, nor any team.
    [
      'alice reviewed, bob pending',
      { ...NONE, labels: ['deps'], reviewers: ['bob'], reviewed: ['alice'] },
      {},
    ],
    [
      'alice reviewed, bob not asked',
      { ...NONE, labels: ['deps'], reviewed: ['Alice'] },
      { reviewers: ['Bob'] },
    ],
    [
      'someone else reviewed',
      { ...NONE, labels: ['deps'], reviewed: ['carol'] },
      { reviewers: ['alice', 'Bob'] },
    ],
  ])('%s', (_what, present: PresentDecorations, missing) => {
    expect(missingDecorations(present, wanted)).toEqual(missing);
  });
});

describe('refusalsOf', () => {
  const a = update('4.0.4', { release: 'data/a' });
  const b = update('4.0.4', { release: 'data/b' });
  const c = update('4.0.4', { release: 'data/c' });
  /** Closed pull request `number`, which proposed `updates`. */
  const closed = (number: number, ...updates: Update[]) => ({
    pull: { number, url: `https://github.com/acme/fleet/pull/${number}`, merged: false },
    updates: new Set(updates),
  });

  it.each<{ name: string; proposed: ReturnType<typeof closed>[]; kept: [number, Update[]][] }>([
    { name: 'none proposed any', proposed: [closed(1)], kept: [] },
    { name: 'one proposed them all', proposed: [closed(1, a, b, c)], kept: [[1, [a, b, c]]] },
    { name: 'one proposed some: the others are left', proposed: [closed(1, a, b)], kept: [[1, [a, b]]] },
    {
      name: 'the one that proposed them all is the only one named, even when listed later',
      proposed: [closed(2, a), closed(1, a, b, c)],
      kept: [[1, [a, b, c]]],
    },
    {
      name: 'each update is named once: the one that proposed most first, then the earliest listed',
      proposed: [closed(3, c), closed(2, b, c), closed(1, a)],
      kept: [
        [2, [b, c]],
        [1, [a]],
      ],
    },
  ])('$name', ({ proposed, kept }) => {
    expect(refusalsOf([a, b, c], proposed).map((r) => [r.pull.number, r.updates])).toEqual(kept);
  });
});
