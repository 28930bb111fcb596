/**
 * GitHub API cost: an unchanged re-run reads the state of every open pull request of ours in one
 * GraphQL request per 100, so it costs at most 3 + N/100 requests for N open pull requests.
 */
import { describe, expect, it } from '@jest/globals';
import type { Update } from '../../src/plan/types.js';
import { OTHER, OWNER, actions, mongoUpdate, release, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();

/** N updates of different containers in one file. */
function many(count: number): Update[] {
  return Array.from({ length: count }, (_, i) => mongoUpdate('4.0.4', { container: `c${i}`, line: 100 + i }));
}

/** A simple edit for fixtures without a matching container: appends a comment per update. */
function spliceAll(_file: string, text: string, updates: readonly Update[]): { ok: true; text: string } {
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
      'git/create-blob',
      'git/create-tree',
      'git/create-commit',
      'git/update-ref',
    ]);
    const reads = h.standIn.requests.length - h.standIn.writeRequests().length;
    // 4 for the run, then the rebuilt one's: its base text, its files at the head and parent, the
    // base commit and the trees down to its file (for the file mode).
    expect(reads).toBeLessThanOrEqual(4 + 7);
  });
});
