/**
 * End to end on GitHub Enterprise Server: the built Action with the runner's GHES variables
 * (`GITHUB_API_URL` https://HOST/api/v3, `GITHUB_GRAPHQL_URL` https://HOST/api/graphql,
 * `GITHUB_SERVER_URL` https://HOST), against the stand-in served as GHES serves its API. Every
 * request goes under the API (GraphQL included: the stand-in reports any other path), and the
 * pull requests and the job summary link to the server, never to github.com.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { ActionRun } from '../../test-support/e2e/run-action.js';
import { e2eDescribe } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';

const describeE2e = e2eDescribe();

describeE2e('the built Action on GitHub Enterprise Server', () => {
  const repo = 'gitops-enterprise';
  let env: E2eEnvironment;
  let run: ActionRun;

  beforeAll(async () => {
    env = await startE2eEnvironment({ enterprise: true });
    const workspace = await env.checkout(repo);
    env.standIn.clearLog();
    run = await env.step(repo, workspace, { 'fail-on-error': 'false' });
  }, 180_000);

  afterAll(async () => {
    await env?.stop();
  });

  it('writes its pull requests through /api/v3 and /api/graphql only', () => {
    expect(run.exitCode).toBe(0);
    expect(env.standIn.violations).toEqual([]);
    expect(env.standIn.requests.some((r) => r.operationId === 'graphql')).toBe(true);
    expect(env.standIn.pulls(OWNER, repo).length).toBeGreaterThan(0);
  });

  it('links pull requests and the summary to the server', () => {
    const server = env.standIn.serverUrl;
    const pulls = JSON.parse(run.outputs['pull-requests']!) as { url?: string }[];
    expect(pulls.length).toBeGreaterThan(0);
    for (const pull of pulls) expect(pull.url).toMatch(new RegExp(`^${server}/${OWNER}/${repo}/pull/\\d+$`));
    expect(run.summary).toContain(`${server}/${OWNER}/${repo}/`);
    for (const pull of env.standIn.pulls(OWNER, repo)) {
      expect(pull.body).toContain(`](${server}/${OWNER}/${repo}/blob/main/`);
      expect(pull.body).not.toMatch(/\]\(https:\/\/github\.com\//);
    }
    expect(run.summary).not.toMatch(/\(https:\/\/github\.com\//);
    expect(run.summary).not.toMatch(/href="https:\/\/github\.com\//);
  });
});
