/**
 * Which files of our open pull requests the base left as their heads' parents held them
 * (`src/github/read-base-moves.ts`), against the stand-in's git: by one comparison per parent when
 * that saves requests, by GraphQL blob ids otherwise, and the same answer either way, also when a
 * comparison cannot tell for certain.
 */
import { describe, expect, it } from '@jest/globals';
import { comparedParents, readBaseMoves } from '../../src/github/read-base-moves.js';
import type { OpenPull } from '../../src/github/pull-request-facts.js';
import { COMMIT_TRAILER, type PullRequestMarker } from '../../src/plan/pull-request-text.js';
import type { PresentDecorations } from '../../src/github/missing-decorations.js';
import { OWNER, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();

describe('comparedParents', () => {
  // Sizes of the parent groups, largest first; one request a comparison, one a 100 left.
  it.each<[string, number[], number]>([
    ['ten pull requests on one parent: one GraphQL request as cheap', [10], 0],
    ['150 on one parent: one comparison instead of two requests', [150], 1],
    ['500 on one parent', [500], 1],
    ['two parents of 60: two requests either way', [60, 60], 0],
    ['250 on one parent and 50 on others', [250, 10, 10, 10, 10, 10], 1],
    ['300 on three parents', [100, 100, 100], 0],
    ['450 on three parents', [200, 200, 50], 2],
    ['none', [], 0],
  ])('%s', (_name, sizes, expected) => {
    const groups = sizes.map((n) => Array.from({ length: n }, () => 0));
    expect(
      comparedParents(
        groups,
        sizes.reduce((a, b) => a + b, 0),
      ),
    ).toBe(expected);
  });
});

describe('readBaseMoves', () => {
  const FILES = { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'c.yaml': 'c: 1\n' };
  /** A pull request of ours on `parent` editing `files`. */
  const pull = (i: number, parent: string, files: readonly string[]): OpenPull => ({
    number: i + 1,
    url: `https://github.com/${OWNER}/x/pull/${i + 1}`,
    title: `Update ${i}`,
    body: '',
    branch: `helmrelease-image-updater/branch-${i}`,
    marker: { updates: files.map((file) => ({ file })) } as unknown as PullRequestMarker,
    decorations: {} as PresentDecorations,
    head: {
      sha: 'f'.repeat(40),
      parents: [parent],
      message: `Update\n\n${COMMIT_TRAILER}`,
      authoredDate: '2026-12-01T00:00:00Z',
      committedDate: '2026-12-01T00:00:00Z',
      blobs: new Map(),
    },
  });
  /** `count` pull requests on `parent`, each editing one of the files in turn, or two of them. */
  const pulls = (count: number, parent: string): OpenPull[] =>
    Array.from({ length: count }, (_, i) =>
      pull(i, parent, [['a.yaml'], ['b.yaml'], ['a.yaml', 'b.yaml'], ['c.yaml']][i % 4]!),
    );
  const unchangedOf = (moves: Map<string, { unchanged: ReadonlySet<string> }>, count: number) =>
    Array.from({ length: count }, (_, i) => [
      ...moves.get(`helmrelease-image-updater/branch-${i}`)!.unchanged,
    ]);
  const operations = () => h.standIn.requests.map((r) => r.operationId);
  const COMPARE = 'repos/compare-commits-with-basehead';

  interface Case {
    name: string;
    /** Moves the base on from the pull requests' parent; resolves to the new base. */
    move(parent: string): Promise<string>;
    /** What the base left unchanged for the four kinds of pull request (a, b, a+b, c). */
    unchanged: string[][];
    /** Whether the comparison answers (or leaves the pull requests to GraphQL). */
    compared: boolean;
    fault?: true;
  }
  const commit = (files: Record<string, string | null>) =>
    h.standIn.commitFiles(OWNER, h.repo, 'main', files);
  const CASES: Case[] = [
    {
      name: 'a file the base changed',
      move: () => commit({ 'a.yaml': 'a: 2\n' }),
      unchanged: [[], ['b.yaml'], ['b.yaml'], ['c.yaml']],
      compared: true,
    },
    {
      name: 'a file the base deleted',
      move: () => commit({ 'b.yaml': null }),
      unchanged: [['a.yaml'], [], ['a.yaml'], ['c.yaml']],
      compared: true,
    },
    {
      name: 'a file the base renamed',
      move: () => commit({ 'c.yaml': null, 'moved/c.yaml': 'c: 1\n' }),
      unchanged: [['a.yaml'], ['b.yaml'], ['a.yaml', 'b.yaml'], []],
      compared: true,
    },
    {
      name: 'only other files changed',
      move: () => commit({ 'README.md': 'more\n' }),
      unchanged: [['a.yaml'], ['b.yaml'], ['a.yaml', 'b.yaml'], ['c.yaml']],
      compared: true,
    },
    {
      // The base force-pushed onto a history without the parent: the comparison's files are the
      // merge base's, not the parent's.
      name: 'a base that no longer holds the parent',
      async move(parent) {
        const before = (await h.standIn.readCommit(OWNER, h.repo, parent)).parents[0]!;
        await h.standIn.setBranch(OWNER, h.repo, 'side', before);
        const other = await h.standIn.commitFiles(OWNER, h.repo, 'side', { ...FILES, 'a.yaml': 'a: 3\n' });
        await h.standIn.setBranch(OWNER, h.repo, 'main', other);
        return other;
      },
      unchanged: [[], ['b.yaml'], ['b.yaml'], ['c.yaml']],
      compared: false,
    },
    {
      // GitHub lists at most 300 files of a comparison, in path order: c.yaml, the 301st, is not
      // among them, yet it changed.
      name: '301 files changed at the base',
      move: () =>
        commit({
          ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`b-many/${i}.yaml`, `n: ${i}\n`])),
          'c.yaml': 'c: 2\n',
        }),
      unchanged: [['a.yaml'], ['b.yaml'], ['a.yaml', 'b.yaml'], []],
      compared: false,
    },
    {
      name: 'a comparison GitHub fails',
      move: () => commit({ 'a.yaml': 'a: 2\n' }),
      unchanged: [[], ['b.yaml'], ['b.yaml'], ['c.yaml']],
      compared: false,
      fault: true,
    },
  ];

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const parent = await commit(FILES);
    const base = await c.move(parent);
    if (c.fault)
      h.standIn.injectFault({ operationId: COMPARE, kind: { status: 500, message: 'Server Error' } });
    h.standIn.clearLog();
    // 150 pull requests on one parent: one comparison saves a GraphQL request.
    const moves = await readBaseMoves(
      { github: h.github, owner: OWNER, repo: h.repo },
      base,
      pulls(150, parent),
    );
    expect(unchangedOf(moves, 4).map((files) => files.sort())).toEqual(c.unchanged);
    expect(unchangedOf(moves, 150).slice(4)).toEqual(unchangedOf(moves, 146));
    expect(operations()).toEqual(c.compared ? [COMPARE] : [COMPARE, 'graphql', 'graphql']);
    expect(h.standIn.violations).toEqual([]);
  });

  it('asks GraphQL alone when a comparison would save no request, with the same answer', async () => {
    const parent = await commit(FILES);
    const base = await commit({ 'a.yaml': 'a: 2\n', 'b.yaml': null });
    h.standIn.clearLog();
    const moves = await readBaseMoves(
      { github: h.github, owner: OWNER, repo: h.repo },
      base,
      pulls(8, parent),
    );
    expect(unchangedOf(moves, 4)).toEqual([[], [], [], ['c.yaml']]);
    expect(operations()).toEqual(['graphql']);
  });

  it('reads nothing for pull requests on the base, or not ours', async () => {
    const base = await commit(FILES);
    const foreign = { ...pull(1, 'e'.repeat(40), ['a.yaml']) };
    foreign.head = { ...foreign.head!, message: 'a person’s commit' };
    h.standIn.clearLog();
    const moves = await readBaseMoves({ github: h.github, owner: OWNER, repo: h.repo }, base, [
      pull(0, base, ['a.yaml']),
      foreign,
    ]);
    expect(moves.size).toBe(0);
    expect(operations()).toEqual([]);
  });
});
