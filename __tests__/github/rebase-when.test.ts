/**
 * `rebase-when`: a pull request branch is rebuilt on a base that moved on only when it must change
 * (default `conflicted`: the base's copy of its file changed), always with `behind-base`, and never
 * for a base move with `never`; a newer tag always rebuilds it, and a foreign commit always blocks.
 */
import { describe, expect, it } from '@jest/globals';
import type { RebaseWhen } from '../../src/github/branch-status.js';
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
const REBUILD = ['git/create-tree', 'git/create-commit', 'git/update-ref'];

/** The parent of a branch's head commit. */
async function parentOf(branch: string): Promise<string[]> {
  return (await h.standIn.readCommit(OWNER, h.repo, (await h.standIn.branchSha(OWNER, h.repo, branch))!))
    .parents;
}

describe.each<[RebaseWhen | undefined, { unrelated: boolean; ownFile: boolean }]>([
  [undefined, { unrelated: false, ownFile: true }],
  ['conflicted', { unrelated: false, ownFile: true }],
  ['behind-base', { unrelated: true, ownFile: true }],
  ['never', { unrelated: false, ownFile: false }],
])('rebase-when %s', (rebaseWhen, rebuilds) => {
  const options = rebaseWhen ? { rebaseWhen } : {};
  const branch = branchOf(mongoUpdate('4.0.4'));

  it(`${rebuilds.unrelated ? 'rebuilds' : 'leaves'} the branch when an unrelated base file changed`, async () => {
    await h.run([mongoUpdate('4.0.4')], options);
    const moved = await h.standIn.commitFiles(OWNER, h.repo, 'main', {
      'README.md': '# fleet\n\nNew text.\n',
      [OTHER]: release('other', '4.0.3', '0.12.0'),
    });
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.4')], options);
    if (rebuilds.unrelated) {
      expect(actions(results)).toEqual([['updated', 1]]);
      expect(h.standIn.writeRequests().map((r) => r.operationId)).toEqual(REBUILD);
      expect(await parentOf(branch)).toEqual([moved]);
    } else {
      expect(actions(results)).toEqual([['unchanged', 1]]);
      expect(h.standIn.writeRequests()).toEqual([]);
      expect(await parentOf(branch)).toEqual([h.seedSha]);
    }
  });

  it(`${rebuilds.ownFile ? 'rebuilds' : 'leaves'} the branch when its own file changed on the base`, async () => {
    await h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], options);
    // The exporter's pull request is merged: the mongodb branch's file changed on the base.
    const merged = await h.standIn.mergePullRequest(OWNER, h.repo, 2);
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.4')], options);
    if (rebuilds.ownFile) {
      expect(actions(results)).toEqual([['updated', 1]]);
      expect(h.standIn.writeRequests().map((r) => r.operationId)).toEqual(REBUILD);
      expect(await parentOf(branch)).toEqual([merged]);
      expect(await h.standIn.diff(OWNER, h.repo, 'main', branch)).toEqual({
        [MONGO]: {
          before: release('mongodb', '4.0.3', '0.11.0'),
          after: release('mongodb', '4.0.4', '0.11.0'),
        },
      });
    } else {
      expect(actions(results)).toEqual([['unchanged', 1]]);
      expect(h.standIn.writeRequests()).toEqual([]);
    }
  });

  it('rebuilds the branch on the current base for a newer tag', async () => {
    await h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], options);
    const merged = await h.standIn.mergePullRequest(OWNER, h.repo, 2);
    const { results } = await h.run([mongoUpdate('4.0.5')], options);
    expect(actions(results)).toEqual([['updated', 1]]);
    expect(await parentOf(branch)).toEqual([merged]);
    expect(await h.standIn.diff(OWNER, h.repo, 'main', branch)).toEqual({
      [MONGO]: {
        before: release('mongodb', '4.0.3', '0.11.0'),
        after: release('mongodb', '4.0.5', '0.11.0'),
      },
    });
  });

  it('never rebuilds over a foreign commit', async () => {
    await h.run([mongoUpdate('4.0.4')], options);
    const foreign = await h.standIn.commitFiles(OWNER, h.repo, branch, { 'NOTES.md': 'mine\n' });
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: release('mongodb', '4.0.3', '0.12.0') });
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.5')], options);
    expect(results.map((r) => [r.action, r.reason])).toEqual([
      ['skipped', expect.stringContaining('has commits not made by this Action')],
      ['unchanged', undefined],
    ]);
    expect(h.standIn.writeRequests()).toEqual([]);
    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(foreign);
  });
});
