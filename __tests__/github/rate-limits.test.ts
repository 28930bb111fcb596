/**
 * GitHub's rate limits as GitHub answers them: the primary limit used up (403, `x-ratelimit-remaining:
 * 0`, a reset an hour away), and a secondary limit that says to wait most of an hour or outlasts the
 * retries. The run stops writing at the first refusal and says when the next run can write, instead
 * of trying each remaining pull request (every call refused, and more calls while limited can get
 * the token blocked for longer) or sitting out an hour.
 */
import { describe, expect, it } from '@jest/globals';
import { enableAutoMerge } from '../../src/github/auto-merge.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { notDoneAfterRateLimit, rateLimitStop } from '../../src/github/rate-limit-stop.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import type { Fault } from '../../test-support/github/stand-in-state.js';
import {
  MONGO,
  OTHER,
  OWNER,
  branchOf,
  exporterUpdate,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

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
  /** The branch created before the limit, kept for the next run (no call is made to delete it). */
  keptBranch?: boolean;
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
    keptBranch: true,
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
    // No call after the refusal: the last call GitHub saw is the refused one.
    expect(h.standIn.requests.at(-1)?.status).toBe(403);
    // Nothing half done: no pull request, and no branch but the one kept for the next run.
    const kept = c.keptBranch ? [branchOf(first)] : [];
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual([...kept, 'main']);
    expect(h.standIn.pulls(OWNER, h.repo)).toEqual([]);
    if (!c.keptBranch) return;
    expect(errors[0]).toContain(
      `the branch ${branchOf(first)} created for it was kept: GitHub's rate limit takes no more calls in this run; the next run opens its pull request from it`,
    );
    // The next run opens it from the kept branch, without a new commit.
    h.standIn.clearLog();
    const next = await h.run([first]);
    expect(next.results.map((r) => r.action)).toEqual(['created']);
    expect(h.standIn.writeRequests().map((r) => r.operationId)).not.toContain('git/create-commit');
  });
});

describe('once the limit refused a call, the run makes no other GitHub call', () => {
  /** A person bumps mongodb to 4.0.4 by hand on main: the open pull request for it is obsolete. */
  async function obsoletePull(): Promise<void> {
    await h.run([first]);
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: release('mongodb', '4.0.4', '0.10.0') });
    h.standIn.clearLog();
  }

  it('a limit met closing an obsolete pull request stops the writes before any request', async () => {
    await obsoletePull();
    h.standIn.beforeNext('pulls/update', async () => {
      h.standIn.injectFault({ kind: 'rate-limit-exhausted', times: 10_000 });
    });
    const { results, problems } = await h.run([second, third]);
    h.standIn.clearFaults();

    expect(results.map((r) => [r.action, r.branch])).toEqual([
      ['failed', branchOf(second)],
      ['failed', branchOf(third)],
      // Not closed: still open after the run.
      ['unchanged', branchOf(first)],
    ]);
    // One problem: what was not done, why, and when the next run can do it.
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'error',
        expect.stringMatching(
          new RegExp(
            `^Could not write the pull requests for ${branchOf(second)}, ${branchOf(third)}: PATCH /repos/acme/[\\w-]+/pulls/1 failed \\(403\\).*\\(GitHub's rate limit: calls are taken again at .* UTC\\); the next run writes them\\.$`,
          ),
        ),
      ],
    ]);
    // The refused close was the last call GitHub saw.
    expect(h.standIn.requests.at(-1)).toMatchObject({ operationId: 'pulls/update', status: 403 });
    expect(h.standIn.requests.filter((r) => r.status === 403)).toHaveLength(1);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state])).toEqual([[1, 'open']]);
  });

  it('auto-merge after the stop is refused by the client itself, not sent to GitHub', async () => {
    const github = h.client(WRITE_TOKEN);
    h.standIn.injectFault({ operationId: 'git/create-ref', kind: 'rate-limit-exhausted' });
    await h.run([first], { github });
    const seen = h.standIn.requests.length;

    expect(rateLimitStop(github)).toEqual({
      endpoint: expect.stringMatching(/^POST \/repos\/acme\/[\w-]+\/git\/refs$/),
      resetAt: expect.any(Date),
    });
    const problems = await enableAutoMerge(
      { github, owner: OWNER, repo: h.repo },
      [{ action: 'created', branch: branchOf(second), number: 1, updates: [second] }],
      'all',
      'squash',
      () => undefined,
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /not tried: GitHub's rate limit refused POST \/repos\/acme\/[\w-]+\/git\/refs earlier in this run; calls are taken again at/,
      ),
    ]);
    expect(h.standIn.requests).toHaveLength(seen);
    // Another client (another run) is not held by this one's stop.
    expect(rateLimitStop(h.client(WRITE_TOKEN))).toBeUndefined();
  });
});

