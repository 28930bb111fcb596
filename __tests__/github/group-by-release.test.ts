/**
 * `group-by: release` against the GitHub stand-in: one pull request per HelmRelease carrying all
 * its containers' bumps, superseding as the other groupings do, with request counts asserted.
 */
import { describe, expect, it } from '@jest/globals';
import { enableAutoMerge, type AutomergeLevel } from '../../src/github/auto-merge.js';
import { writePullRequests } from '../../src/github/pull-request-writer.js';
import { createReleaseNotesSource } from '../../src/github/release-notes.js';
import { groupUpdates, shortHash, type GroupBy } from '../../src/plan/branch-name.js';
import { COMMIT_TRAILER, parseMarker } from '../../src/plan/pull-request-text.js';
import type { Update, UpdateType } from '../../src/update.js';
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

/** The exporter's bump, a minor one. */
function exporter(to: string, type: UpdateType = 'minor'): Update {
  return { ...exporterUpdate(to), type };
}

/** The chart image of data/other. */
function otherMongo(to: string): Update {
  return mongoUpdate(to, { file: OTHER, name: 'other', release: 'data/other' });
}

const MONGO_BRANCH = `${PREFIX}data/mongodb-${shortHash(MONGO)}`;

/** The operation ids of the requests that changed something since the log was cleared. */
function writes(): string[] {
  return h.standIn.writeRequests().map((r) => r.operationId ?? r.path);
}

