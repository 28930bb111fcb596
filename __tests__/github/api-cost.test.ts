/**
 * GitHub API cost: an unchanged re-run reads the state of every open pull request of ours in one
 * GraphQL request per 100, so it costs at most 3 + N/100 requests for N open pull requests.
 */
import { describe, expect, it } from '@jest/globals';
import type { Update } from '../../src/plan/types.js';
import {
  MONGO,
  OTHER,
  OWNER,
  actions,
  branchOf,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

/** N updates of different containers in one file. */
function many(count: number): Update[] {
  return Array.from({ length: count }, (_, i) => mongoUpdate('4.0.4', { container: `c${i}`, line: 100 + i }));
}

/** A simple edit for fixtures without a matching container: appends a comment per update. */
function spliceAll(
  _file: string,
  text: string,
  updates: readonly Pick<Update, 'container' | 'to'>[],
): { ok: true; text: string } {
  return { ok: true, text: `${text}${updates.map((u) => `# ${u.container}: ${u.to}\n`).join('')}` };
}

describe('an unchanged re-run', () => {
  const options = { applyUpdates: spliceAll, maxPullRequests: 200 };

  it('with 7 open pull requests costs 3 requests, none a write', async () => {
    await h.run(many(7), options);
    h.standIn.clearLog();
    const again = await h.run(many(7), options);
    expect(new Set(actions(again.results).map(([action]) => action))).toEqual(new Set(['unchanged']));
    expect(h.standIn.requests.map((r) => r.operationId)).toEqual(['repos/get', 'git/get-ref', 'graphql']);
  });

  it('reads one GraphQL page per 100 open pull requests (pages of 5 here)', async () => {
    await h.run(many(12), options);
    h.standIn.graphqlPageSize = 5;
    try {
      h.standIn.clearLog();
      const again = await h.run(many(12), options);
      expect(new Set(actions(again.results).map(([action]) => action))).toEqual(new Set(['unchanged']));
      expect(h.standIn.requests.map((r) => r.operationId)).toEqual([
        'repos/get',
        'git/get-ref',
        'graphql',
        'graphql',
        'graphql',
      ]);
    } finally {
      h.standIn.graphqlPageSize = 100;
    }
  });
});

describe('a run whose plan names none of the open pull requests', () => {
  it('reads the base’s text of their files once each to tell whether any is obsolete, and writes nothing', async () => {
    const options = { applyUpdates: spliceAll, maxPullRequests: 200 };
    await h.run(many(7), options);
    h.standIn.clearLog();
    const again = await h.run([], options);
    // Each still open, so listed as unchanged: no call beyond the reads.
    expect(again.results.map((r) => [r.action, r.number])).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => ['unchanged', n]),
    );
    expect(h.standIn.requests.map((r) => r.operationId)).toEqual([
      'repos/get',
      'git/get-ref',
      'graphql',
      'repos/get-content',
    ]);
  });
});

describe('a re-run after the base moved on', () => {
  const options = { applyUpdates: spliceAll, maxPullRequests: 200 };
  /** Six pull requests in one file and one in another. */
  const seven = (): Update[] => [
    ...many(6),
    mongoUpdate('4.0.4', { file: OTHER, name: 'other', release: 'data/other', container: 'x' }),
  ];

  it('reads its files’ blob ids in one more request and writes nothing when no pull request’s file changed', async () => {
    await h.run(seven(), options);
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { 'README.md': '# fleet\n\nMoved on.\n' });
    h.standIn.clearLog();
    const again = await h.run(seven(), options);
    expect(new Set(actions(again.results).map(([action]) => action))).toEqual(new Set(['unchanged']));
    expect(h.standIn.requests.map((r) => r.operationId)).toEqual([
      'repos/get',
      'git/get-ref',
      'graphql',
      'graphql',
    ]);
  });

  it('costs the writes of the one pull request whose file changed, and a few reads for it', async () => {
    await h.run(seven(), options);
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [OTHER]: release('other', '4.0.3', '0.12.0') });
    h.standIn.clearLog();
    const again = await h.run(seven(), options);
    expect(actions(again.results).map(([action]) => action)).toEqual([
      ...Array(6).fill('unchanged'),
      'updated',
    ]);
    expect(h.standIn.writeRequests().map((r) => r.operationId)).toEqual([
      'git/create-tree',
      'git/create-commit',
      'git/update-ref',
    ]);
    const reads = h.standIn.requests.length - h.standIn.writeRequests().length;
    // 4 for the run, then the rebuilt one's: its base text, its files at the head and parent, the
    // base commit and the trees down to its file (for the file mode), and its ref again right
    // before it is moved.
    expect(reads).toBeLessThanOrEqual(4 + 7);
  });
});

