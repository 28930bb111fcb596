/**
 * The `pull-requests` output: the pull requests a run left open, and those it closed as obsolete
 * (so a workflow learns of them); nothing for held-back or dry-run entries. The filter the
 * `containers` (CLI `--json`) and `updates` outputs report, and that a missing annotation is said so.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { planUpdates } from '../../src/plan/plan-updates.js';
import type { PullRequestOutcome } from '../../src/ports.js';
import { containersOutput, pullRequestsOutput, updatesOutput } from '../../src/report/outputs.js';
import { helmRelease } from '../reliability/support.js';

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

describe('the filter in the containers (--json) and updates outputs', () => {
  // The tags 1.0 (current, older build) and 1.1 (newer build): every filter below takes 1.1.
  const tags = {
    ok: true as const,
    tags: ['1.0', '1.1'],
    details: new Map([
      ['1.0', { digest: `sha256:${'1'.repeat(64)}`, created: new Date(Date.UTC(2026, 0, 1)) }],
      ['1.1', { digest: `sha256:${'2'.repeat(64)}`, created: new Date(Date.UTC(2026, 0, 5)) }],
    ]),
  };

  // Only the missing annotation is marked; a `glob:*` someone wrote is a filter like any other.
  it.each<[string, string[], { filter: string; noFilterAnnotation?: true }]>([
    // case, annotations, what both outputs say of the filter (as JSON parses it)
    ['no filter annotation', [], { filter: 'glob:*', noFilterAnnotation: true }],
    ['a glob:* annotation', ['filter.fluxcd.io/chart-image: glob:*'], { filter: 'glob:*' }],
    ['a semver annotation', ['filter.fluxcd.io/chart-image: semver:~1'], { filter: 'semver:~1' }],
  ])('%s', (_name, annotations, says) => {
    const text = helmRelease({ annotations, values: ['image: repo/app:1.0'] });
    const plan = planUpdates(
      [scanFile('hr.yaml', text)],
      new Map([['hr.yaml', text]]),
      new Map([['docker.io/repo/app', tags]]),
      { requireAutomated: true, now: new Date(Date.UTC(2026, 0, 31)) },
    );
    const json = JSON.parse(
      JSON.stringify({
        containers: containersOutput({ plan }),
        updates: updatesOutput({ plan, pullRequests: [] }),
      }),
    ) as { containers: Record<string, unknown>[]; updates: Record<string, unknown>[] };
    const filterOf = (entry: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(entry).filter(([key]) => key.toLowerCase().includes('filter')));
    expect(json.containers.map((c) => [c.decision, filterOf(c)])).toEqual([['update', says]]);
    expect(json.updates.map((u) => [u.to, filterOf(u)])).toEqual([['1.1', says]]);
  });
});
