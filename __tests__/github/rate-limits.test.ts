/**
 * GitHub's rate limits as GitHub answers them: the primary limit used up (403, `x-ratelimit-remaining:
 * 0`, a reset an hour away), and a secondary limit that says to wait most of an hour or outlasts the
 * retries. The run stops writing at the first refusal and says when the next run can write, instead
 * of trying each remaining pull request (every call refused, and more calls while limited can get
 * the token blocked for longer) or sitting out an hour.
 */
import { describe, expect, it } from '@jest/globals';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import type { Fault } from '../../test-support/github/stand-in-state.js';
import { OTHER, OWNER, branchOf, exporterUpdate, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const first = mongoUpdate('4.0.4');
const second = exporterUpdate('0.11.0');
const third = mongoUpdate('4.0.4', { file: OTHER, name: 'other', release: 'data/other' });
const WHEN = /calls are taken again at \d{4}-\d\d-\d\d \d\d:\d\d UTC/;

interface Case {
  name: string;
  /** Injected just before the first `git/create-ref`, so the first request's reads went through. */
  faults: Fault[];
  /** Most calls GitHub refused for the limit in the whole run. */
  refusedAtMost: number;
}

const CASES: Case[] = [
  {
    name: 'the primary limit used up (every call refused until it resets an hour later)',
    faults: [{ kind: 'rate-limit-exhausted', times: 10_000 }],
    // The ref creation, then the one read of the cleanup that finds the branch was never created.
    refusedAtMost: 2,
  },
  {
    name: 'a secondary limit saying to wait an hour (GitHub’s content-creation limit)',
    faults: [
      { operationId: 'git/create-ref', kind: 'secondary-rate-limit', retryAfter: 3600, times: 10_000 },
    ],
    refusedAtMost: 1,
  },
  {
    // After its branch was created: the branch is cleaned up, and the limit still stops the run.
    name: 'a secondary limit on opening the pull request',
    faults: [{ operationId: 'pulls/create', kind: 'secondary-rate-limit', retryAfter: 600, times: 10_000 }],
    refusedAtMost: 1,
  },
  {
    name: 'a secondary limit that outlasts the retries',
    faults: [{ operationId: 'git/create-ref', kind: 'secondary-rate-limit', times: 10_000 }],
    // The first try and its three retries.
    refusedAtMost: 4,
  },
];

describe('a rate limit mid-run', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: writing stops and says when', async (_name, c) => {
    h.standIn.beforeNext('git/create-ref', async () => {
      for (const fault of c.faults) h.standIn.injectFault(fault);
    });
    const { results, problems } = await h.run([first, second, third], {
      github: h.client(WRITE_TOKEN, true),
    });
    h.standIn.clearFaults();

    expect(results.map((r) => [r.action, r.branch])).toEqual([
      ['failed', branchOf(first)],
      ['failed', branchOf(second)],
      ['failed', branchOf(third)],
    ]);
    expect(results[0]!.reason).toMatch(WHEN);
    expect(results[1]!.reason).toMatch(
      /^not tried after GitHub's rate limit refused POST \/repos\/acme\/[\w-]+\/(git\/refs|pulls); the next run writes it$/,
    );
    const errors = problems.filter((p) => p.severity === 'error').map((p) => p.message);
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(`^Could not write the pull request for ${branchOf(first)}: .*rate limit`),
      ),
      expect.stringMatching(
        new RegExp(
          `^Could not write the pull requests for ${branchOf(second)}, ${branchOf(third)}: not tried after GitHub's rate limit refused .*; the next run, after \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, writes them\\.$`,
        ),
      ),
    ]);
    const refused = h.standIn.requests.filter((r) => r.status === 403);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(c.refusedAtMost);
    // Nothing half done: no branch, no pull request.
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual(['main']);
    expect(h.standIn.pulls(OWNER, h.repo)).toEqual([]);
  });
});
