/**
 * An open pull request of ours whose tags the base branch already has (a person made the bump by
 * hand) is closed as obsolete, freeing its `max-pull-requests` slot; one the plan merely lacks, or
 * whose branch holds someone else's commits, is left open. Against the GitHub stand-in.
 */
import { describe, expect, it } from '@jest/globals';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { baseStateOf, hasEveryTag } from '../../src/github/obsolete-pulls.js';
import { markerOf, parseMarker } from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/plan/types.js';
import {
  MONGO,
  OTHER,
  OWNER,
  actions,
  branchOf,
  exporterUpdate,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

/** A person bumps mongodb to 4.0.4 by hand on main. */
const bumpByHand = (): Promise<string> =>
  h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: release('mongodb', '4.0.4', '0.10.0') });

describe('a pull request whose tags the base already has is closed as obsolete', () => {
  it.each<{
    name: string;
    then: Update[];
    maxPullRequests?: number;
    results: [string, number | undefined][];
  }>([
    {
      name: 'the plan no longer has it: closed, and its slot opens a bump that was held back',
      then: [exporterUpdate('0.11.0')],
      maxPullRequests: 1,
      results: [
        ['created', 2],
        ['closed', 1],
      ],
    },
    {
      name: 'the plan has no update at all',
      then: [],
      results: [['closed', 1]],
    },
    {
      name: 'the plan still names it (made from an older checkout)',
      then: [mongoUpdate('4.0.4')],
      results: [
        ['skipped', undefined],
        ['closed', 1],
      ],
    },
  ])('$name', async ({ then, maxPullRequests, results }) => {
    await h.run([mongoUpdate('4.0.4')], { maxPullRequests: 1 });
    await bumpByHand();
    const run = await h.run(then, maxPullRequests ? { maxPullRequests } : {});
    expect(actions(run.results)).toEqual(results);
    expect(run.results.find((r) => r.action === 'closed')?.reason).toBe(
      'main already has docker.io/bitnami/mongodb:4.0.4',
    );
    const pull = h.standIn.pulls(OWNER, h.repo).find((p) => p.number === 1)!;
    expect(pull.state).toBe('closed');
    expect(pull.body).toContain('\n\nClosed: main already has these tags.');
    expect(parseMarker(pull.body)?.obsolete).toBe(true);
    expect(await h.standIn.branches(OWNER, h.repo)).not.toContain(branchOf(mongoUpdate('4.0.4')));
    expect(run.problems).toEqual([]);
  });

  it('does not keep its tag from being proposed again (nobody refused it)', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    await bumpByHand();
    await h.run([]);
    // The hand bump is reverted: 4.0.4 is wanted again.
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: release('mongodb', '4.0.3', '0.10.0') });
    const run = await h.run([mongoUpdate('4.0.4')]);
    expect(actions(run.results)).toEqual([['created', 2]]);
  });
});

describe('an open pull request the base does not make obsolete is left alone', () => {
  it.each<{ name: string; then: Update[]; results: [string, number | undefined][] }>([
    // Still listed: the pull-requests output names every one open after the run.
    { name: 'the plan has no update (a registry failed, or a scope)', then: [], results: [['unchanged', 1]] },
    {
      name: 'the plan has other updates only',
      then: [exporterUpdate('0.11.0')],
      results: [
        ['created', 2],
        ['unchanged', 1],
      ],
    },
  ])('$name: open, and no write for it', async ({ then, results }) => {
    await h.run([mongoUpdate('4.0.4')]);
    h.standIn.clearLog();
    const run = await h.run(then);
    expect(actions(run.results)).toEqual(results);
    expect(h.standIn.pulls(OWNER, h.repo).find((p) => p.number === 1)?.state).toBe('open');
    expect(h.standIn.writeRequests().filter((r) => r.operationId === 'pulls/update')).toEqual([]);
    expect(run.problems).toEqual([]);
  });
});

