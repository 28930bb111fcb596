/**
 * The wording of what a pull request supersedes, in a real run and in a dry run (the job summary
 * shows a dry run's next to its 'would open' or 'would update').
 */
import { describe, expect, it } from '@jest/globals';
import type { PullRequestOutcome } from '../../src/ports.js';
import {
  addSuperseded,
  heldBackReason,
  keptOpenWarning,
  leftOpenResults,
  resultOf,
  skippedResult,
  type PullRequestAction,
  type PullRequestResult,
  type Replacer,
} from '../../src/github/writer-results.js';
import type { ClosedPull } from '../../src/github/pull-request-facts.js';
import { groupUpdates } from '../../src/plan/branch-name.js';
import { makeUpdate } from '../../test-support/github/updates.js';

describe('what a result supersedes, said after its own reason', () => {
  // (A real run's plain cases are in the writer's tests: 'supersedes #1, #2'.) The reason is
  // rendered from the result's own reason and its numbers, never read back out of its text.
  const request = groupUpdates([makeUpdate()], 'container', 'hiu/')[0]!;
  it.each<[string | undefined, number[], boolean, string | undefined, string]>([
    // its own reason, what it supersedes when made, dry run, its reason then, and once it also supersedes #5
    [
      'added labels deps',
      [3],
      false,
      'added labels deps; supersedes #3',
      'added labels deps; supersedes #3, #5',
    ],
    [undefined, [], true, undefined, 'would supersede #5'],
    [undefined, [3], true, 'would supersede #3', 'would supersede #3, #5'],
    [
      'new commit on the current base',
      [],
      true,
      'new commit on the current base',
      'new commit on the current base; would supersede #5',
    ],
    [
      'new commit on the current base',
      [3],
      true,
      'new commit on the current base; would supersede #3',
      'new commit on the current base; would supersede #3, #5',
    ],
    // A reason of its own that reads like one is still its own, said first (it was taken for the list).
    [
      'would supersede nothing',
      [],
      true,
      'would supersede nothing',
      'would supersede nothing; would supersede #5',
    ],
  ])('%s, superseding %j (dry run: %s)', (own, numbers, dryRun, made, added) => {
    const result = resultOf(
      request,
      'unchanged',
      { ...(own === undefined ? {} : { reason: own }), supersedes: numbers },
      dryRun,
    );
    expect([result.reason, result.supersedes]).toEqual([made, numbers.length ? numbers : undefined]);
    addSuperseded(result, 5, dryRun);
    expect([result.reason, result.supersedes]).toEqual([added, [...numbers, 5]]);
  });
});

describe('addSuperseded', () => {
  // The numbers go with the reason, so the summary need not read them out of its text.
  it.each<[Pick<PullRequestOutcome, 'reason' | 'supersedes'>, boolean, string, number[]]>([
    [{}, false, 'supersedes #5', [5]],
    [{ reason: 'added labels deps' }, false, 'added labels deps; supersedes #5', [5]],
    [{ reason: 'would supersede #3', supersedes: [3] }, true, 'would supersede #3, #5', [3, 5]],
  ])('%j (dry run: %s)', (before, dryRun, reason, supersedes) => {
    const result: PullRequestOutcome = { action: 'unchanged', branch: 'b', updates: [], ...before };
    addSuperseded(result, 5, dryRun);
    expect([result.reason, result.supersedes]).toEqual([reason, supersedes]);
  });
});

describe('keptOpenWarning', () => {
  it.each<[Replacer, boolean, boolean, string]>([
    [
      { number: 7 },
      true,
      false,
      '#2 has commits not made by this Action, so it was left open; #7 replaces it',
    ],
    [{ number: 7 }, false, false, '#2’s head commit could not be read, so it was left open; #7 replaces it'],
    [
      { number: 7 },
      true,
      true,
      '#2 has commits not made by this Action, so it would be left open; #7 would replace it',
    ],
    [
      { branch: 'hiu/data/mongodb' },
      true,
      true,
      '#2 has commits not made by this Action, so it would be left open; the pull request from hiu/data/mongodb would replace it',
    ],
  ])('%j, head read: %s, dry run: %s', (by, headRead, dryRun, expected) => {
    expect(keptOpenWarning(2, by, headRead, dryRun)).toBe(expected);
  });
});

