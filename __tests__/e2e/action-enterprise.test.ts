/**
 * End to end on GitHub Enterprise Server: the built Action with the runner's GHES variables
 * (`GITHUB_API_URL` https://HOST/api/v3, `GITHUB_GRAPHQL_URL` https://HOST/api/graphql,
 * `GITHUB_SERVER_URL` https://HOST), against the stand-in served as GHES serves its API. Every
 * request goes under the API (GraphQL included: the stand-in reports any other path), and the
 * pull requests and the job summary link to the server, never to github.com.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
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

  // The runner's GITHUB_GRAPHQL_URL is what GraphQL takes (it was never read); one on another host
  // than GITHUB_API_URL would get the token, so the step stops before any request to GitHub. From
  // the sources: newer than the last built bundle.
  it.each([
    ['elsewhere on the server', (server: string) => `${server}/api/graphql-elsewhere`, 0],
    ['on another host', () => 'https://graphql.example.com/api/graphql', 1],
  ])(
    'takes GITHUB_GRAPHQL_URL %s',
    async (_name, graphqlUrl, exitCode) => {
      const server = env.standIn.serverUrl;
      env.standIn.clearLog();
      const other = await runAction({
        workspace: await env.workspace(),
        repository: `${OWNER}/${repo}`,
        apiUrl: env.standIn.url,
        serverUrl: server,
        token: WRITE_TOKEN,
        env: { GITHUB_GRAPHQL_URL: graphqlUrl(server) },
        inputs: { 'registry-mirrors': env.mirrors.join('\n'), 'dry-run': 'true', 'fail-on-error': 'false' },
        fromSource: true,
      });
      if (exitCode === 0) {
        expect(other.exitCode).toBe(0);
        // The stand-in answers nothing outside /api/v3 and /api/graphql, and says where it was asked.
        expect(env.standIn.violations.splice(0)).toContain(
          'POST /api/graphql-elsewhere: not under /api/v3 nor /api/graphql',
        );
      } else {
        expect(other.exitCode).toBe(1);
        expect(other.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
          expect.stringMatching(
            /^GITHUB_GRAPHQL_URL \(https:\/\/graphql\.example\.com\/api\/graphql\) is not on the API's http:\/\/127\.0\.0\.1:\d+ \(GITHUB_API_URL\); nothing was sent/,
          ),
        ]);
        expect(env.standIn.requests).toEqual([]);
      }
    },
    120_000,
  );
});
