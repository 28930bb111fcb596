/**
 * The `pull-requests` output: the pull requests a run left open, and those it closed as obsolete
 * (so a workflow learns of them); nothing for held-back or dry-run entries. The filter the
 * `containers` (CLI `--json`) and `updates` outputs report, and that a missing annotation is said so.
 * Each output's bound, which keeps a job's outputs under GitHub's 1 MB.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { planUpdates } from '../../src/plan/plan-updates.js';
import type { PullRequestOutcome } from '../../src/ports.js';
import {
  boundedJsonArray,
  containersOutput,
  OUTPUT_MAX_CHARS,
  outputCutText,
  pullRequestsOutput,
  updatesOutput,
} from '../../src/report/outputs.js';
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

describe('an output within its bound', () => {
  const entry = (i: number) => ({ file: `clusters/app-${i}.yaml`, line: i, message: 'é'.repeat(i % 7) });
  it.each<[string, number, number]>([
    ['nothing', 0, 100],
    ['every entry, when they fit', 5, 10_000],
    ['the first entries that fit, when they do not', 1_000, 2_000],
    ['no entry, when not even one fits', 3, 10],
  ])('%s', (_name, count, maxChars) => {
    const entries = Array.from({ length: count }, (_, i) => entry(i));
    const { json, listed, total } = boundedJsonArray(entries, maxChars);
    expect(json.length).toBeLessThanOrEqual(maxChars);
    expect(total).toBe(count);
    // Still a JSON array, of the first entries in order, and as many as fit.
    expect(JSON.parse(json)).toEqual(entries.slice(0, listed));
    if (listed < count) expect(JSON.stringify(entries.slice(0, listed + 1)).length).toBeGreaterThan(maxChars);
    else expect(JSON.stringify(entries)).toBe(json);
  });

  it('keeps the three outputs together under 1 MB, sized as UTF-16', () => {
    const chars = Object.values(OUTPUT_MAX_CHARS).reduce((a, b) => a + b, 0);
    expect(chars * 2).toBeLessThan(1_000_000);
  });

  it('says how many of how many an output cut short lists, and where every one is', () => {
    expect(outputCutText('updates', { listed: 612, total: 2_000 }, 'updates')).toBe(
      'The `updates` output lists the first 612 of 2000 updates: GitHub fails a job whose outputs pass 1 MB, ' +
        'so each is kept under 240,000 characters. The CLI (`--json`) on the same checkout lists every one.',
    );
  });
});
