/**
 * The dashboard issue against the GitHub stand-in, run after run as the Action runs it: read the
 * issue, write the pull requests with its ticked boxes, render and write it back when it changed.
 * Request counts are asserted: an unchanged run reads one page of issues and writes nothing.
 */
import { describe, expect, it } from '@jest/globals';
import {
  publishDashboard,
  readDashboard,
  type DashboardRead,
  type DashboardWrite,
} from '../../src/github/dashboard.js';
import type { PullRequestWriterOptions } from '../../src/github/pull-request-writer.js';
import type { GroupBy } from '../../src/plan/branch-name.js';
import { parseMarker } from '../../src/plan/pull-request-text.js';
import type { ContainerDecision } from '../../src/plan/types.js';
import type { PullRequestOutcome } from '../../src/ports.js';
import type { Problem } from '../../src/problems.js';
import { DASHBOARD_LABEL, DASHBOARD_MARKER } from '../../src/report/dashboard-issue.js';
import type { DashboardLinks } from '../../src/report/dashboard-text.js';
import { tickedFor } from '../../src/report/dashboard-ticks.js';
import type { Update } from '../../src/update.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import { exporterUpdate, mongoUpdate, OWNER, useWriterHarness } from './writer-fixtures.js';

const harness = useWriterHarness();
const TITLE = 'HelmRelease image updates';

/** The plan's decision for a container that gets `update`. */
function decisionOf(update: Update): ContainerDecision {
  return {
    file: update.file,
    line: update.line,
    documentIndex: update.documentIndex,
    release: update.release,
    container: update.container,
    image: update.image,
    repository: update.repository,
    current: update.from,
    filter: update.filter,
    decision: 'update',
    reason: update.chosenBy,
    update,
  };
}

/** A container of another release that is not updated, for `decision` and `reason`. */
function other(
  name: string,
  decision: ContainerDecision['decision'],
  reason: string,
  line = 10,
): ContainerDecision {
  return {
    file: `releases/${name}.yaml`,
    line,
    documentIndex: 0,
    release: `apps/${name}`,
    container: 'chart-image',
    image: `ghcr.io/acme/${name}:1.0.0`,
    repository: `ghcr.io/acme/${name}`,
    current: '1.0.0',
    filter: 'semver:^1',
    decision,
    reason,
  };
}

/** What one run did: its dashboard read and write, its pull requests, and its requests. */
interface Run {
  read: DashboardRead;
  write: DashboardWrite | undefined;
  results: PullRequestOutcome[];
  problems: Problem[];
  /** Requests to the issues and labels endpoints, as `operationId` → count. */
  issueRequests: Record<string, number>;
  /** Every write request of the run (pull requests included). */
  writes: number;
}

/** Runs like the Action: read the dashboard, write the pull requests, publish the dashboard. */
async function run(
  updates: Update[],
  others: ContainerDecision[] = [],
  options: Partial<PullRequestWriterOptions> & {
    token?: string;
    maxLength?: number;
    problems?: Problem[];
    /** The `dashboard-title` (default {@link TITLE}). */
    title?: string;
    groupBy?: GroupBy;
  } = {},
): Promise<Run> {
  const { standIn } = harness;
  standIn.clearLog();
  const github = options.token ? harness.client(options.token) : harness.github;
  const repository = { github, owner: OWNER, repo: harness.repo };
  const title = options.title ?? TITLE;
  const read = await readDashboard(repository, title);
  const { groupBy, ...writerOptions } = options;
  const written = await harness.run(
    updates,
    { ...writerOptions, github, ticked: tickedFor(read.ticks) },
    groupBy,
  );
  const links: DashboardLinks = {
    serverUrl: 'https://github.com',
    owner: OWNER,
    repo: harness.repo,
    ref: 'HEAD',
    summaryUrl: 'https://github.com/acme/fleet/actions/runs/17',
  };
  const write = read.ok
    ? await publishDashboard(
        repository,
        read,
        {
          containers: [...updates.map(decisionOf), ...others],
          pullRequests: written.results,
          problems: [...(options.problems ?? []), ...written.problems],
        },
        { title, links, ...(options.maxLength ? { maxLength: options.maxLength } : {}) },
      )
    : undefined;
  const issueRequests: Record<string, number> = {};
  for (const r of standIn.requests) {
    if (r.operationId?.startsWith('issues/') && !/labels|assignees/.test(r.path.split('/issues/')[1] ?? '')) {
      issueRequests[r.operationId] = (issueRequests[r.operationId] ?? 0) + 1;
    }
  }
  return {
    read,
    write,
    results: written.results,
    problems: written.problems,
    issueRequests,
    writes: standIn.writeRequests().length,
  };
}

