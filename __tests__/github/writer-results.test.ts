/**
 * The wording of what a pull request supersedes, in a real run and in a dry run (the job summary
 * shows a dry run's next to its 'would open' or 'would update').
 */
import { describe, expect, it } from '@jest/globals';
import type { PullRequestOutcome } from '../../src/ports.js';
import {
  addSuperseded,
  keptOpenWarning,
  withSuperseded,
  type Replacer,
} from '../../src/github/writer-results.js';

describe('withSuperseded', () => {
  // (A real run's plain cases are in the writer's tests: 'supersedes #1, #2'.)
  it.each<[string | undefined, boolean, string]>([
    ['added labels deps; supersedes #3', false, 'added labels deps; supersedes #3, #5'],
    [undefined, true, 'would supersede #5'],
    ['would supersede #3', true, 'would supersede #3, #5'],
    ['new commit on the current base', true, 'new commit on the current base; would supersede #5'],
    [
      'new commit on the current base; would supersede #3',
      true,
      'new commit on the current base; would supersede #3, #5',
    ],
  ])('%s (dry run: %s)', (reason, dryRun, expected) => {
    expect(withSuperseded(reason, 5, dryRun)).toBe(expected);
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
