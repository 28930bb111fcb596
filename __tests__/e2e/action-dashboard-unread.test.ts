/**
 * End to end: the Action's shell (src/main.ts) when GitHub fails the read of this Action's pull
 * requests after the retries (a 502 on every GraphQL request). The run knows no pull request's
 * state, and the dashboard issue was rewritten from it anyway: the open pull requests and the
 * closed ones vanished from it, and with them a Retry box a person had ticked, which the next run
 * never saw. The dashboard is now left as the last run that read them wrote it. The Action runs
 * from its source against the real registry and the strict GitHub stand-in.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry/registry-server.js';
import { e2eDescribe } from './e2e-gate.js';
import { twoReleasesOfOneImage, writeFiles } from './fixture-repository.js';

e2eDescribe()('the Action when GitHub fails the read of its pull requests', () => {
  let registry: RegistryServer;
  let standIn: GitHubStandIn;
  let dir: string;
  /** The dashboard's body as a person left it: a Retry box ticked. */
  let ticked: string;
  let run: ActionRun;

  beforeAll(async () => {
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    const files = await twoReleasesOfOneImage(registry);
    await standIn.createRepository('acme', 'gitops', files);
    dir = await mkdtemp(join(tmpdir(), 'e2e-dashboard-unread-'));
    await writeFiles(dir, files);
    const step = () =>
      runAction({
        workspace: dir,
        repository: 'acme/gitops',
        apiUrl: standIn.url,
        token: WRITE_TOKEN,
        inputs: { dashboard: 'true', 'fail-on-error': 'false' },
        fromSource: true,
      });
    await step();
    // #1 closed without merging: the next run's dashboard offers to propose it again.
    await standIn.closePullRequest('acme', 'gitops', 1);
    await step();
    const issue = standIn.issues('acme', 'gitops')[0]!;
    issue.body = issue.body!.replace(/^- \[ \] (.*\*\*Retry:\*\*)/m, '- [x] $1');
    ticked = issue.body;
    standIn.injectFault({ operationId: 'graphql', kind: 'bad-gateway', times: 10_000 });
    run = await step();
    standIn.clearFaults();
  }, 180_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), standIn?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says the pull requests were not written, and that the next run writes them', () => {
    expect(run.exitCode).toBe(0);
    expect(run.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^Pull requests were not written: POST \/graphql .*\(502\): Server Error\. GitHub answered a server error to the request and to each of its retries \(see https:\/\/www\.githubstatus\.com\): nothing in the repository or the inputs needs to change, and the next run writes the pull requests$/,
      ),
    ]);
    expect(run.summary).toContain('Pull requests were not written');
  });

  it('leaves the dashboard as it was, the ticked box and the open pull request in it', () => {
    expect(ticked).toMatch(/^- \[x\] .*\*\*Retry:\*\*/m);
    const [issue] = standIn.issues('acme', 'gitops');
    expect(issue!.body).toBe(ticked);
    expect(issue!.body).toContain('/acme/gitops/pull/2) open');
    expect(run.stdout).toContain(
      "The dashboard issue is left as it is: this run could not read this Action's pull requests.",
    );
  });
});