describe('the steps a rate limit left undone are named once', () => {
  const stop = { endpoint: 'POST /repos/acme/fleet/pulls', resetAt: new Date('2026-12-03T18:34:10Z') };
  it.each<[string[], string | undefined]>([
    [[], undefined],
    [
      ['auto-merge'],
      "Not done after GitHub's rate limit refused POST /repos/acme/fleet/pulls: auto-merge; the next run, after 2026-12-03 18:34 UTC, does it.",
    ],
    [
      ['auto-merge', 'the dashboard issue'],
      "Not done after GitHub's rate limit refused POST /repos/acme/fleet/pulls: auto-merge and the dashboard issue; the next run, after 2026-12-03 18:34 UTC, does it.",
    ],
  ])('%j', (steps, message) => {
    expect(notDoneAfterRateLimit(steps, stop)).toBe(message);
  });
  it('without a reset time, says only the next run', () => {
    expect(notDoneAfterRateLimit(['auto-merge'], { ...stop, resetAt: undefined })).toBe(
      "Not done after GitHub's rate limit refused POST /repos/acme/fleet/pulls: auto-merge; the next run does it.",
    );
  });
});

describe("GraphQL's rate limit (HTTP 200, an error of type RATE_LIMITED) stops the run's calls too", () => {
  interface GraphqlCase {
    name: string;
    /** The answer's error type. */
    type: 'RATE_LIMITED' | 'RATE_LIMIT';
    /** The retry and throttling plugins on (the Action's client), which turn the answer into an error. */
    retrying: boolean;
    /** The GraphQL read the limit refuses: the open pull requests (first) or the branches (second). */
    refused: 'open pull requests' | 'branches';
  }
  const GRAPHQL_CASES: GraphqlCase[] = [
    {
      name: 'the open pull requests’ read',
      type: 'RATE_LIMITED',
      retrying: false,
      refused: 'open pull requests',
    },
    { name: 'the branches’ read', type: 'RATE_LIMITED', retrying: false, refused: 'branches' },
    {
      name: 'the branches’ read, with the throttling plugin',
      type: 'RATE_LIMITED',
      retrying: true,
      refused: 'branches',
    },
    {
      name: 'the open pull requests’ read, type RATE_LIMIT, with the throttling plugin',
      type: 'RATE_LIMIT',
      retrying: true,
      refused: 'open pull requests',
    },
    { name: 'the branches’ read, type RATE_LIMIT', type: 'RATE_LIMIT', retrying: false, refused: 'branches' },
  ];

  it.each(GRAPHQL_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const fault: Fault = {
      operationId: 'graphql',
      kind: 'rate-limit-exhausted',
      graphqlType: c.type,
      times: 10_000,
    };
    // Faults are matched before a GraphQL request's hook runs: staged on the first, it takes the second.
    if (c.refused === 'branches') h.standIn.beforeNext('graphql', async () => h.standIn.injectFault(fault));
    else h.standIn.injectFault(fault);
    const github = h.client(WRITE_TOKEN, c.retrying);
    const { results, problems } = await h.run([first, second], { github });
    h.standIn.clearFaults();

    const reads = c.refused === 'branches' ? ['graphql', 'graphql'] : ['graphql'];
    // The refused read is the last call GitHub saw: no read one by one, no write.
    expect(h.standIn.requests.map((r) => [r.operationId, r.status])).toEqual([
      ['repos/get', 200],
      ['git/get-ref', 200],
      ...reads.map((op) => [op, 200]),
    ]);
    expect(rateLimitStop(github)).toEqual({ endpoint: 'POST /graphql', resetAt: expect.any(Date) });
    const { resetAt } = rateLimitStop(github)!;
    expect(Math.abs(resetAt!.getTime() - Date.now() - 3600_000)).toBeLessThan(60_000);
    expect(results.map((r) => [r.action, r.branch])).toEqual([
      ['failed', branchOf(first)],
      ['failed', branchOf(second)],
    ]);
    // One problem: what was not done, why, and when the next run can do it.
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'error',
        expect.stringMatching(
          new RegExp(
            `^Could not write the pull requests for ${branchOf(first)}, ${branchOf(second)}: ` +
              `POST /graphql \\(${c.refused} of acme/[\\w-]+\\) failed: .*API rate limit already exceeded.* ` +
              `\\(GitHub's rate limit: calls are taken again at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\); the next run writes them\\.$`,
          ),
        ),
      ],
    ]);
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual(['main']);
  });
});

describe('the log of a rate-limited request the retries do not outlast', () => {
  // The last line said "retry 4 in 1s", and no fourth retry was made.
  it.each<[string, Fault]>([
    [
      'a secondary limit',
      { operationId: 'repos/get', kind: 'secondary-rate-limit', retryAfter: 1, times: 10_000 },
    ],
  ])('%s: it says each retry made, then that none is left', async (_name, fault) => {
    const log: string[] = [];
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: h.standIn.url,
      retryAfterBaseValue: 0,
      spaceWrites: false,
      log: (message) => log.push(message),
    });
    h.standIn.injectFault(fault);
    await expect(github.rest.repos.get({ owner: OWNER, repo: h.repo })).rejects.toMatchObject({
      status: 403,
    });
    h.standIn.clearFaults();
    expect(h.standIn.requests.filter((r) => r.status === 403)).toHaveLength(4);
    expect(log).toEqual([
      'GitHub secondary rate limit hit for GET /repos/{owner}/{repo}; retry 1 in 1s',
      'GitHub secondary rate limit hit for GET /repos/{owner}/{repo}; retry 2 in 1s',
      'GitHub secondary rate limit hit for GET /repos/{owner}/{repo}; retry 3 in 1s',
      'GitHub secondary rate limit hit for GET /repos/{owner}/{repo}; not retried again after 3 retries',
    ]);
  });
});