/** The dashboard issues of the test's repository. */
function dashboards() {
  return harness.standIn.issues(OWNER, harness.repo).filter((i) => (i.body ?? '').includes(DASHBOARD_MARKER));
}

/** Every issue carrying the dashboard label, whatever its marker: [title, first line of the body]. */
function labelled(): [string, string][] {
  return harness.standIn
    .issues(OWNER, harness.repo)
    .filter((i) => i.labels.includes(DASHBOARD_LABEL))
    .map((i) => [i.title, (i.body ?? '').split('\n')[0]!]);
}

/** The one dashboard's body. */
function body(): string {
  const found = dashboards();
  expect(found).toHaveLength(1);
  return found[0]!.body ?? '';
}

/** The `### Heading (n)` and `<summary>` lines of a body, in order. */
function headings(text: string): string[] {
  return [...text.matchAll(/^### (.+) \(\d+\)$|<summary><b>(.+)<\/b>/gm)].map((m) => m[1] ?? m[2]!);
}

/** Ticks the boxes of `kind` in the dashboard as a person does on GitHub (which stores CRLF). */
function tick(kind: 'retry' | 'open-now'): void {
  const [issue] = dashboards();
  issue!.body = (issue!.body ?? '')
    .replace(new RegExp(`- \\[ \\] (<!-- helmrelease-image-updater:${kind} )`, 'g'), '- [x] $1')
    .replace(/\n/g, '\r\n');
}

const FLEET = [
  other('web', 'error', 'could not check ghcr.io/acme/web: 401 Unauthorized'),
  other(
    'api',
    'too-new',
    'not proposed yet: 1.1.0 (built 2026-11-30 10:00 UTC) is younger than the minimum release age 3d and will be proposed from 2026-12-03 10:00 UTC',
  ),
  other('db', 'locked', 'locked (fluxcd.io/locked: "true")'),
  other('cache', 'up-to-date', 'up to date (highest version matching ^1)'),
];

describe('dashboard issue', () => {
  it('is created by the first run with the problems first, then found and left alone by an unchanged run', async () => {
    const first = await run([mongoUpdate('4.0.4')], FLEET);
    expect(first.write).toMatchObject({ action: 'created' });
    // Listed again right before it is opened: another run may have opened it meanwhile.
    expect(first.issueRequests).toEqual({
      'issues/list-for-repo': 2,
      'issues/create-label': 1,
      'issues/create': 1,
    });
    const text = body();
    expect(headings(text)).toEqual([
      'Problems',
      'Pull requests open',
      'Too new: waiting for the minimum release age',
      'Locked',
      'Up to date',
    ]);
    expect(text).toContain('[#1](');
    expect(text).toContain('will be proposed from 2026-12-03 10:00 UTC');
    expect(text).toContain(`(https://github.com/acme/${harness.repo}/blob/HEAD/releases/web.yaml#L10)`);
    expect(harness.standIn.labels(OWNER, harness.repo)).toContain(DASHBOARD_LABEL);

    const second = await run([mongoUpdate('4.0.4')], FLEET);
    expect(second.write).toMatchObject({ action: 'unchanged' });
    expect(second.issueRequests).toEqual({ 'issues/list-for-repo': 1 });
    expect(second.writes).toBe(0);
    expect(body()).toContain('[#1](');
  });

  it('keeps one issue per title: two workflows with different titles do not share one', async () => {
    const staging = 'Staging image updates';
    const first = await run([mongoUpdate('4.0.4')], FLEET);
    const other = await run([mongoUpdate('4.0.4')], FLEET, { title: staging });
    expect([first.write?.action, other.write?.action]).toEqual(['created', 'created']);
    // The default title keeps the marker every dashboard carried before; another title's is keyed.
    expect(labelled()).toEqual([
      [TITLE, DASHBOARD_MARKER],
      [staging, '<!-- helmrelease-image-updater:dashboard Staging%20image%20updates -->'],
    ]);
    // Each is found again with the one listing request, and left alone.
    for (const title of [TITLE, staging, TITLE]) {
      const again = await run([mongoUpdate('4.0.4')], FLEET, { title });
      expect(again.write).toMatchObject({ action: 'unchanged' });
      expect(again.issueRequests).toEqual({ 'issues/list-for-repo': 1 });
      expect(again.writes).toBe(0);
    }
    expect(labelled()).toHaveLength(2);
  });

  it('finds a dashboard of another title written before markers were keyed by title, and keys it', async () => {
    const staging = 'Staging image updates';
    await run([mongoUpdate('4.0.4')], FLEET, { title: staging });
    // As the earlier version wrote it: the unkeyed marker, whatever the title.
    const [issue] = harness.standIn.issues(OWNER, harness.repo).filter((i) => i.title === staging);
    issue!.body = (issue!.body ?? '').replace(/^<!-- [^\n]* -->/, DASHBOARD_MARKER);

    const upgraded = await run([mongoUpdate('4.0.4')], FLEET, { title: staging });
    expect(upgraded.write).toMatchObject({ action: 'updated', number: issue!.number });
    expect(upgraded.issueRequests).toEqual({ 'issues/list-for-repo': 1, 'issues/update': 1 });
    expect(labelled()).toEqual([
      [staging, '<!-- helmrelease-image-updater:dashboard Staging%20image%20updates -->'],
    ]);
    expect((await run([mongoUpdate('4.0.4')], FLEET, { title: staging })).writes).toBe(0);
  });

  it('is updated in place, with one write, when what it says changes', async () => {
    await run([mongoUpdate('4.0.4')], FLEET);
    const changed = await run(
      [mongoUpdate('4.0.4')],
      [...FLEET.slice(1), other('web', 'up-to-date', 'up to date')],
    );
    expect(changed.write).toMatchObject({ action: 'updated' });
    expect(changed.issueRequests).toEqual({ 'issues/list-for-repo': 1, 'issues/update': 1 });
    expect(changed.writes).toBe(1);
    expect(headings(body())[0]).toBe('Pull requests open');
  });

  it('reopens a closed pull request’s tag when its retry box is ticked, and only then', async () => {
    await run([mongoUpdate('4.0.4')]);
    await harness.standIn.closePullRequest(OWNER, harness.repo, 1);
    const remembered = await run([mongoUpdate('4.0.4')]);
    expect(remembered.results.map((r) => r.action)).toEqual(['skipped']);
    expect(body()).toContain('- [ ] <!-- helmrelease-image-updater:retry ');
    expect(body()).toMatch(/\[#1\]\([^)]+\/pull\/1\) proposed this and was closed without merging/);

    // Unticked, the closed pull request is still remembered, and nothing is written.
    expect((await run([mongoUpdate('4.0.4')])).writes).toBe(0);

    tick('retry');
    const retried = await run([mongoUpdate('4.0.4')]);
    // #2 is the dashboard: issues and pull requests share their numbers.
    expect(retried.results.map((r) => [r.action, r.number])).toEqual([['created', 3]]);
    expect(harness.standIn.pulls(OWNER, harness.repo).map((p) => [p.number, p.state])).toEqual([
      [1, 'closed'],
      [3, 'open'],
    ]);
    expect(retried.write).toMatchObject({ action: 'updated' });
    expect(body()).not.toContain('helmrelease-image-updater:retry');
    expect(body()).toContain('[#3](');
  });

  it('proposes again the tag a closed pull request kept out of a narrowed one when its retry box is ticked', async () => {
    const release = { groupBy: 'release' as const };
    await run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], [], release);
    await harness.standIn.closePullRequest(OWNER, harness.repo, 1);
    const updates = (): Update[] => [mongoUpdate('4.0.5'), exporterUpdate('0.11.0')];
    // #2 is the dashboard: the newer tag gets #3, without the exporter's tag #1 proposed.
    const narrowed = await run(updates(), [], release);
    expect(narrowed.results.map((r) => [r.action, r.number, r.updates.map((u) => u.to)])).toEqual([
      ['created', 3, ['4.0.5']],
      ['skipped', 1, ['0.11.0']],
    ]);
    expect(body()).toMatch(/\[#1\]\([^)]+\/pull\/1\) proposed this and was closed without merging/);

    tick('retry');
    const retried = await run(updates(), [], release);
    expect(retried.results.map((r) => [r.action, r.number])).toEqual([['updated', 3]]);
    const carried = (): string[] | undefined =>
      parseMarker(harness.standIn.pulls(OWNER, harness.repo).find((p) => p.number === 3)!.body)?.updates.map(
        (u) => u.to,
      );
    expect(carried()).toEqual(['4.0.5', '0.11.0']);
    expect(body()).not.toContain('helmrelease-image-updater:retry');

    // Its box gone, the open pull request that proposes the tag again is left as it is.
    const after = await run(updates(), [], release);
    expect(after.results.map((r) => [r.action, r.number])).toEqual([['unchanged', 3]]);
    expect(after.writes).toBe(0);
    expect(carried()).toEqual(['4.0.5', '0.11.0']);
  });

  it('opens a held-back pull request past max-pull-requests when its box is ticked', async () => {
    const updates = [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')];
    const capped = await run(updates, [], { maxPullRequests: 1 });
    expect(capped.results.map((r) => r.action)).toEqual(['created', 'held-back']);
    expect(body()).toMatch(/- \[ \] <!-- helmrelease-image-updater:open-now \S+ --> \*\*Open now\*\*/);

    tick('open-now');
    const opened = await run(updates, [], { maxPullRequests: 1 });
    expect(opened.results.map((r) => r.action)).toEqual(['unchanged', 'created']);
    expect(harness.standIn.pulls(OWNER, harness.repo).filter((p) => p.state === 'open')).toHaveLength(2);
    expect(body()).not.toContain('open-now');
  });

  it.each<[string, string, string | undefined]>([
    ['a box kind a newer version writes', 'rebase', 'rebase'],
    ['two of them, named once each', 'rebase|rebase|pin', 'rebase, pin'],
    ['an unticked one', '', undefined],
  ])('says a ticked box it does not know is not acted on: %s', async (_name, kinds, named) => {
    await run([mongoUpdate('4.0.4')]);
    const [issue] = dashboards();
    const boxes = kinds
      .split('|')
      .filter(Boolean)
      .map((kind) => `- [x] <!-- helmrelease-image-updater:${kind} some-key --> Do it`);
    issue!.body = [
      issue!.body ?? '',
      ...(boxes.length ? boxes : ['- [ ] <!-- helmrelease-image-updater:rebase k -->']),
    ].join('\r\n');
    const read = await readDashboard({ github: harness.github, owner: OWNER, repo: harness.repo }, TITLE);
    expect(read.ok && read.unknownBoxes).toBe(
      named &&
        `The dashboard issue #${issue!.number} has ticked boxes this version of the Action does not know (${named}), ` +
          'written by a newer version: they are not acted on, and the issue this version writes leaves them out. ' +
          'Run the newer version to act on them.',
    );
  });

  it('is not opened a second time by a run that overlapped the one that opened it', async () => {
    // Another run, started at the same time, finishes first and opens the dashboard while this one
    // writes its pull requests (after this one read no dashboard).
    harness.standIn.beforeNext('pulls/create', async () => {
      const now = '2026-01-01T00:00:00Z';
      harness.standIn.issues(OWNER, harness.repo).push({
        number: 90,
        title: TITLE,
        body: `${DASHBOARD_MARKER}\nthe other run's text`,
        state: 'open',
        labels: [DASHBOARD_LABEL],
        createdAt: now,
        updatedAt: now,
      });
    });
    const late = await run([mongoUpdate('4.0.4')], FLEET);
    expect(late.read).toMatchObject({ ok: true, issue: undefined });
    expect(late.write).toMatchObject({ action: 'updated', number: 90 });
    expect(dashboards().map((i) => i.number)).toEqual([90]);
    expect(body()).not.toContain("the other run's text");
    expect(body()).toMatch(/open: `docker.io\/bitnami\/mongodb` 4.0.3 → \*\*4.0.4\*\*/);
  });

  it('keeps one dashboard after two runs that overlapped opened one each: the newer is closed, the boxes ticked in it acted on', async () => {
    const updates = [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')];
    await run(updates, [], { maxPullRequests: 1 });
    // The other run read no dashboard either when it started, and opened its own after this one.
    const [kept] = dashboards();
    const issues = harness.standIn.issues(OWNER, harness.repo);
    issues.push({
      ...kept!,
      number: 90,
      createdAt: '2099-01-01T00:00:00Z',
      updatedAt: '2099-01-01T00:00:00Z',
    });
    // A person ticks Open now in the newer one, the one they happen to open.
    const newer = issues.find((i) => i.number === 90)!;
    newer.body = newer.body!.replace(/- \[ \] (<!-- helmrelease-image-updater:open-now )/, '- [x] $1');

    const next = await run(updates, [], { maxPullRequests: 1 });
    expect(next.results.map((r) => r.action)).toEqual(['unchanged', 'created']);
    const withLabel = harness.standIn
      .issues(OWNER, harness.repo)
      .filter((i) => i.labels.includes(DASHBOARD_LABEL));
    expect(withLabel.map((i) => [i.number, i.state])).toEqual([
      [kept!.number, 'open'],
      [90, 'closed'],
    ]);
    expect(next.write).toMatchObject({ action: 'updated', number: kept!.number, closed: [90] });
    expect(newer.body).toBe(
      `A second dashboard, opened by a run that overlapped another; #${kept!.number} is the one kept up to date.`,
    );
    // Closed, it is never read again, and a run after that writes nothing.
    const after = await run(updates, [], { maxPullRequests: 1 });
    expect(after.write).toMatchObject({ action: 'unchanged', number: kept!.number });
    expect(after.writes).toBe(0);
  });

  it.each([
    {
      name: 'a token that may read but not write issues',
      setUp: () =>
        harness.standIn.addToken('ghs_no_issues', {
          contents: 'write',
          pull_requests: 'write',
          issues: 'read',
        }),
      read: true,
    },
    {
      name: 'a token that may not even read them',
      setUp: () =>
        harness.standIn.injectFault({
          operationId: 'issues/list-for-repo',
          kind: { status: 403, message: 'Resource not accessible by integration' },
        }),
      read: false,
    },
  ])('with $name: one warning, and the pull requests are written', async ({ setUp, read }) => {
    setUp();
    const result = await run([mongoUpdate('4.0.4')], FLEET, { token: read ? 'ghs_no_issues' : WRITE_TOKEN });
    const warnings = [
      ...(result.read.ok ? [] : [result.read.warning]),
      ...(result.write?.action === 'failed' ? [result.write.warning] : []),
    ];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('issues: write');
    expect(result.results.map((r) => r.action)).toEqual(['created']);
    expect(harness.standIn.pulls(OWNER, harness.repo)).toHaveLength(1);
    expect(dashboards()).toEqual([]);
  });

  it('stays under GitHub’s body limit on a huge fleet, saying what it left out', async () => {
    const huge = Array.from({ length: 2000 }, (_, i) =>
      other(
        `app-${i}`,
        i % 10 === 0 ? 'error' : 'up-to-date',
        i % 10 === 0 ? 'could not check: 401 Unauthorized' : 'up to date',
        i + 1,
      ),
    );
    const result = await run([mongoUpdate('4.0.4')], huge);
    expect(result.write).toMatchObject({ action: 'created' });
    const text = body();
    expect(text.length).toBeLessThan(65_536);
    expect(text).toMatch(
      /\*\*Truncated:\*\* \d+ more rows did not fit .*\[the job summary\]\(https:\/\/github\.com\/acme\/fleet\/actions\/runs\/17\)/,
    );
    // Problems come first, so all 200 are kept.
    expect(text.split('\n### ')[1]).toMatch(/^Problems \(200\)/);
    expect((await run([mongoUpdate('4.0.4')], huge)).writes).toBe(0);
  });
});
