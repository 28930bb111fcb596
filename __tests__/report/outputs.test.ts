/**
 * The `pull-requests` output: the pull requests a run left open, and those it closed as obsolete
 * (so a workflow learns of them); nothing for held-back or dry-run entries.
 */
import { describe, expect, it } from '@jest/globals';
import type { PullRequestOutcome } from '../../src/ports.js';
import { pullRequestsOutput } from '../../src/report/outputs.js';

const outcome = (action: string, number?: number): PullRequestOutcome => ({
  action,
  branch: `b-${action}`,
  ...(number === undefined ? {} : { number, url: `https://github.com/acme/gitops/pull/${number}` }),
  updates: [],
});

describe('the pull-requests output', () => {
  it('lists the open ones and those closed as obsolete, not held-back, skipped or dry-run ones', () => {
    const pullRequests = [
      outcome('created', 2),
      outcome('unchanged', 3),
      outcome('held-back'),
      outcome('skipped'),
      outcome('would-close', 4),
      outcome('closed', 1),
    ];
    expect(pullRequestsOutput({ pullRequests }).map((pr) => [pr.action, pr.number])).toEqual([
      ['created', 2],
      ['unchanged', 3],
      ['closed', 1],
    ]);
  });
});