// A held-back or skipped pull request's reason says what to do, in the summary and the dashboard.
describe('heldBackReason', () => {
  const LATER = 'a later run opens this one once one of them is merged or closed, or raise max-pull-requests';
  it.each<[number, number, boolean, string]>([
    // cap, open pull requests staying open, dashboard kept, the reason
    [10, 10, false, `10 pull requests of this Action are open (max-pull-requests: 10); ${LATER}`],
    [1, 1, false, `1 pull request of this Action is open (max-pull-requests: 1); ${LATER}`],
    // More open than the cap (it was lowered): the count is what is open.
    [2, 5, false, `5 pull requests of this Action are open (max-pull-requests: 2); ${LATER}`],
    [
      10,
      10,
      true,
      `10 pull requests of this Action are open (max-pull-requests: 10); ${LATER}, or tick Open now on the dashboard issue`,
    ],
    // No slot ever frees under 0: no waiting for a merge.
    [0, 3, false, 'max-pull-requests is 0, so no pull request is opened; raise max-pull-requests'],
    [
      0,
      0,
      true,
      'max-pull-requests is 0, so no pull request is opened; raise max-pull-requests, or tick Open now on the dashboard issue',
    ],
  ])('cap %d, %d open, dashboard %s', (cap, open, dashboard, reason) => {
    expect(heldBackReason({ kind: 'hold-back', cap, open }, dashboard)).toBe(reason);
  });

  // A dry run counts the pull requests it would open too: they would be open, not are.
  it.each<[number, number, string]>([
    [1, 1, `1 pull request of this Action would be open (max-pull-requests: 1); ${LATER}`],
    [10, 10, `10 pull requests of this Action would be open (max-pull-requests: 10); ${LATER}`],
    [0, 0, 'max-pull-requests is 0, so no pull request is opened; raise max-pull-requests'],
  ])('dry run: cap %d, %d open', (cap, open, reason) => {
    expect(heldBackReason({ kind: 'hold-back', cap, open }, false, true)).toBe(reason);
  });
});

describe('skippedResult: a pull request closed before', () => {
  const [request] = groupUpdates([makeUpdate()], 'container', 'hiu/');
  const pull = (merged: boolean): ClosedPull => ({
    number: 17,
    url: 'https://github.com/acme/fleet/pull/17',
    merged,
  });
  it.each<[string, boolean, boolean, string]>([
    // case, merged, dashboard kept, the reason
    [
      'closed without merging',
      false,
      false,
      '#17 proposed this and was closed without merging, so it is not proposed again: reopen it to have it proposed; a newer tag is proposed as usual',
    ],
    [
      'closed without merging, with a dashboard',
      false,
      true,
      '#17 proposed this and was closed without merging, so it is not proposed again: reopen it or tick Retry on the dashboard issue to have it proposed; a newer tag is proposed as usual',
    ],
    [
      'merged (and the base has gone back since)',
      true,
      true,
      '#17 merged this, and the base no longer has it (reverted since?), so it is not proposed again; a newer tag is proposed as usual',
    ],
  ])('%s', (_name, merged, dashboard, reason) => {
    const { result } = skippedResult(
      request!,
      { kind: 'skip', why: 'closed', pull: pull(merged) },
      'main',
      dashboard,
    );
    expect(result.reason).toBe(reason);
  });
});

describe('leftOpenResults: every pull request of ours open after the run is a result', () => {
  const pull = (number: number) => ({
    number,
    url: `https://github.test/pulls/${number}`,
    branch: `hiu/b${number}`,
  });
  const result = (action: PullRequestAction, number?: number, branch = `hiu/b${number ?? 0}`) =>
    ({ action, branch, updates: [], ...(number === undefined ? {} : { number }) }) as PullRequestResult;
  it.each<[string, PullRequestResult[], boolean, number[]]>([
    // what, the run's results, dry run, the numbers added as unchanged
    ['none of them has a result (the plan no longer names them)', [], false, [1, 2]],
    [
      'one created, updated or unchanged by a request',
      [result('updated', 1), result('unchanged', 2)],
      false,
      [],
    ],
    ['one whose request was skipped (someone else’s commits)', [result('skipped', 1)], false, [1, 2]],
    ['one whose write failed (part of it may be done)', [result('failed', undefined, 'hiu/b1')], false, [2]],
    ['a dry run’s would-update', [result('would-update', 1)], true, [2]],
    ['a real run’s would-update is no real result', [result('would-update', 1)], false, [1, 2]],
  ])('%s', (_what, results, dryRun, added) => {
    const left = leftOpenResults([pull(1), pull(2)], results, dryRun);
    expect(left.map((r) => [r.action, r.number, r.branch, r.url, r.updates])).toEqual(
      added.map((n) => ['unchanged', n, `hiu/b${n}`, `https://github.test/pulls/${n}`, []]),
    );
  });
});
