/**
 * GitHub down in the middle of a run: after three pull requests in a row fail with no answer or a
 * server error, the rest are not tried (each call with its retries would take minutes while GitHub
 * is down, and the job could be stopped before its summary); they are reported as waiting for the
 * next run, which writes them. A failure of another kind between them does not count. Against the
 * GitHub stand-in.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Update } from '../../src/plan/types.js';
import { makeUpdate } from '../../test-support/github/updates.js';
import {
  OTHER,
  OWNER,
  branchOf,
  exporterUpdate,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

// A fault left pending would fail the next test's first calls.
afterEach(() => {
  h.standIn.clearFaults();
});

/** Four pull requests: each container of the two releases. */
const updates: Update[] = [
  mongoUpdate('4.0.4'),
  exporterUpdate('0.11.0'),
  makeUpdate({ file: OTHER, line: 18, name: 'other', to: '4.0.4' }),
  { ...exporterUpdate('0.11.0'), file: OTHER, name: 'other', release: 'data/other' },
];
const branches = updates.map(branchOf);

describe('GitHub failing pull request after pull request', () => {
  it.each<[string, { status: number; message: string } | 'bad-gateway', string[]]>([
    ['502 on every call', 'bad-gateway', ['failed', 'failed', 'failed', 'failed']],
    [
      '503 on every call',
      { status: 503, message: 'Service Unavailable' },
      ['failed', 'failed', 'failed', 'failed'],
    ],
  ])('%s: three tried, the fourth waits for the next run', async (_name, kind, expected) => {
    await h.standIn.commitFiles(OWNER, h.repo, 'main', {});
    // Down from the first read of a pull request's file on: the run's state was read.
    h.standIn.beforeNext('repos/get-content', async () => {
      h.standIn.injectFault({ kind, times: 10_000 });
    });
    const { results, problems } = await h.run(updates);
    expect(results.map((r) => [r.branch, r.action])).toEqual(branches.map((b, i) => [b, expected[i]]));
    expect(results[3]!.reason).toBe(
      'not tried after GitHub failed the last 3 pull requests in a row, with no answer or a server error; the next run writes it',
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(new RegExp(`^Could not write the pull request for ${branches[0]}: `)),
      expect.stringMatching(new RegExp(`^Could not write the pull request for ${branches[1]}: `)),
      expect.stringMatching(new RegExp(`^Could not write the pull request for ${branches[2]}: `)),
      `Could not write the pull requests for ${branches[3]}: not tried after GitHub failed the last 3 pull requests in a row, with no answer or a server error; nothing needs to change, and the next run writes them.`,
    ]);
    expect(problems[3]).toMatchObject({ file: OTHER, severity: 'error' });
  });

  it('a failure of another kind breaks the run of outages: every pull request is tried', async () => {
    const third = 'releases/third.yaml';
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [third]: release('third', '4.0.3', '0.10.0') });
    const five = [...updates, makeUpdate({ file: third, line: 18, name: 'third', to: '4.0.4' })];
    // Two 502s, a refusal (422), a 502; the fifth is tried: three outages, but not in a row.
    h.standIn.beforeNext('repos/get-content', async () => {
      for (const kind of [
        'bad-gateway',
        'bad-gateway',
        { status: 422, message: 'GitRPC::BadObjectState' },
        'bad-gateway',
      ] as const) {
        h.standIn.injectFault({ operationId: 'repos/get-content', kind });
      }
    });
    const { results } = await h.run(five);
    expect(results.map((r) => r.action)).toEqual(['failed', 'failed', 'failed', 'failed', 'created']);
  });
});
