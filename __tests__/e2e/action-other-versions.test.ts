/**
 * End to end: the built Action meets state a newer version of itself wrote (after a rollback): a
 * pull request whose marker is version 2 and a dashboard box of a kind it does not write. It leaves
 * the pull request as it is, opens none beside it, and says both in annotations. Against the real
 * registry and the strict GitHub stand-in (see action.test.ts).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createGitHubClient } from '../../src/github/octokit.js';
import { DASHBOARD_MARKER } from '../../src/report/dashboard-issue.js';
import { MARKER_PREFIX } from '../../src/plan/pull-request-marker.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import { e2eDescribe } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';

const describeE2e = e2eDescribe();
const INPUTS = { dashboard: 'true', 'fail-on-error': 'false' };

describeE2e('the built Action after a rollback', () => {
  const repo = 'gitops-rollback';
  let env: E2eEnvironment;
  let workspace: string;

  beforeAll(async () => {
    env = await startE2eEnvironment();
    workspace = await env.checkout(repo);
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("leaves a newer version's pull request and dashboard box as they are, and says so", async () => {
    expect((await env.step(repo, workspace, INPUTS)).exitCode).toBe(0);
    const before = env.standIn.pulls(OWNER, repo).filter((p) => p.state === 'open');
    expect(before.length).toBeGreaterThan(0);
    const first = before[0]!;
    // The newer version's marker: version 2.
    const body = (first.body ?? '').replace(
      `${MARKER_PREFIX} {"version":1,`,
      `${MARKER_PREFIX} {"version":2,`,
    );
    expect(body).not.toBe(first.body);
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: env.standIn.url,
      retries: 0,
      spaceWrites: false,
    });
    await github.rest.pulls.update({ owner: OWNER, repo, pull_number: first.number, body });
    const [issue] = env.standIn.issues(OWNER, repo).filter((i) => (i.body ?? '').includes(DASHBOARD_MARKER));
    issue!.body = `${issue!.body ?? ''}\n- [x] <!-- helmrelease-image-updater:rebase some-key --> Rebase\n`;
    const head = await env.standIn.branchSha(OWNER, repo, first.head);

    const run = await env.step(repo, workspace, INPUTS);

    expect(run.exitCode).toBe(0);
    const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings.filter((m) => m.includes('newer version'))).toEqual([
      expect.stringContaining(
        `Pull request #${first.number} from ${first.head} was written by a newer version of this Action (its marker is version 2)`,
      ),
      expect.stringContaining(
        `The dashboard issue #${issue!.number} has ticked boxes this version of the Action does not know (rebase)`,
      ),
    ]);
    const after = env.standIn.pulls(OWNER, repo).filter((p) => p.state === 'open');
    expect(after.map((p) => p.number)).toEqual(before.map((p) => p.number));
    expect(after.find((p) => p.number === first.number)!.body).toBe(body);
    expect(await env.standIn.branchSha(OWNER, repo, first.head)).toBe(head);
    expect(env.standIn.violations).toEqual([]);
  });
});