describe('group-by: release', () => {
  it('opens one pull request with both containers’ edits, titled by the release and the count', async () => {
    const { results, problems } = await h.run(
      [mongoUpdate('4.0.4'), exporter('0.11.0')],
      { labels: ['dependencies', 'update:{type}'] },
      'release',
    );
    expect(problems).toEqual([]);
    expect(results.map((r) => [r.action, r.number, r.branch, r.updates.length])).toEqual([
      ['created', 1, MONGO_BRANCH, 2],
    ]);
    expect(await h.standIn.diff(OWNER, h.repo, 'main', MONGO_BRANCH)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.4', '0.11.0'),
      },
    });
    const head = await h.standIn.readCommit(
      OWNER,
      h.repo,
      (await h.standIn.branchSha(OWNER, h.repo, MONGO_BRANCH))!,
    );
    expect(head.parents).toEqual([h.seedSha]);
    expect(head.message).toBe(
      [
        'Update 2 images in data/mongodb',
        '',
        '- data/mongodb (chart-image) in releases/mongodb.yaml: bitnami/mongodb:4.0.3 -> bitnami/mongodb:4.0.4 (patch)',
        '- data/mongodb (metrics) in releases/mongodb.yaml: bitnami/mongodb-exporter:0.10.0 -> bitnami/mongodb-exporter:0.11.0 (minor)',
        '',
        COMMIT_TRAILER,
        '',
      ].join('\n'),
    );
    const [pull] = h.standIn.pulls(OWNER, h.repo);
    expect(pull).toMatchObject({ title: 'Update 2 images in data/mongodb', state: 'open' });
    // The most significant type labels it; one section per image; both tags in the marker.
    expect(pull.labels).toEqual(['dependencies', 'update:minor']);
    expect(pull.body).toContain('### Update `bitnami/mongodb` from `4.0.3` to `4.0.4` (patch)');
    expect(pull.body).toContain('### Update `bitnami/mongodb-exporter` from `0.10.0` to `0.11.0` (minor)');
    expect(pull.body).toContain('keeps the Action from proposing each of these tags again for its container');
    expect(parseMarker(pull.body)?.updates.map((u) => [u.container, u.to])).toEqual([
      ['chart-image', '4.0.4'],
      ['metrics', '0.11.0'],
    ]);
    // One commit (tree, commit, ref), one pull request, two labels created and added.
    expect(writes()).toEqual([
      'git/create-tree',
      'git/create-commit',
      'git/create-ref',
      'pulls/create',
      'issues/create-label',
      'issues/create-label',
      'issues/add-labels',
    ]);
  });

  it('writes nothing on an unchanged re-run', async () => {
    const updates = (): Update[] => [mongoUpdate('4.0.4'), exporter('0.11.0'), otherMongo('4.0.4')];
    await h.run(updates(), { labels: ['update:{type}'] }, 'release');
    h.standIn.clearLog();
    const again = await h.run(updates(), { labels: ['update:{type}'] }, 'release');
    expect(actions(again.results)).toEqual([
      ['unchanged', 1],
      ['unchanged', 2],
    ]);
    expect(writes()).toEqual([]);
    expect(h.standIn.requests.map((r) => r.operationId)).toEqual(['repos/get', 'git/get-ref', 'graphql']);
  });

  it('rebuilds the same pull request when one container gets a newer tag', async () => {
    await h.run([mongoUpdate('4.0.4'), exporter('0.11.0')], {}, 'release');
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.5'), exporter('0.11.0')], {}, 'release');
    expect(results.map((r) => [r.action, r.number, r.branch])).toEqual([['updated', 1, MONGO_BRANCH]]);
    expect(await h.standIn.diff(OWNER, h.repo, 'main', MONGO_BRANCH)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.5', '0.11.0'),
      },
    });
    const pulls = h.standIn.pulls(OWNER, h.repo);
    expect(pulls.map((p) => [p.number, p.state, p.title])).toEqual([
      [1, 'open', 'Update 2 images in data/mongodb'],
    ]);
    expect(parseMarker(pulls[0].body)?.updates.map((u) => u.to)).toEqual(['4.0.5', '0.11.0']);
    // A new commit on the same branch and the body's new tag; no new pull request.
    expect(writes()).toEqual(['git/create-tree', 'git/create-commit', 'git/update-ref', 'pulls/update']);
  });

  it('rebuilds the pull request when a container drops out of the set', async () => {
    await h.run([mongoUpdate('4.0.4'), exporter('0.11.0')], {}, 'release');
    const { results } = await h.run([mongoUpdate('4.0.4')], {}, 'release');
    expect(actions(results)).toEqual([['updated', 1]]);
    const [pull] = h.standIn.pulls(OWNER, h.repo);
    expect(pull.title).toBe('Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)');
    expect(await h.standIn.diff(OWNER, h.repo, 'main', MONGO_BRANCH)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.10.0'),
        after: release('mongodb', '4.0.4', '0.10.0'),
      },
    });
  });

  it('does not propose a closed pull request’s tags again, nor with a newer tag of another container', async () => {
    await h.run([mongoUpdate('4.0.4'), exporter('0.11.0')], {}, 'release');
    await h.standIn.closePullRequest(OWNER, h.repo, 1);
    const again = await h.run([mongoUpdate('4.0.4'), exporter('0.11.0')], {}, 'release');
    expect(again.results.map((r) => [r.action, r.reason])).toEqual([
      [
        'skipped',
        '#1 proposed this and was closed without merging, so it is not proposed again: reopen it to have it proposed; a newer tag is proposed as usual',
      ],
    ]);
    const newer = await h.run([mongoUpdate('4.0.5'), exporter('0.11.0')], {}, 'release');
    // The exporter's 0.11.0 stays refused: its own result says #1 keeps it back.
    expect(newer.results.map((r) => [r.action, r.number, r.updates.map((u) => u.to)])).toEqual([
      ['created', 2, ['4.0.5']],
      ['skipped', 1, ['0.11.0']],
    ]);
  });

  it('puts each image’s release notes under its own section, and keeps them on a re-run without reading them again', async () => {
    // Each image's source repository on the stand-in, with the release its bump brings.
    const sources = { mongodb: `${h.repo}-mongodb`, exporter: `${h.repo}-exporter` };
    for (const [name, tag] of [
      [sources.mongodb, 'v4.0.4'],
      [sources.exporter, 'v0.11.0'],
    ] as const) {
      await h.standIn.createRepository('upstream', name, { 'README.md': `${name}\n` });
      await h.standIn.addRelease('upstream', name, { tag, body: `Notes of ${name} ${tag}` });
    }
    const updates = (): Update[] => [
      { ...mongoUpdate('4.0.4'), source: `https://github.com/upstream/${sources.mongodb}` },
      { ...exporter('0.11.0'), source: `https://github.com/upstream/${sources.exporter}` },
    ];
    const options = { releaseNotes: createReleaseNotesSource({ github: h.github }) };
    await h.run(updates(), options, 'release');
    const [written] = h.standIn.pulls(OWNER, h.repo);
    // What a reviewer reads from each section's heading to the next: its own image's notes.
    const sections = written.body!.split('\n---\n')[0]!.split(/^(?=### )/m);
    expect(sections.map((s) => [s.split('\n')[0], (s.match(/Notes of \S+/g) ?? []).join(', ')])).toEqual([
      ['### Update `bitnami/mongodb` from `4.0.3` to `4.0.4` (patch)', `Notes of ${sources.mongodb}`],
      [
        '### Update `bitnami/mongodb-exporter` from `0.10.0` to `0.11.0` (minor)',
        `Notes of ${sources.exporter}`,
      ],
    ]);
    h.standIn.clearLog();
    const again = await h.run(updates(), options, 'release');
    expect(actions(again.results)).toEqual([['unchanged', 1]]);
    expect(h.standIn.requests.filter((r) => r.path.startsWith('/repos/upstream/'))).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('counts pull requests, not bumps, under max-pull-requests', async () => {
    const { results } = await h.run(
      [mongoUpdate('4.0.4'), exporter('0.11.0'), otherMongo('4.0.4')],
      { maxPullRequests: 1 },
      'release',
    );
    expect(results.map((r) => [r.action, r.updates.length])).toEqual([
      ['created', 2],
      ['held-back', 1],
    ]);
  });
});

describe('changing group-by', () => {
  const updates = (): Update[] => [mongoUpdate('4.0.4'), exporter('0.11.0'), otherMongo('4.0.4')];

  it.each<
    [
      GroupBy,
      GroupBy,
      [string, number | undefined, string | undefined, number[] | undefined][],
      [number, string][],
    ]
  >([
    [
      'container',
      'release',
      [
        ['created', 4, 'supersedes #1, #2', [1, 2]],
        ['created', 5, 'supersedes #3', [3]],
      ],
      [
        [1, 'closed'],
        [2, 'closed'],
        [3, 'closed'],
        [4, 'open'],
        [5, 'open'],
      ],
    ],
    [
      'release',
      'container',
      [
        ['created', 3, 'supersedes #1', [1]],
        ['created', 4, undefined, undefined],
        ['created', 5, 'supersedes #2', [2]],
      ],
      [
        [1, 'closed'],
        [2, 'closed'],
        [3, 'open'],
        [4, 'open'],
        [5, 'open'],
      ],
    ],
    [
      // #1 moves mongodb in both releases: only the two release pull requests together carry it.
      'image',
      'release',
      [
        ['created', 3, 'supersedes #2, #1', [2, 1]],
        ['created', 4, undefined, undefined],
      ],
      [
        [1, 'closed'],
        [2, 'closed'],
        [3, 'open'],
        [4, 'open'],
      ],
    ],
  ])('from %s to %s supersedes the old pull requests', async (from, to, expected, states) => {
    await h.run(updates(), {}, from);
    const { results, problems } = await h.run(updates(), {}, to);
    expect(problems).toEqual([]);
    expect(results.map((r) => [r.action, r.number, r.reason, r.supersedes])).toEqual(expected);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state])).toEqual(states);
    // Every container is proposed by exactly one open pull request.
    const proposed = h.standIn
      .pulls(OWNER, h.repo)
      .filter((p) => p.state === 'open')
      .flatMap((p) => parseMarker(p.body)!.updates.map((u) => `${u.release} ${u.container}`))
      .sort();
    expect(proposed).toEqual(['data/mongodb chart-image', 'data/mongodb metrics', 'data/other chart-image']);
  });

  it('keeps a grouped pull request whose containers are not all proposed again (one held back)', async () => {
    await h.run([mongoUpdate('4.0.4'), exporter('0.11.0')], {}, 'release');
    const { results } = await h.run(
      [mongoUpdate('4.0.4'), exporter('0.11.0')],
      { maxPullRequests: 2 },
      'container',
    );
    expect(actions(results)).toEqual([
      ['created', 2],
      ['held-back', undefined],
      ['unchanged', 1],
    ]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state])).toEqual([
      [1, 'open'],
      [2, 'open'],
    ]);
  });
});

