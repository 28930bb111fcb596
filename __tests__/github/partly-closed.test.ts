/**
 * A closed pull request of ours that proposed some of a request's updates, against the GitHub
 * stand-in: with `group-by: image` a release that uses the image since, with `group-by: release`
 * another container's newer tag. The tags a person refused stay refused for the containers they
 * were refused for (their own skipped result names the closed pull request); the others get their
 * pull request, which the next run recognises and leaves alone.
 */
import { describe, expect, it } from '@jest/globals';
import type { PullRequestResult } from '../../src/github/pull-request-writer.js';
import type { GroupBy } from '../../src/plan/branch-name.js';
import { parseMarker } from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/plan/types.js';
import { OTHER, OWNER, exporterUpdate, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();

/** data/mongodb's chart image. */
const mongo = (to: string): Update => mongoUpdate(to);
/** data/mongodb's metrics image. */
const exporter = (to: string): Update => exporterUpdate(to);
/** data/other's chart image. */
const other = (to: string): Update => mongoUpdate(to, { file: OTHER, name: 'other', release: 'data/other' });

/** `release container tag` of each update. */
function targets(updates: readonly { release: string; container: string; to: string }[]): string[] {
  return updates.map((u) => `${u.release} ${u.container} ${u.to}`);
}

/** `[action, number, targets]` of each result. */
function said(results: readonly PullRequestResult[]): [string, number | undefined, string[]][] {
  return results.map((r) => [r.action, r.number, targets(r.updates)]);
}

/** The open pull requests: number and the targets their markers record. */
function openPulls(): [number, string[]][] {
  return h.standIn
    .pulls(OWNER, h.repo)
    .filter((p) => p.state === 'open')
    .map((p) => [p.number, targets(parseMarker(p.body)?.updates ?? [])]);
}

const REFUSED = /^#(\d+) proposed this and was closed without merging, so it is not proposed again/;

describe('a closed pull request that proposed some of a request’s updates', () => {
  it.each<{
    name: string;
    groupBy: GroupBy;
    /** Runs before, each pull request it opens closed without merging right after. */
    refused: (() => Update[])[];
    updates: () => Update[];
    results: [string, number | undefined, string[]][];
    open: [number, string[]][];
  }>([
    {
      name: 'group-by image: a release that uses the image since gets the tag, the refused one not',
      groupBy: 'image',
      refused: [() => [mongo('4.0.4')]],
      updates: () => [mongo('4.0.4'), other('4.0.4')],
      results: [
        ['created', 2, ['data/other chart-image 4.0.4']],
        ['skipped', 1, ['data/mongodb chart-image 4.0.4']],
      ],
      open: [[2, ['data/other chart-image 4.0.4']]],
    },
    {
      name: 'group-by release: another container’s newer tag comes without the refused tag',
      groupBy: 'release',
      refused: [() => [mongo('4.0.4'), exporter('0.11.0')]],
      updates: () => [mongo('4.0.5'), exporter('0.11.0')],
      results: [
        ['created', 2, ['data/mongodb chart-image 4.0.5']],
        ['skipped', 1, ['data/mongodb metrics 0.11.0']],
      ],
      open: [[2, ['data/mongodb chart-image 4.0.5']]],
    },
    {
      name: 'group-by release: two closed pull requests keep back one tag each',
      groupBy: 'release',
      refused: [() => [mongo('4.0.4')], () => [mongo('4.0.4'), exporter('0.11.0')]],
      updates: () => [mongo('4.0.4'), exporter('0.11.0')],
      // The newest closed one first, as GitHub lists them.
      results: [
        ['skipped', 2, ['data/mongodb metrics 0.11.0']],
        ['skipped', 1, ['data/mongodb chart-image 4.0.4']],
      ],
      open: [],
    },
  ])('$name, and keeps it so on the next run', async ({ groupBy, refused, updates, results, open }) => {
    for (const before of refused) {
      const written = await h.run(before(), {}, groupBy);
      const created = written.results.find((r) => r.action === 'created');
      await h.standIn.closePullRequest(OWNER, h.repo, created!.number!);
    }
    const first = await h.run(updates(), {}, groupBy);
    expect(said(first.results)).toEqual(results);
    expect(first.problems).toEqual([]);
    // Each refused one says which closed pull request keeps it back, in the existing words.
    for (const r of first.results.filter((x) => x.action === 'skipped')) {
      expect(r).toMatchObject({ skipped: 'closed', reason: expect.stringMatching(REFUSED) });
      expect(REFUSED.exec(r.reason!)![1]).toBe(String(r.number));
    }
    expect(openPulls()).toEqual(open);

    // Next run: the open pull request is what is proposed, neither rewritten nor superseded.
    h.standIn.clearLog();
    const again = await h.run(updates(), {}, groupBy);
    expect(said(again.results)).toEqual(
      results.map(([action, number, what]) => [action === 'created' ? 'unchanged' : action, number, what]),
    );
    expect(h.standIn.writeRequests()).toEqual([]);
    // The base, the open pull requests, and the branch with its closed pull requests, in bulk.
    expect(h.standIn.requests.map((r) => r.operationId)).toEqual([
      'repos/get',
      'git/get-ref',
      'graphql',
      'graphql',
    ]);
    expect(openPulls()).toEqual(open);
  });
});

describe('a tag refused before group-by changed', () => {
  it.each<{
    name: string;
    /** The grouping the refused pull request was opened with, and its updates. */
    before: GroupBy;
    refused: () => Update[];
    /** Whether its branch was deleted with it (GitHub's button beside "closed"). */
    deleteBranch?: boolean;
    /** Whether the bulk read of the branches fails (they are read through REST). */
    bulkFails?: boolean;
    groupBy: GroupBy;
    updates: () => Update[];
    results: [string, number | undefined, string[]][];
  }>([
    {
      name: 'container, then release: the release’s pull request leaves the refused tag out',
      before: 'container',
      refused: () => [mongo('4.0.4')],
      groupBy: 'release',
      updates: () => [mongo('4.0.4'), exporter('0.11.0')],
      results: [
        ['created', 2, ['data/mongodb metrics 0.11.0']],
        ['skipped', 1, ['data/mongodb chart-image 4.0.4']],
      ],
    },
    {
      name: 'container, then image, its branch deleted: the image’s pull request leaves that release out',
      before: 'container',
      refused: () => [mongo('4.0.4')],
      deleteBranch: true,
      groupBy: 'image',
      updates: () => [mongo('4.0.4'), other('4.0.4')],
      results: [
        ['created', 2, ['data/other chart-image 4.0.4']],
        ['skipped', 1, ['data/mongodb chart-image 4.0.4']],
      ],
    },
    {
      name: 'release, then container: neither container’s refused tag comes back',
      before: 'release',
      refused: () => [mongo('4.0.4'), exporter('0.11.0')],
      groupBy: 'container',
      updates: () => [mongo('4.0.4'), exporter('0.11.0')],
      results: [
        ['skipped', 1, ['data/mongodb chart-image 4.0.4']],
        ['skipped', 1, ['data/mongodb metrics 0.11.0']],
      ],
    },
    {
      name: 'image, then container, read through REST: the refused tag does not come back',
      before: 'image',
      refused: () => [mongo('4.0.4')],
      bulkFails: true,
      groupBy: 'container',
      updates: () => [mongo('4.0.4'), other('4.0.4')],
      results: [
        ['skipped', 1, ['data/mongodb chart-image 4.0.4']],
        ['created', 2, ['data/other chart-image 4.0.4']],
      ],
    },
  ])('$name', async ({ before, refused, deleteBranch, bulkFails, groupBy, updates, results }) => {
    const written = await h.run(refused(), {}, before);
    const created = written.results.find((r) => r.action === 'created')!;
    await h.standIn.closePullRequest(OWNER, h.repo, created.number!);
    if (deleteBranch) await h.standIn.deleteBranch(OWNER, h.repo, created.branch);
    if (bulkFails) {
      // The open pull requests' read goes through; the bulk read of the branches after it fails.
      h.standIn.beforeNext('graphql', async () => {
        h.standIn.injectFault({
          operationId: 'graphql',
          kind: { status: 500, message: 'Something went wrong' },
        });
      });
    }
    const first = await h.run(updates(), {}, groupBy);
    expect(said(first.results)).toEqual(results);
    for (const r of first.results.filter((x) => x.action === 'skipped')) {
      expect(r).toMatchObject({ skipped: 'closed', reason: expect.stringMatching(REFUSED) });
    }
  });
});
