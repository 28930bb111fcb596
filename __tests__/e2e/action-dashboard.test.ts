/**
 * End to end: the built Action with `dashboard: true` and `max-pull-requests: 1`, run three times
 * over the fixture repository against the real registry and the strict GitHub stand-in (see
 * action.test.ts): the first run creates the issue, an unchanged run writes nothing at all, and a
 * box ticked in the issue opens its held-back pull request at the next run.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DASHBOARD_LABEL, DASHBOARD_MARKER } from '../../src/report/dashboard-issue.js';
import type { LoggedRequest } from '../../test-support/github/stand-in.js';
import { e2eDescribe } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';

const describeE2e = e2eDescribe();
const INPUTS = { dashboard: 'true', 'max-pull-requests': '1', 'fail-on-error': 'false' };

/** Requests to the issues endpoints (not the pull requests' labels), by operation. */
function issueRequests(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    if (!r.operationId?.startsWith('issues/') || /\/issues\/\d+\//.test(r.path)) continue;
    counts[r.operationId] = (counts[r.operationId] ?? 0) + 1;
  }
  return counts;
}

describeE2e('the built Action: dashboard: true', () => {
  const repo = 'gitops-dashboard';
  let env: E2eEnvironment;
  let workspace: string;

  beforeAll(async () => {
    env = await startE2eEnvironment();
    workspace = await env.checkout(repo);
  });

  afterAll(async () => {
    await env?.stop();
  });

  const dashboard = () => {
    const found = env.standIn.issues(OWNER, repo).filter((i) => (i.body ?? '').includes(DASHBOARD_MARKER));
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const openPulls = () => env.standIn.pulls(OWNER, repo).filter((p) => p.state === 'open');

  it('creates the issue on the first run, then writes nothing on an unchanged one, then acts on a ticked box', async () => {
    env.standIn.clearLog();
    const first = await env.step(repo, workspace, INPUTS);
    expect(first.exitCode).toBe(0);
    // Listed again right before it is opened: a run that overlapped this one may have opened it.
    expect(issueRequests(env.standIn.requests)).toEqual({
      'issues/list-for-repo': 2,
      'issues/create-label': 1,
      'issues/create': 1,
    });
    expect(dashboard().labels).toEqual([DASHBOARD_LABEL]);
    expect(dashboard().body).toMatch(/^### Problems \(\d+\)$/m);
    expect(openPulls()).toHaveLength(1);
    const boxes = dashboard().body!.match(/- \[ \] <!-- helmrelease-image-updater:open-now /g) ?? [];
    expect(boxes.length).toBeGreaterThan(0);

    env.standIn.clearLog();
    expect((await env.step(repo, workspace, INPUTS)).exitCode).toBe(0);
    expect(issueRequests(env.standIn.requests)).toEqual({ 'issues/list-for-repo': 1 });
    expect(env.standIn.writeRequests()).toEqual([]);

    // A person ticks the first held-back box (GitHub stores the edited body with CRLF).
    const issue = dashboard();
    issue.body = issue
      .body!.replace(
        '- [ ] <!-- helmrelease-image-updater:open-now ',
        '- [x] <!-- helmrelease-image-updater:open-now ',
      )
      .replace(/\n/g, '\r\n');
    env.standIn.clearLog();
    expect((await env.step(repo, workspace, INPUTS)).exitCode).toBe(0);
    expect(openPulls()).toHaveLength(2);
    expect(issueRequests(env.standIn.requests)).toEqual({ 'issues/list-for-repo': 1, 'issues/update': 1 });
    expect(dashboard().body!.match(/- \[[ x]\] <!-- helmrelease-image-updater:open-now /g)).toHaveLength(
      boxes.length - 1,
    );
    expect(env.standIn.violations).toEqual([]);
  });
});
