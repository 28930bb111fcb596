/**
 * The writer in a cancelled run (the runner's SIGINT, `action-cancel.ts`): from the cancellation on,
 * the client sends no call (not a retry either), and a call in flight is abandoned unanswered a
 * moment later. The writer stops there; its results claim only what it finished, and the next run,
 * not cancelled, writes the rest from what the cancelled one left. (Kills at each write point, with
 * nothing run after them, are __tests__/github/overlapping-runs.test.ts.)
 */
import { describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../src/github/octokit.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
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

interface Case {
  name: string;
  /** The call during which the run is cancelled: the how-many-th of its operation. */
  during: { operationId: string; nth: number };
  /** Whether that call is held unanswered until it is abandoned (GitHub slow to answer). */
  held: boolean;
  /** Each request's action and the start of its reason. */
  results: [string, string | RegExp][];
  /** The branches and pull requests on GitHub after the cancelled run. */
  branches: string[];
  pulls: number;
}

const NOT_REACHED = 'not reached: the run was cancelled; the next run writes it';

const CASES: Case[] = [
  {
    // Opened: claimed as such (its missing label is a warning, and the next run adds it).
    name: 'while its label is created, after the first pull request opened',
    during: { operationId: 'issues/create-label', nth: 1 },
    held: false,
    results: [
      ['created', ''],
      [
        'failed',
        /^stopped part way: POST \/repos\/acme\/[\w-]+\/git\/trees was not sent: the run was cancelled; the next run finishes it$/,
      ],
      ['failed', NOT_REACHED],
    ],
    branches: [branchOf(first), 'main'],
    pulls: 1,
  },
  {
    name: 'while the first branch is created (answered)',
    during: { operationId: 'git/create-ref', nth: 1 },
    held: false,
    results: [
      [
        'failed',
        /^stopped part way: POST \/repos\/acme\/[\w-]+\/pulls was not sent: the run was cancelled; the branch .* was kept: the next run opens its pull request from it, or finds it opened$/,
      ],
      ['failed', NOT_REACHED],
      ['failed', NOT_REACHED],
    ],
    branches: [branchOf(first), 'main'],
    pulls: 0,
  },
  {
    name: 'while GitHub is slow to open the second pull request (abandoned)',
    during: { operationId: 'pulls/create', nth: 2 },
    held: true,
    results: [
      ['created', ''],
      [
        'failed',
        /^stopped part way: POST \/repos\/acme\/[\w-]+\/pulls was abandoned unanswered: the run was cancelled; the branch .* was kept/,
      ],
      ['failed', NOT_REACHED],
    ],
    // The abandoned call still opens the second pull request once GitHub gets to it.
    branches: [branchOf(first), branchOf(second), 'main'],
    pulls: 2,
  },
];

describe('a run cancelled while it writes', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: nothing sent after it, only what finished claimed, and the next run writes the rest',
    async (_name, c) => {
      const stop = new AbortController();
      const abandon = new AbortController();
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      let sentBefore = -1;
      const cancelDuring = (left: number): void => {
        h.standIn.beforeNext(c.during.operationId, async () => {
          if (left > 1) return cancelDuring(left - 1);
          stop.abort();
          sentBefore = h.standIn.requests.length;
          if (!c.held) return;
          abandon.abort();
          await released;
        });
      };
      cancelDuring(c.during.nth);
      // Retrying, as the Action's client does: an abandoned call is not sent again.
      const github = createGitHubClient({
        token: WRITE_TOKEN,
        baseUrl: h.standIn.url,
        retries: 3,
        retryAfterBaseValue: 0,
        spaceWrites: false,
        cancel: { stop: stop.signal, abandon: abandon.signal },
      });
      const { results, problems } = await h.run([first, second, third], { github, labels: ['dependencies'] });
      const sentAfter = h.standIn.requests.slice(sentBefore);
      release();
      // Let the held call finish on GitHub's side before looking.
      await new Promise((resolve) => setTimeout(resolve, 200));

      expect(results.map((r) => [r.action, r.branch])).toEqual(
        c.results.map(([action], i) => [action, branchOf([first, second, third][i]!)]),
      );
      c.results.forEach(([, reason], i) => {
        if (typeof reason === 'string') expect(results[i]!.reason ?? '').toBe(reason);
        else expect(results[i]!.reason).toMatch(reason);
      });
      expect(problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^The run was cancelled before it wrote every pull request \(stopped part way: .*; not reached: .*\); the next run writes them\.$/,
        ),
      ]);
      // The call in flight at the cancellation was the last GitHub saw.
      expect(sentAfter).toEqual([]);
      expect(await h.standIn.branches(OWNER, h.repo)).toEqual(c.branches);
      expect(h.standIn.pulls(OWNER, h.repo)).toHaveLength(c.pulls);

      // The next run finishes: every pull request open, the kept branches opened without a new commit.
      h.standIn.clearLog();
      const next = await h.run([first, second, third], { labels: ['dependencies'] });
      expect(next.results.filter((r) => ['created', 'updated', 'unchanged'].includes(r.action))).toHaveLength(
        3,
      );
      const open = h.standIn.pulls(OWNER, h.repo).filter((p) => p.state === 'open');
      expect(open.map((p) => p.labels)).toEqual([['dependencies'], ['dependencies'], ['dependencies']]);
      const commits = h.standIn.writeRequests().filter((r) => r.operationId === 'git/create-commit');
      expect(commits).toHaveLength(3 - c.branches.length + 1);
    },
  );
});

describe('a run cancelled while it closes obsolete pull requests', () => {
  it('lists the one it closed before the cancellation, and leaves the other open for the next run', async () => {
    // Two open pull requests; a person then makes both bumps by hand on main: both are obsolete.
    await h.run([first, third]);
    await h.standIn.commitFiles(OWNER, h.repo, 'main', {
      [MONGO]: release('mongodb', '4.0.4', '0.10.0'),
      [OTHER]: release('other', '4.0.4', '0.10.0'),
    });
    const stop = new AbortController();
    const abandon = new AbortController();
    // Cancelled while the first is closed: it closes, and nothing is sent after it.
    h.standIn.beforeNext('pulls/update', async () => stop.abort());
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: h.standIn.url,
      retries: 0,
      spaceWrites: false,
      cancel: { stop: stop.signal, abandon: abandon.signal },
    });
    const { results } = await h.run([second], { github });

    const closedOnGitHub = h.standIn.pulls(OWNER, h.repo).filter((p) => p.state === 'closed');
    expect(closedOnGitHub.map((p) => p.number)).toEqual([1]);
    expect(results.map((r) => [r.action, r.number ?? r.branch])).toEqual([
      ['failed', branchOf(second)],
      ['closed', 1],
      ['unchanged', 2],
    ]);
  });
});
