/**
 * The job summary's shape: what needs a person first, one line per row with its file link, the
 * rest collapsed, correct plurals, no phrase said twice. (Hostile text is in
 * reliability/security.test.ts; the real run's summary in e2e/action.test.ts; a screenshot at
 * 880 px comes from scripts/render-summary.ts.)
 */
import { describe, expect, it } from '@jest/globals';
import type { ContainerDecision, DecisionKind } from '../../src/plan/types.js';
import type { PullRequestOutcome } from '../../src/ports.js';
import type { Problem } from '../../src/problems.js';
import type { SummaryLinks } from '../../src/report/summary-markdown.js';
import { NOT_REACHED_CANCELLED } from '../../src/cancelled-text.js';
import { MAX_SUMMARY_BYTES, renderSummary } from '../../src/report/summary.js';
import type { RunReport } from '../../src/run-update.js';
import type { Update, UpdateType } from '../../src/update.js';

const LINKS = { serverUrl: 'https://github.com', owner: 'acme', repo: 'gitops', ref: 'abc123' };

function update(container: string, line: number): Update {
  return {
    file: 'apps/web.yaml',
    line,
    documentIndex: 0,
    release: 'apps/web',
    namespace: 'apps',
    name: 'web',
    container,
    repository: `docker.io/acme/${container}`,
    image: `acme/${container}:1.0.0`,
    newImage: `acme/${container}:1.1.0`,
    from: '1.0.0',
    to: '1.1.0',
    filter: 'semver:^1',
    downgrade: false,
    chosenBy: 'highest version matching ^1',
    type: 'minor',
    notTaken: [],
  };
}

function decision(container: string, kind: DecisionKind, reason: string, line = 9): ContainerDecision {
  return {
    file: 'apps/web.yaml',
    line,
    documentIndex: 0,
    release: 'apps/web',
    container,
    image: `acme/${container}:1.0.0`,
    repository: `docker.io/acme/${container}`,
    current: '1.0.0',
    filter: 'glob:*',
    decision: kind,
    reason,
  };
}

function report(parts: {
  containers?: ContainerDecision[];
  pullRequests?: PullRequestOutcome[];
  problems?: Problem[];
}): RunReport {
  const containers = parts.containers ?? [];
  return {
    plan: {
      containers,
      updates: containers.flatMap((c) => (c.update ? [c.update] : [])),
      edits: [],
      problems: [],
    },
    pullRequests: parts.pullRequests ?? [],
    problems: parts.problems ?? [],
    counts: { files: 1, scanned: 1, releases: 1, containers: containers.length, repositories: 1 },
    timings: { scan: 0, registry: 0, plan: 0, pullRequests: 0 },
  };
}

