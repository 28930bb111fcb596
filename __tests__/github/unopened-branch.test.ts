/**
 * A pull request that cannot be opened after its branch was created: the branch this run created
 * is deleted when it holds only our commit, kept when someone pushed to it or the pull request was
 * opened after all (its answer lost, or GitHub says one exists that its lists do not show yet), and
 * a deletion that fails too is warned of by name.
 */
import type { Fault } from '../../test-support/github/stand-in-state.js';
import { OWNER, branchOf, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const update = mongoUpdate('4.0.4');
const branch = branchOf(update);
const refused: Fault = {
  operationId: 'pulls/create',
  kind: { status: 422, message: 'Validation Failed' },
};

interface Case {
  name: string;
  faults: Fault[];
  /** Runs just before the failing `pulls/create`. */
  before?: () => Promise<void>;
  branchLeft: boolean;
  openPulls: number;
  reason: RegExp;
  warning?: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a refused pull request: its new branch is deleted',
    faults: [refused],
    branchLeft: false,
    openPulls: 0,
    reason: new RegExp(`Validation Failed; the branch ${branch} created for it was deleted$`),
  },
  {
    name: 'a server error after the retries: its new branch is deleted',
    faults: [{ operationId: 'pulls/create', kind: { status: 500, message: 'Server Error' } }],
    branchLeft: false,
    openPulls: 0,
    reason: /Server Error; the branch .* was deleted$/,
  },
  {
    name: 'an answer lost after the pull request was opened: the branch stays, or the pull request would close',
    faults: [{ operationId: 'pulls/create', kind: 'lost-response' }],
    branchLeft: true,
    openPulls: 1,
    reason: /was kept: pull request #1 was opened from it after all$/,
  },
  {
    // GitHub's lists lag its writes by a moment: the pull request GitHub just named is not listed
    // yet, but deleting the branch would close it.
    name: 'GitHub says a pull request already exists from it, not yet listed: the branch stays',
    faults: [{ operationId: 'pulls/list', kind: 'stale-list', times: 2 }],
    before: async () => {
      await h.standIn.openPullRequest(OWNER, h.repo, { head: branch, base: 'main', title: 'by hand' });
    },
    branchLeft: true,
    openPulls: 1,
    reason:
      /A pull request already exists for .*\. The branch .* was kept: GitHub answered that a pull request is open from it\.$/,
  },
  {
    name: 'someone pushed to the new branch meanwhile: it stays',
    faults: [refused],
    before: async () => {
      await h.standIn.commitFiles(OWNER, h.repo, branch, { 'NOTES.md': 'mine\n' });
    },
    branchLeft: true,
    openPulls: 0,
    reason: /was kept: it holds commits not made by this Action$/,
  },
  {
    name: 'the deletion fails too: a warning names the branch',
    faults: [refused, { operationId: 'git/delete-ref', kind: { status: 500, message: 'Server Error' } }],
    branchLeft: true,
    openPulls: 0,
    reason: /could not be deleted .*Server Error.*; the next run opens its pull request/,
    warning: new RegExp(`^Left behind: the branch ${branch} created for it could not be deleted`),
  },
];

describe('a pull request that cannot be opened after its branch was created', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await h.standIn.branches(OWNER, h.repo);
    if (c.before) h.standIn.beforeNext('pulls/create', c.before);
    for (const fault of c.faults) h.standIn.injectFault(fault);
    const { results, problems } = await h.run([update]);
    h.standIn.clearFaults();

    expect(results.map((r) => [r.action, r.branch])).toEqual([['failed', branch]]);
    expect(results[0]!.reason).toMatch(c.reason);
    expect(problems.map((p) => p.severity)).toEqual(c.warning ? ['warning', 'error'] : ['error']);
    expect(problems.find((p) => p.severity === 'error')!.message).toMatch(c.reason);
    if (c.warning) expect(problems[0]!.message).toMatch(c.warning);
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual(
      c.branchLeft ? [...before, branch].sort() : before,
    );
    expect(h.standIn.pulls(OWNER, h.repo).filter((p) => p.state === 'open')).toHaveLength(c.openPulls);
  });
});