describe('automerge of a grouped pull request', () => {
  it.each<[string, UpdateType, UpdateType, AutomergeLevel, string | undefined]>([
    ['a major and a patch, automerge minor', 'patch', 'major', 'minor', undefined],
    ['a major and a patch, automerge patch', 'patch', 'major', 'patch', undefined],
    ['a minor and a patch, automerge minor', 'patch', 'minor', 'minor', 'SQUASH'],
    ['two patches, automerge patch', 'patch', 'patch', 'patch', 'SQUASH'],
  ])('%s', async (_name, mongoType, exporterType, level, expected) => {
    const repo = `${h.repo}-automerge`;
    await h.standIn.createRepository(
      OWNER,
      repo,
      { [MONGO]: release('mongodb', '4.0.3', '0.10.0') },
      { allowAutoMerge: true },
    );
    const updates = [{ ...mongoUpdate('4.0.4'), type: mongoType }, exporter('0.11.0', exporterType)];
    const { results } = await writePullRequests(
      groupUpdates(updates, 'release', PREFIX),
      h.options({ repo }),
    );
    expect(actions(results)).toEqual([['created', 1]]);
    const repository = { github: h.github, owner: OWNER, repo };
    expect(await enableAutoMerge(repository, results, level, 'squash', () => undefined)).toEqual([]);
    expect(h.standIn.pulls(OWNER, repo)[0].autoMerge?.mergeMethod).toBe(expected);
  });
});
