/**
 * End to end: the Action's shell (src/main.ts) after GitHub's rate limit refused a call. The pull
 * request writer stops at the refusal, and main.ts must not go on to auto-merge and the dashboard
 * issue (each call would be refused again, and calls made while limited can get the token blocked
 * for longer): one warning names both and when the next run does them. The Action runs from its
 * source (`src/index.ts` under tsx) against the real registry and the strict GitHub stand-in, so
 * the test needs no rebuilt `dist/`.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import {
  startGitHubStandIn,
  WRITE_TOKEN,
  type GitHubStandIn,
  type LoggedRequest,
} from '../../test-support/github/stand-in.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry/registry-server.js';
import { e2eDescribe } from './e2e-gate.js';
import { twoReleasesOfOneImage, writeFiles } from './fixture-repository.js';

const WHEN = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d UTC`;

e2eDescribe()('the Action after GitHub’s rate limit refused a call', () => {
  let registry: RegistryServer;
  let standIn: GitHubStandIn;
  let dir: string;
  let run: ActionRun;
  /** The requests GitHub saw, from the refused one on. */
  let fromRefusal: LoggedRequest[];

  beforeAll(async () => {
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    const files = await twoReleasesOfOneImage(registry);
    await standIn.createRepository('acme', 'gitops', files);
    // The first pull request opens; GitHub's content-creation limit refuses the second, saying to
    // wait an hour (not waited out).
    standIn.beforeNext('pulls/create', async () => {
      standIn.beforeNext('pulls/create', async () => {
        standIn.injectFault({
          operationId: 'pulls/create',
          kind: 'secondary-rate-limit',
          retryAfter: 3600,
          times: 10_000,
        });
      });
    });
    dir = await mkdtemp(join(tmpdir(), 'e2e-rate-limit-'));
    await writeFiles(dir, files);
    standIn.clearLog();
    run = await runAction({
      workspace: dir,
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: { automerge: 'all', dashboard: 'true', 'fail-on-error': 'false' },
      fromSource: true,
    });
    const refused = standIn.requests.findIndex((r) => r.status === 403);
    fromRefusal = refused < 0 ? [] : standIn.requests.slice(refused);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), standIn?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opened the first pull request, and the limit refused the second', () => {
    expect(run.exitCode).toBe(0);
    expect(standIn.pulls('acme', 'gitops').map((p) => p.number)).toEqual([1]);
    expect(fromRefusal[0]).toMatchObject({ operationId: 'pulls/create', status: 403 });
  });

  it('made no call after the refusal: no auto-merge, no dashboard issue', () => {
    // The refused pulls/create was the last call GitHub saw.
    expect(fromRefusal.map((r) => [r.operationId, r.status])).toEqual([['pulls/create', 403]]);
    expect(standIn.pulls('acme', 'gitops')[0]!.autoMerge).toBeUndefined();
    expect(standIn.issues('acme', 'gitops')).toEqual([]);
  });

  it('says once what was not done and when the next run does it, and nothing of each step', () => {
    const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([
      // The throttling plugin's word as it gave up waiting (octokit.ts).
      'GitHub secondary rate limit hit for POST /repos/{owner}/{repo}/pulls; it says to wait 3600s, not waiting',
      expect.stringMatching(
        new RegExp(
          `^Not done after GitHub's rate limit refused POST /repos/acme/gitops/pulls: auto-merge and the dashboard issue; the next run, after ${WHEN}, does it\\.$`,
        ),
      ),
    ]);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      expect.stringMatching(
        /^Could not write the pull request for .*: POST \/repos\/acme\/gitops\/pulls failed \(403\)/,
      ),
    ]);
    expect(JSON.parse(run.outputs.problems)).toContainEqual(
      expect.objectContaining({ severity: 'warning', message: warnings[1] }),
    );
  });
});
