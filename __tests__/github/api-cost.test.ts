/**
 * GitHub API cost: an unchanged re-run reads the state of every open pull request of ours in one
 * GraphQL request per 100, so it costs at most 3 + N/100 requests for N open pull requests.
 */
import { describe, expect, it } from '@jest/globals';
import type { Update } from '../../src/plan/types.js';
import { actions, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

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
