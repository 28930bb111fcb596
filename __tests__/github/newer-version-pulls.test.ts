/**
 * A pull request written by a newer version of this Action (its marker has a higher `version`, or
 * fields this version does not know) after a rollback or beside a pinned older workflow: this
 * version neither rewrites, moves, labels nor closes it, and opens no second pull request for a
 * container it proposes, and says so. Against the GitHub stand-in.
 */
import { describe, expect, it } from '@jest/globals';
import { MARKER_PREFIX } from '../../src/plan/pull-request-marker.js';
import type { GroupBy } from '../../src/plan/branch-name.js';
import {
  OWNER,
  branchOf,
  exporterUpdate,
  imageBranch,
  mongoUpdate,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

/** The marker JSON of a pull request body. */
function markerJson(body: string): Record<string, unknown> {
  const start = body.indexOf(MARKER_PREFIX) + MARKER_PREFIX.length;
  return JSON.parse(body.slice(start, body.indexOf('-->', start))) as Record<string, unknown>;
}

/** The body with its marker replaced by `marker` (as a newer version would write it). */
function withMarker(body: string, marker: unknown): string {
  const start = body.indexOf(MARKER_PREFIX);
  const end = body.indexOf('-->', start) + 3;
  return `${body.slice(0, start)}${MARKER_PREFIX} ${JSON.stringify(marker)} -->${body.slice(end)}`;
}

interface Case {
  name: string;
  /** How the newer version's marker differs from the one this version wrote. */
  newer: (marker: Record<string, unknown>) => unknown;
  /** What the warning says of the marker. */
  says: string;
}

const CASES: Case[] = [
  {
    name: 'a higher version',
    newer: (m) => ({ ...m, version: 2 }),
    says: 'its marker is version 2',
  },
  {
    name: 'a field this version does not know',
    newer: (m) => ({ ...m, pinDigest: 'sha256:0000' }),
    says: 'its marker has fields this version does not know: pinDigest',
  },
  {
    name: 'a field this version does not know in an update',
    newer: (m) => ({
      ...m,
      updates: (m.updates as object[]).map((u) => ({ ...u, digest: 'sha256:0000' })),
    }),
    says: 'its marker has fields this version does not know: updates[].digest',
  },
  {
    name: 'a higher version whose updates this version cannot read',
    newer: (m) => ({ version: 3, branch: m.branch, changes: m.updates }),
    says: 'its marker is version 3',
  },
];

const GROUPINGS: { groupBy: GroupBy; branch: (tag: string) => string }[] = [
  { groupBy: 'container', branch: (tag) => branchOf(mongoUpdate(tag)) },
  { groupBy: 'image', branch: imageBranch },
];

describe("a newer version's pull request is left as it is, and none is opened beside it", () => {
  const rows = CASES.flatMap((c) =>
    GROUPINGS.map((g) => [`${c.name}, group-by ${g.groupBy}`, c, g] as const),
  );
  it.each(rows)('%s', async (_name, c, g) => {
    await h.run([mongoUpdate('4.0.4')], {}, g.groupBy);
    const [ours] = h.standIn.pulls(OWNER, h.repo);
    const body = withMarker(ours!.body ?? '', c.newer(markerJson(ours!.body ?? '')));
    await h.github.rest.pulls.update({ owner: OWNER, repo: h.repo, pull_number: 1, body });
    const head = await h.standIn.branchSha(OWNER, h.repo, g.branch('4.0.4'));
    h.standIn.clearLog();

    const { results, problems } = await h.run(
      [mongoUpdate('4.0.5')],
      { labels: ['dependencies'] },
      g.groupBy,
    );

    expect(results.map((r) => [r.action, r.number, r.skipped])).toEqual([['skipped', 1, 'foreign']]);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        `Pull request #1 from ${g.branch('4.0.4')} was written by a newer version of this Action (${c.says}), so ` +
          'this version leaves it as it is and opens no pull request for data/mongodb (chart-image) beside it: ' +
          'run the newer version, or close #1 to have this version propose the update',
      ],
    ]);
    const pulls = h.standIn.pulls(OWNER, h.repo);
    expect(pulls.map((p) => [p.number, p.state, p.body, p.labels])).toEqual([[1, 'open', body, []]]);
    expect(await h.standIn.branchSha(OWNER, h.repo, g.branch('4.0.4'))).toBe(head);
    expect(h.standIn.writeRequests()).toEqual([]);
  });
});

describe("a newer version's pull request keeps back only the containers it proposes", () => {
  it('another container of the release is proposed as ever', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const [ours] = h.standIn.pulls(OWNER, h.repo);
    const body = withMarker(ours!.body ?? '', { ...markerJson(ours!.body ?? ''), version: 2 });
    await h.github.rest.pulls.update({ owner: OWNER, repo: h.repo, pull_number: 1, body });

    const { results, problems } = await h.run([exporterUpdate('0.11.0')]);

    expect(results.map((r) => [r.action, r.number])).toEqual([['created', 2]]);
    expect(problems).toEqual([]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state, p.body])).toEqual([
      [1, 'open', body],
      [2, 'open', expect.any(String)],
    ]);
  });

  it('counts toward max-pull-requests, as it is open from a branch of ours', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const [ours] = h.standIn.pulls(OWNER, h.repo);
    const body = withMarker(ours!.body ?? '', { ...markerJson(ours!.body ?? ''), version: 2 });
    await h.github.rest.pulls.update({ owner: OWNER, repo: h.repo, pull_number: 1, body });

    const { results } = await h.run([exporterUpdate('0.11.0')], { maxPullRequests: 1 });

    expect(results.map((r) => [r.action, r.number])).toEqual([['held-back', undefined]]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => p.number)).toEqual([1]);
  });
});

describe("a newer version's pull request closed without merging keeps its tag back, as this version's does", () => {
  it.each([
    ['a higher version', (m: Record<string, unknown>) => ({ ...m, version: 2 })],
    // What a newer version records when it closes one is unknown here: its tag stays refused.
    [
      'a higher version it closed itself',
      (m: Record<string, unknown>) => ({ ...m, version: 2, supersededBy: 9 }),
    ],
    ['a field this version does not know', (m: Record<string, unknown>) => ({ ...m, pin: 'x' })],
  ])('%s', async (_name, newer) => {
    await h.run([mongoUpdate('4.0.4')]);
    const [ours] = h.standIn.pulls(OWNER, h.repo);
    const body = withMarker(ours!.body ?? '', newer(markerJson(ours!.body ?? '')));
    await h.github.rest.pulls.update({ owner: OWNER, repo: h.repo, pull_number: 1, body });
    await h.standIn.closePullRequest(OWNER, h.repo, 1);
    h.standIn.clearLog();

    const { results } = await h.run([mongoUpdate('4.0.4')]);

    expect(results.map((r) => [r.action, r.number, r.skipped])).toEqual([['skipped', 1, 'closed']]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state])).toEqual([[1, 'closed']]);
    expect(h.standIn.writeRequests()).toEqual([]);
  });
});