describe('renderSummary', () => {
  const opened = update('api', 12);
  const held = update('worker', 15);
  const full = report({
    containers: [
      { ...decision('api', 'update', 'highest version matching ^1', 12), update: opened },
      { ...decision('worker', 'update', 'highest version matching ^1', 15), update: held },
      decision('cache', 'locked', 'locked (fluxcd.io/locked: "true"): waiting for the 7.2 migration', 18),
      decision('db', 'up-to-date', 'up to date (highest version matching ^1)', 21),
      decision('queue', 'not-automated', 'not automated (no fluxcd.io/automated: "true")', 24),
    ],
    pullRequests: [
      {
        action: 'created',
        branch: 'b1',
        number: 7,
        url: 'https://github.com/acme/gitops/pull/7',
        updates: [opened],
      },
      {
        action: 'held-back',
        branch: 'b2',
        updates: [held],
        reason: 'max-pull-requests (1) open pull requests reached',
      },
    ],
    problems: [
      { file: 'apps/web.yaml', line: 3, message: 'a warning', severity: 'warning' },
      { file: 'apps/web.yaml', line: 5, message: 'an error', severity: 'error' },
    ],
  });
  const summary = renderSummary(full, false, LINKS);

  it('leads with problems, errors first, then pull requests, held back, the locked, and collapses the rest', () => {
    const order = [
      '### Problems',
      '**Error** [apps/web.yaml:5]',
      'Warning [apps/web.yaml:3]',
      '### Pull requests',
      '### Held back',
      '### Locked',
      '<summary><b>Not automated (no <code>fluxcd.io/automated: "true"</code>)</b> (1)</summary>',
      '<summary><b>Up to date</b> (1)</summary>',
    ].map((text) => summary.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('says the counts with correct plurals', () => {
    expect(summary).toContain(
      '**1 error** · 1 warning · 1 pull request opened or updated · 1 held back · 1 locked · 1 not automated · 1 up to date',
    );
    expect(summary).toContain('1 file scanned · 1 HelmRelease · 5 containers · 1 repository queried');
  });

  it('links every row to its file and line at the commit', () => {
    for (const line of [12, 15, 18]) {
      expect(summary).toContain(
        `[apps/web.yaml:${line}](https://github.com/acme/gitops/blob/abc123/apps/web.yaml#L${line})`,
      );
    }
    expect(summary).toContain('[#7](https://github.com/acme/gitops/pull/7) opened: ');
  });

  it('shows the locked message once, without repeating the decision', () => {
    expect(summary).toContain('<br>locked (fluxcd.io/locked: "true"): waiting for the 7.2 migration');
    expect(summary).not.toMatch(/locked: locked/);
  });

  it('says why a bump is held back', () => {
    expect(summary).toMatch(
      /acme\/worker<\/code> 1\.0\.0 → \*\*1\.1\.0\*\* \(minor\) .*<br>max-pull-requests \(1\) open pull requests reached/,
    );
  });

  it('an empty run is short and says nothing was checked', () => {
    expect(renderSummary(report({}), true)).toBe(
      '## HelmRelease image updates (dry run)\n\nNo container was checked.\n\n<sub>1 file scanned · 1 HelmRelease · 0 containers · 1 repository queried</sub>\n',
    );
  });
});

describe('the pull requests not opened: failed, held back or skipped, each under its own name', () => {
  /** The summary's `### ` sections, each with the containers of its rows. */
  function sections(summary: string): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    let heading = '';
    for (const line of summary.split('\n')) {
      if (line.startsWith('### ')) result[(heading = line.slice(4))] = [];
      const container = /^- .* · apps\/web \(([a-z0-9-]+)\)/.exec(line)?.[1];
      if (container && heading) result[heading]!.push(container);
    }
    return result;
  }
  const outcome = (action: string, container: string, reason: string): PullRequestOutcome => ({
    action,
    branch: `b-${container}`,
    updates: [update(container, 10)],
    reason,
  });
  const failed = outcome('failed', 'api', 'POST /repos/acme/gitops/pulls failed (422): Validation Failed');
  const skipped = outcome('skipped', 'web', 'someone else pushed to the branch');
  const held = outcome('held-back', 'worker', 'max-pull-requests (1) open pull requests reached');

  it.each<[string, PullRequestOutcome[], string, Record<string, string[]>]>([
    [
      'a pull request that could not be written is failed, not skipped',
      [failed],
      '1 failed',
      { 'Failed to write': ['api'] },
    ],
    [
      'one of each: failed before held back before skipped',
      [skipped, held, failed],
      '1 failed · 1 held back · 1 skipped',
      { 'Failed to write': ['api'], 'Held back': ['worker'], Skipped: ['web'] },
    ],
    ['a skipped one alone', [skipped], '1 skipped', { Skipped: ['web'] }],
    [
      'a skipped one kept open is said once, not again as still open (another open one still is)',
      [
        { ...skipped, number: 5 },
        { action: 'unchanged', branch: 'b-web', number: 5, updates: [] },
        { action: 'unchanged', branch: 'b-other', number: 6, updates: [] },
      ],
      '1 still open · 1 skipped',
      { Skipped: ['web'] },
    ],
  ])('%s', (_name, pullRequests, headline, expected) => {
    const summary = renderSummary(report({ pullRequests }), false);
    expect(summary.split('\n')[2]).toBe(headline);
    expect(Object.entries(sections(summary))).toEqual(Object.entries(expected));
  });

  it('says why the write failed under the row', () => {
    expect(renderSummary(report({ pullRequests: [failed] }), false)).toMatch(
      /acme\/api<\/code> 1\.0\.0 → \*\*1\.1\.0\*\* \(minor\) .*<br>POST \/repos\/acme\/gitops\/pulls failed \(422\): Validation Failed/,
    );
  });
});

describe('pull requests closed as obsolete (the base already had their tags)', () => {
  const closed = (action: string): PullRequestOutcome => ({
    action,
    branch: 'helmrelease-image-updater/apps/web-web',
    number: 7,
    url: 'https://github.com/acme/gitops/pull/7',
    updates: [],
    reason: 'main already has docker.io/acme/web:1.1.0',
  });

  it.each([
    [false, 'closed', '1 closed as obsolete', '### Closed as obsolete'],
    [true, 'would-close', '1 to close as obsolete', '### Would close as obsolete'],
  ])('dry run %s: %s is counted and listed with its number and why', (dryRun, action, headline, heading) => {
    const summary = renderSummary(report({ pullRequests: [closed(action)] }), dryRun);
    expect(summary.split('\n')[2]).toBe(headline);
    const lines = summary.split('\n');
    expect(lines[lines.indexOf(heading) + 2]).toBe(
      '- [#7](https://github.com/acme/gitops/pull/7) <code>helmrelease-image-updater/apps/web-web</code>: main already has docker.io/acme/web:1.1.0',
    );
  });
});

describe('pull requests closed as superseded (a newer one replaced them), counted in the headline', () => {
  const outcome = (
    action: string,
    number: number | undefined,
    supersedes?: number[],
  ): PullRequestOutcome => ({
    action,
    branch: `b${number ?? 'new'}`,
    number,
    updates: [update(`c${number ?? 'new'}`, 10)],
    ...(supersedes ? { supersedes } : {}),
  });
  const obsolete: PullRequestOutcome = { action: 'closed', branch: 'b32', number: 32, updates: [] };

  it.each<[string, PullRequestOutcome[], boolean, string]>([
    [
      'one',
      [outcome('created', 7, [31])],
      false,
      '1 pull request opened or updated · 1 closed as superseded',
    ],
    [
      'several, by several pull requests, one of them left unchanged',
      [outcome('created', 7, [31, 32]), outcome('unchanged', 8, [33])],
      false,
      '1 pull request opened or updated · 1 still open · 3 closed as superseded',
    ],
    [
      'a dry run: those a real run would close',
      [outcome('would-create', undefined, [31, 32]), outcome('would-update', 8, [33])],
      true,
      '2 pull requests to open or update · 3 to close as superseded',
    ],
    [
      'none: no part',
      [outcome('created', 7), outcome('unchanged', 8)],
      false,
      '1 pull request opened or updated · 1 still open',
    ],
    [
      'each once: named twice, or counted under an outcome of its own',
      [outcome('created', 7, [31, 32]), outcome('updated', 8, [31]), obsolete],
      false,
      '2 pull requests opened or updated · 1 closed as superseded · 1 closed as obsolete',
    ],
  ])('%s', (_name, pullRequests, dryRun, headline) => {
    expect(renderSummary(report({ pullRequests }), dryRun).split('\n')[2]).toBe(headline);
  });
});

describe('the pull requests grouped by update type', () => {
  /** An update of a type, in container `name`. */
  const typed = (name: string, type: UpdateType): Update => ({ ...update(name, 10), type });
  const opened = (number: number, ...updates: Update[]): PullRequestOutcome => ({
    action: 'created',
    branch: `b${number}`,
    number,
    updates,
  });
  /**
   * The summary's "Pull requests" section: its group headings in order and, under each, the
   * containers (entries, so that `toEqual` compares the order of the groups too).
   */
  function groups(summary: string): [string, string[]][] {
    const section = summary.slice(summary.indexOf('### Pull requests'));
    const result: [string, string[]][] = [];
    for (const line of section.split('\n').slice(1)) {
      if (line.startsWith('### ')) break;
      if (line.startsWith('#### ')) result.push([line.slice(5), []]);
      const container = /^\s*- .* · apps\/web \(([a-z0-9-]+)\)/.exec(line)?.[1];
      if (container && result.length) result[result.length - 1]![1].push(container);
    }
    return result;
  }

  it.each<[string, PullRequestOutcome[], Record<string, string[]>]>([
    [
      'riskiest first: downgrade, major, pre-release, minor, patch, build',
      [
        opened(1, typed('p1', 'patch')),
        opened(2, typed('d1', 'downgrade')),
        opened(3, typed('b1', 'build')),
        opened(4, typed('m1', 'major')),
        opened(5, typed('n1', 'minor')),
        opened(6, typed('r1', 'pre-release')),
        opened(7, typed('p2', 'patch')),
      ],
      {
        'Downgrade (1)': ['d1'],
        'Major (1)': ['m1'],
        'Pre-release (1)': ['r1'],
        'Minor (1)': ['n1'],
        'Patch (2)': ['p1', 'p2'],
        'Newer build (1)': ['b1'],
      },
    ],
    [
      'a pull request of several updates goes with its most significant type (as its {type} label)',
      [opened(1, typed('p1', 'patch')), opened(2, typed('p2', 'patch'), typed('m1', 'major'))],
      { 'Major (1)': ['p2', 'm1'], 'Patch (1)': ['p1'] },
    ],
    ['one type: still under its heading', [opened(1, typed('p1', 'patch'))], { 'Patch (1)': ['p1'] }],
  ])('%s', (_name, pullRequests, expected) => {
    expect(groups(renderSummary(report({ pullRequests }), false))).toEqual(Object.entries(expected));
  });

  it.each<[string, Partial<PullRequestOutcome>, string, SummaryLinks | undefined]>([
    [
      'an opened one says which it replaced, linked',
      { action: 'created', reason: 'supersedes #31, #32', supersedes: [31, 32] },
      '#7 opened (supersedes [#31](https://github.com/acme/gitops/pull/31), [#32](https://github.com/acme/gitops/pull/32))',
      LINKS,
    ],
    [
      'an updated one too',
      { action: 'updated', reason: 'supersedes #31', supersedes: [31] },
      '#7 updated (supersedes [#31](https://github.com/acme/gitops/pull/31))',
      LINKS,
    ],
    [
      'a dry run says what it would replace',
      { action: 'would-create', number: undefined, reason: 'would supersede #31', supersedes: [31] },
      '- would open (would supersede [#31](https://github.com/acme/gitops/pull/31))',
      LINKS,
    ],
    [
      'a server URL ending in / (GHES) links as the files do, without //',
      { action: 'created', reason: 'supersedes #31', supersedes: [31] },
      '#7 opened (supersedes [#31](https://ghes.example/acme/gitops/pull/31))',
      { ...LINKS, serverUrl: 'https://ghes.example/' },
    ],
    [
      'without links, the numbers as they are',
      {
        action: 'would-update',
        reason: 'new commit on the current base; would supersede #31',
        supersedes: [31],
      },
      '#7 would update (new commit on the current base; would supersede #31)',
      undefined,
    ],
  ])('%s', (_name, outcome, expected, links) => {
    const pullRequests = [{ ...opened(7, typed('p1', 'patch')), ...outcome }];
    expect(renderSummary(report({ pullRequests }), false, links)).toContain(expected);
  });

  it('an unchanged one’s reason (its decorations brought up to date) is not shown', () => {
    const pullRequests = [
      { ...opened(7, typed('p1', 'patch')), action: 'unchanged', reason: 'labels added' },
    ];
    expect(renderSummary(report({ pullRequests }), false, LINKS)).not.toContain('labels added');
  });

  // An unchanged one carries an old one when the old one's other containers got pull requests of their own.
  it.each<[string, number[], boolean, string]>([
    [
      'supersedes #31',
      [31],
      false,
      '#7 open, nothing new (supersedes [#31](https://github.com/acme/gitops/pull/31))',
    ],
    [
      'labels added; supersedes #31, #32',
      [31, 32],
      false,
      '#7 open, nothing new (supersedes [#31](https://github.com/acme/gitops/pull/31), [#32](https://github.com/acme/gitops/pull/32))',
    ],
    [
      'would supersede #31',
      [31],
      true,
      '#7 open, nothing new (would supersede [#31](https://github.com/acme/gitops/pull/31))',
    ],
  ])('an unchanged one’s reason %j shows what it replaced', (reason, supersedes, dryRun, expected) => {
    const pullRequests = [{ ...opened(7, typed('p1', 'patch')), action: 'unchanged', reason, supersedes }];
    const summary = renderSummary(report({ pullRequests }), dryRun, LINKS);
    expect(summary).toContain(expected);
    expect(summary).not.toContain('labels added');
  });

  it('one left open that the plan no longer names (no updates) is named by its branch', () => {
    const pullRequests = [{ ...opened(7), action: 'unchanged', branch: 'hiu/data/mongodb/chart-image-1a2b' }];
    const summary = renderSummary(report({ pullRequests }), false, LINKS);
    expect(summary).toContain('1 still open');
    expect(summary).toContain('- #7 open, nothing new: <code>hiu/data/mongodb/chart-image-1a2b</code>');
  });

  it('groups the plan’s updates when there is no pull request writer (the CLI), and counts them riskiest first', () => {
    const containers = (['patch', 'major', 'downgrade'] as const).map((type, i) => ({
      ...decision(`c${i}`, 'update', 'chosen'),
      update: typed(`c${i}`, type),
    }));
    const summary = renderSummary(report({ containers }), true);
    expect(groups(summary)).toEqual([
      ['Downgrade (1)', ['c2']],
      ['Major (1)', ['c1']],
      ['Patch (1)', ['c0']],
    ]);
    expect(summary).toContain('3 updates: 1 downgrade, 1 major, 1 patch');
  });

  it.each([
    ['a run that wrote its pull requests', false, true, 'Pull requests'],
    ['a dry run', true, true, 'Pull requests (dry run: none written)'],
    // GitHub unreachable, the token refused: the updates are still listed, under what they are.
    ['a run whose writer wrote none (it failed first)', false, false, 'Updates (no pull request written)'],
  ])('%s: the updates have their heading', (_name, dryRun, wrote, heading) => {
    const update = typed('c0', 'patch');
    const containers = [{ ...decision('c0', 'update', 'chosen'), update }];
    const pullRequests: PullRequestOutcome[] = wrote
      ? [{ ...opened(1, update), ...(dryRun ? { action: 'would-create', number: undefined } : {}) }]
      : [];
    const headings = renderSummary(report({ containers, pullRequests }), dryRun)
      .split('\n')
      .filter((line) => line.startsWith('### '));
    expect(headings).toEqual([`### ${heading}`]);
  });

  it('collapses the rows of a group past 20', () => {
    const pullRequests = Array.from({ length: 23 }, (_, i) => opened(i + 1, typed(`p${i}`, 'patch')));
    const summary = renderSummary(report({ pullRequests }), false);
    expect(summary).toContain('#### Patch (23)');
    expect(summary).toContain('<summary>3 more</summary>');
  });

  it('stays within GitHub’s 1 MiB limit, closing what it opened and saying how many rows it left out', () => {
    const long = 'x'.repeat(2000);
    const pullRequests = Array.from({ length: 1000 }, (_, i) =>
      opened(i + 1, { ...typed(`c${i}`, i % 2 ? 'patch' : 'major'), file: `apps/${long}.yaml` }),
    );
    const summary = renderSummary(report({ pullRequests }), false, LINKS);
    expect(Buffer.byteLength(summary)).toBeGreaterThan(MAX_SUMMARY_BYTES - 4096);
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(summary.split('<details>').length).toBe(summary.split('</details>').length);
    const shown = summary.split('\n').filter((line) => line.startsWith('- ')).length;
    expect(summary).toMatch(
      new RegExp(`\\*\\*${1000 - shown} more rows left out\\*\\*: GitHub shows no job summary over 1 MiB`),
    );
  });
});

describe('renderSummary of a cancelled run', () => {
  const opened: PullRequestOutcome = {
    action: 'created',
    branch: 'hiu/apps/web/api',
    updates: [update('api', 12)],
    number: 1,
    url: 'https://github.com/acme/gitops/pull/1',
  };
  const partWay: PullRequestOutcome = {
    action: 'failed',
    branch: 'hiu/apps/web/worker',
    updates: [update('worker', 15)],
    reason: 'stopped part way: POST /repos/acme/gitops/pulls was abandoned unanswered: the run was cancelled',
  };
  const notReached: PullRequestOutcome = {
    action: 'failed',
    branch: 'hiu/apps/web/cron',
    updates: [update('cron', 18)],
    reason: NOT_REACHED_CANCELLED,
  };
  const closed: PullRequestOutcome = { action: 'closed', branch: 'hiu/apps/web/old', updates: [], number: 7 };
  const unchecked: ContainerDecision = {
    ...decision('db', 'error', 'could not check docker.io/acme/db: the run was cancelled'),
    registryFailed: true,
  };
  const NOTE_START = '> **Cancelled** (SIGINT): this run stopped part way. Finished: ';
  const AFTER = ' Auto-merge and the dashboard issue, when set, wait for the next run too.';

  it.each([
    {
      name: 'one opened, one cut off, one not reached',
      parts: { pullRequests: [opened, partWay, notReached] },
      note: '1 pull request opened or updated, as listed below. Left for the next run: 1 pull request stopped part way, 1 pull request not reached (the run was cancelled). The pull request it was writing when it stopped is not listed as written; the next run finishes it.',
      sections: ['Pull requests', 'Failed to write', 'Not reached: the run was cancelled'],
    },
    {
      name: 'stopped in the registry phase',
      parts: { containers: [unchecked] },
      note: '0 pull requests opened or updated, as listed below. Left for the next run: 1 container not checked (the run was cancelled).',
      sections: [],
    },
    {
      name: 'stopped after closing an obsolete pull request',
      parts: { pullRequests: [closed, notReached] },
      note: '0 pull requests opened or updated, 1 closed, as listed below. Left for the next run: 1 pull request not reached (the run was cancelled).',
      sections: ['Not reached: the run was cancelled', 'Closed as obsolete'],
    },
  ])('$name', ({ parts, note, sections }) => {
    const text = renderSummary(report(parts), false, LINKS, 'SIGINT');
    expect(text.split('\n').slice(0, 3)).toEqual([
      '## HelmRelease image updates (cancelled)',
      '',
      '> [!WARNING]',
    ]);
    expect(text).toContain(`${NOTE_START}${note}${AFTER}\n`);
    expect([...text.matchAll(/^### (.*)$/gm)].map((m) => m[1]).filter((h) => h !== 'Problems')).toEqual(
      sections,
    );
    // Never claimed: the one cut off is not among the pull requests opened.
    expect(text).not.toMatch(/worker.*opened|opened.*worker/);
  });

  it('is not said of a run no signal stopped', () => {
    const text = renderSummary(report({ pullRequests: [opened] }), false, LINKS);
    expect(text).toMatch(/^## HelmRelease image updates\n/);
    expect(text).not.toContain('Cancelled');
  });
});