describe('a pull request with someone else’s commits is never closed as obsolete', () => {
  it.each<{ name: string; then: Update[]; results: [string, number | undefined][] }>([
    { name: 'not named by the plan', then: [], results: [['unchanged', 1]] },
    {
      name: 'named by the plan',
      then: [mongoUpdate('4.0.4')],
      results: [
        ['skipped', undefined],
        ['unchanged', 1],
      ],
    },
  ])('$name: left open with a warning', async ({ then, results }) => {
    await h.run([mongoUpdate('4.0.4')]);
    const branch = branchOf(mongoUpdate('4.0.4'));
    const pushed = await h.standIn.commitFiles(OWNER, h.repo, branch, { 'NOTES.md': 'my fix\n' });
    await bumpByHand();
    const run = await h.run(then);
    expect(actions(run.results)).toEqual(results);
    expect(h.standIn.pulls(OWNER, h.repo)[0].state).toBe('open');
    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(pushed);
    expect(run.problems.map((p) => p.message)).toEqual([
      '#1 proposes tags main already has, but has commits not made by this Action, so it was left open',
    ]);
  });
});

describe('dry run', () => {
  it('says what would be closed, counts its slot as free, and writes nothing', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    await bumpByHand();
    h.standIn.clearLog();
    const run = await h.run([exporterUpdate('0.11.0')], { dryRun: true, maxPullRequests: 1 });
    expect(actions(run.results)).toEqual([
      ['would-create', undefined],
      ['would-close', 1],
    ]);
    expect(h.standIn.writeRequests()).toEqual([]);
    expect(h.standIn.pulls(OWNER, h.repo)[0].state).toBe('open');
  });
});