/** How many requests of each operation the stand-in logged. */
function countsByOperation(requests: readonly { operationId?: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.operationId ?? '?'] = (counts[r.operationId ?? '?'] ?? 0) + 1;
  return counts;
}

describe('a first run', () => {
  const options = { applyUpdates: spliceAll, maxPullRequests: 200 };

  it.each([
    [1, 1],
    [30, 2],
  ])(
    'opening %i pull requests in one file reads the base tree and the file once, their branches in %i GraphQL requests, and costs their 4 writes each',
    async (count, branchQueries) => {
      const { results } = await h.run(many(count), options);
      expect(actions(results).map(([action]) => action)).toEqual(Array(count).fill('created'));
      expect(countsByOperation(h.standIn.requests)).toEqual({
        // The run's: default branch, base ref, open pull requests, the requested branches (head
        // and closed pull requests, 25 a request); the base commit and the trees down to
        // releases/mongodb.yaml (for its mode), once for all pull requests.
        'repos/get': 1,
        'git/get-ref': 1,
        graphql: 1 + branchQueries,
        'git/get-commit': 1,
        'git/get-tree': 2,
        // The base's text of the file they all edit, read once.
        'repos/get-content': 1,
        // Each pull request's writes: the tree with the file's text inline (no blob), the commit,
        // the branch and the pull request.
        'git/create-tree': count,
        'git/create-commit': count,
        'git/create-ref': count,
        'pulls/create': count,
      });
      expect(h.standIn.requests).toHaveLength(7 + branchQueries + 4 * count);
    },
  );

  it('reads each file the pull requests edit once from the base', async () => {
    const updates = [
      ...many(2),
      mongoUpdate('4.0.4', { file: OTHER, name: 'other', release: 'data/other', container: 'x' }),
    ];
    const { results } = await h.run(updates, options);
    expect(actions(results).map(([action]) => action)).toEqual(['created', 'created', 'created']);
    const counts = countsByOperation(h.standIn.requests);
    expect([counts['repos/get-content'], counts['git/get-tree']]).toEqual([2, 2]);
  });

  it('adds only the configured decorations: the label checked once, then one request per pull request', async () => {
    await h.run(many(3), { ...options, labels: ['dependencies'] });
    const counts = countsByOperation(h.standIn.requests);
    expect([counts['issues/get-label'], counts['issues/create-label'], counts['issues/add-labels']]).toEqual([
      1, 1, 3,
    ]);
    expect(h.standIn.requests).toHaveLength(8 + 4 * 3 + 5);
  });

  it('reads the base tree again for the next pull request when its read failed', async () => {
    h.standIn.injectFault({ operationId: 'git/get-tree', kind: 'bad-gateway' });
    const { results } = await h.run(many(2), options);
    expect(actions(results).map(([action]) => action)).toEqual(['failed', 'created']);
    expect(countsByOperation(h.standIn.requests)['git/get-tree']).toBe(3);
  });

  it('commits every pull request on the base it started from when the base moves on during the run', async () => {
    const moved: string[] = [];
    // As the first pull request's branch is created, someone pushes to the base, changing the file.
    h.standIn.beforeNext('git/create-ref', async () => {
      moved.push(
        await h.standIn.commitFiles(OWNER, h.repo, 'main', {
          [MONGO]: release('mongodb', '4.0.3', '0.12.0'),
        }),
      );
    });
    const { results } = await h.run(many(2), options);
    expect(actions(results).map(([action]) => action)).toEqual(['created', 'created']);
    expect(moved).toHaveLength(1);
    for (const update of many(2)) {
      const head = (await h.standIn.branchSha(OWNER, h.repo, branchOf(update)))!;
      expect((await h.standIn.readCommit(OWNER, h.repo, head)).parents).toEqual([h.seedSha]);
      // The branch holds the base's text as the run read it, with only its own edit.
      expect((await h.standIn.readFiles(OWNER, h.repo, head))[MONGO]).toBe(
        `${release('mongodb', '4.0.3', '0.10.0')}# ${update.container}: 4.0.4\n`,
      );
    }
  });
});