describe('whether the base already has every tag a marker proposes', () => {
  const marker = markerOf('b', [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')]);
  const locked = release('mongodb', '4.0.4', '0.11.0').replace(
    '    fluxcd.io/automated: "true"\n',
    '    fluxcd.io/automated: "true"\n    fluxcd.io/locked: "true"\n',
  );
  it.each<[string, Record<string, string>, boolean]>([
    ['both tags there', { [MONGO]: release('mongodb', '4.0.4', '0.11.0') }, true],
    ['one of them only', { [MONGO]: release('mongodb', '4.0.4', '0.10.0') }, false],
    ['a newer tag than proposed', { [MONGO]: release('mongodb', '4.0.5', '0.11.0') }, false],
    ['the file gone', { [OTHER]: release('mongodb', '4.0.4', '0.11.0') }, false],
    ['the release locked there (the edit is refused)', { [MONGO]: locked }, false],
    [
      'two documents with the release’s name (the marker does not say which)',
      { [MONGO]: `${release('mongodb', '4.0.4', '0.11.0')}---\n${release('mongodb', '4.0.4', '0.11.0')}` },
      false,
    ],
  ])('%s', (_name, files, expected) => {
    expect(hasEveryTag(marker, new Map(Object.entries(files)), applyUpdates)).toBe(expected);
  });

  it('is false for a marker without updates', () => {
    expect(hasEveryTag(markerOf('b', []), new Map(), applyUpdates)).toBe(false);
  });
});

describe('what the base makes of a pull request the plan does not name', () => {
  const marker = markerOf('b', [mongoUpdate('4.0.4')]);
  const locked = release('mongodb', '4.0.3', '0.10.0').replace(
    '    fluxcd.io/automated: "true"\n',
    '    fluxcd.io/automated: "true"\n    fluxcd.io/locked: "true"\n',
  );
  const twice = `${release('mongodb', '4.0.3', '0.10.0')}---\n${release('mongodb', '4.0.3', '0.10.0')}`;
  const filtered = (filter: string) =>
    release('mongodb', '4.0.3', '0.10.0').replace('chart-image: semver:~4.0', `chart-image: "${filter}"`);
  it.each<[string, Record<string, string>, ReturnType<typeof baseStateOf>]>([
    ['its tag there', { [MONGO]: release('mongodb', '4.0.4', '0.10.0') }, { kind: 'done' }],
    [
      'its filter changed, still allowing its tag',
      { [MONGO]: filtered('semver:>=4.0.4') },
      { kind: 'applies' },
    ],
    [
      'its filter narrowed so that its tag is not allowed',
      { [MONGO]: filtered('semver:~4.0, <4.0.4') },
      {
        kind: 'refused',
        reason: `${MONGO}: chart-image of data/mongodb has the filter semver:~4.0, <4.0.4 here, which does not allow 4.0.4`,
      },
    ],
    [
      'its filter annotation removed (every tag but latest allowed)',
      {
        [MONGO]: release('mongodb', '4.0.3', '0.10.0').replace(
          '    filter.fluxcd.io/chart-image: semver:~4.0\n',
          '',
        ),
      },
      { kind: 'applies' },
    ],
    [
      'still the tag it was made from',
      { [MONGO]: release('mongodb', '4.0.3', '0.10.0') },
      { kind: 'applies' },
    ],
    [
      'a tag someone wrote since',
      { [MONGO]: release('mongodb', '4.0.5', '0.10.0') },
      {
        kind: 'refused',
        reason: `${MONGO}: data/mongodb chart-image now has tag 4.0.5, not 4.0.3; the update to 4.0.4 was planned from 4.0.3`,
      },
    ],
    ['its file gone', {}, { kind: 'refused', reason: `${MONGO} does not exist on the base branch` }],
    [
      'its release locked',
      { [MONGO]: locked },
      {
        kind: 'refused',
        reason: `${MONGO}: HelmRelease data/mongodb is locked (fluxcd.io/locked: "true") here, so chart-image is not updated to 4.0.4`,
      },
    ],
    [
      'two documents with its release’s name',
      { [MONGO]: twice },
      {
        kind: 'refused',
        reason: `${MONGO}: HelmRelease data/mongodb is in ${MONGO} more than once, and the update does not say which`,
      },
    ],
  ])('%s', (_name, files, state) => {
    expect(baseStateOf(marker, new Map(Object.entries(files)), applyUpdates)).toEqual(state);
  });

  it.each<{ name: string; then: (text: string) => string; why: RegExp }>([
    {
      name: 'its release locked',
      then: (text) =>
        text.replace(
          '    fluxcd.io/automated: "true"\n',
          '    fluxcd.io/automated: "true"\n    fluxcd.io/locked: "true"\n',
        ),
      why: /is locked/,
    },
    {
      name: 'its filter narrowed so that its tag is not allowed',
      then: (text) => text.replace('chart-image: semver:~4.0', 'chart-image: "semver:~4.0, <4.0.4"'),
      why: /has the filter semver:~4\.0, <4\.0\.4 here, which does not allow 4\.0\.4/,
    },
  ])(
    'a pull request stays open, and a warning says why, when on the base since: $name',
    async ({ then, why }) => {
      await h.run([mongoUpdate('4.0.4')]);
      await h.standIn.commitFiles(OWNER, h.repo, 'main', {
        [MONGO]: then(release('mongodb', '4.0.3', '0.10.0')),
      });
      h.standIn.clearLog();
      const run = await h.run([]);
      // Listed as open after the run, though nothing was written to it.
      expect(actions(run.results)).toEqual([['unchanged', 1]]);
      expect(run.problems).toEqual([
        expect.objectContaining({
          severity: 'warning',
          // At the pull request's file, so the annotation says where.
          file: MONGO,
          message: expect.stringMatching(
            /^#1 stays open but no longer applies to main as proposed \(.*\); close it if its bump is not wanted$/,
          ),
        }),
      ]);
      expect(run.problems[0]?.message).toMatch(why);
      expect(h.standIn.pulls(OWNER, h.repo)[0]?.state).toBe('open');
      expect(h.standIn.writeRequests()).toEqual([]);
    },
  );
});
