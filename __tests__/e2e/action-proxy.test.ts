/**
 * End to end: the built Action on a self-hosted runner behind an authenticated forward proxy, against
 * the real registry and the strict GitHub stand-in (see action.test.ts). GitHub is reached at a name
 * (`api.github.test`) that the proxy sends to the stand-in, since the toolkit never proxies a
 * loopback address. The proxy's password is a secret like the token: it may reach the proxy, and
 * nothing else. With them, the preflight's stops (src/action-preflight.ts): what GitHub's toolkit
 * reads while it loads (the proxy variable, GITHUB_API_URL) and could not load with.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { nodeWarnings } from '../../test-support/e2e/node-runtimes.js';
import {
  basicAuthorization,
  startForwardProxy,
  type ForwardProxy,
} from '../../test-support/forward-proxy.js';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import { e2eDescribe } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';
import { EXPECTED_BUMPS, EXPECTED_PROBLEMS } from './fixture-repository.js';

const describeE2e = e2eDescribe();

const USER = 'runner';
// With characters a URL must percent-encode: both clients must send the decoded password.
const PASSWORD = 'Pr0xy@pass:w/rd#7f3a9c';
const API_HOST = 'api.github.test';

/** Every form the proxy's password could leak in. */
const SECRET_FORMS = [
  PASSWORD,
  encodeURIComponent(PASSWORD),
  Buffer.from(PASSWORD).toString('base64'),
  basicAuthorization(USER, PASSWORD).slice('Basic '.length),
  Buffer.from(PASSWORD).toString('hex'),
];

describeE2e('the built Action behind an authenticated proxy', () => {
  let env: E2eEnvironment;
  let apiPort: string;

  beforeAll(async () => {
    env = await startE2eEnvironment();
    apiPort = new URL(env.standIn.url).port;
  });

  afterAll(async () => {
    await env?.stop();
  });

  /** Runs the Action on a fresh `acme/<repo>` through `proxy`, with the password `password`. */
  async function stepThrough(
    proxy: ForwardProxy,
    repo: string,
    password: string,
    extraEnv: Record<string, string> = {},
    inputs: Record<string, string> = {},
  ): Promise<ActionRun> {
    const workspace = await env.checkout(repo);
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = USER;
    proxyUrl.password = password;
    return runAction({
      workspace,
      repository: `${OWNER}/${repo}`,
      apiUrl: `http://${API_HOST}:${apiPort}`,
      token: WRITE_TOKEN,
      inputs: { 'registry-mirrors': env.mirrors.join('\n'), ...inputs },
      env: { HTTP_PROXY: proxyUrl.href, HTTPS_PROXY: proxyUrl.href, ...extraEnv },
    });
  }

  /** What the run showed anyone: its logs, outputs, summary, and the pull requests it opened. */
  function everythingShown(run: ActionRun, repo: string): string {
    const pulls = env.standIn.pulls(OWNER, repo).map((p) => JSON.stringify(p));
    return [run.stdout, run.stderr, JSON.stringify(run.outputs), run.summary, ...pulls].join('\n');
  }

  // The second run is a dry run (it still reads GitHub): the throttled writes take 30 s a run.
  describe.each([
    ['with NODE_USE_ENV_PROXY=1, the registry through it too', { NODE_USE_ENV_PROXY: '1' }, false, true],
    ['without NODE_USE_ENV_PROXY, the registry reached directly (a dry run)', {}, true, false],
  ])('%s', (_name, extraEnv, dryRun, registryProxied) => {
    const repo = registryProxied ? 'gitops-proxy-all' : 'gitops-proxy-github';
    let proxy: ForwardProxy;
    let run: ActionRun;

    beforeAll(async () => {
      proxy = await startForwardProxy({
        credentials: { user: USER, password: PASSWORD },
        hosts: { [`${API_HOST}:${apiPort}`]: `127.0.0.1:${apiPort}` },
      });
      run = await stepThrough(proxy, repo, PASSWORD, extraEnv, { 'dry-run': String(dryRun) });
    });

    afterAll(async () => {
      await proxy?.stop();
    });

    it('plans, writes and reports as without a proxy', () => {
      // Exit 1: one of the fixture's images cannot be checked (fail-on-error), as in action.test.ts.
      expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 1, stderr: '' });
      expect(JSON.parse(run.outputs.problems)).toEqual(
        EXPECTED_PROBLEMS.map((p) => ({ ...p, message: expect.stringMatching(p.message) })),
      );
      const updates = JSON.parse(run.outputs.updates) as { to: string }[];
      expect(updates.map((u) => u.to)).toEqual(EXPECTED_BUMPS.map((b) => b.to));
      expect(env.standIn.pulls(OWNER, repo)).toHaveLength(dryRun ? 0 : EXPECTED_BUMPS.length);
    });

    it('sends GitHub through the proxy with its credentials, and the registry as NODE_USE_ENV_PROXY says', () => {
      const targets = new Set(proxy.asked.map((t) => t.target));
      const registryHost = new URL(env.registry.url).host;
      expect({
        github: targets.has(`${API_HOST}:${apiPort}`),
        registry: targets.has(registryHost),
        others: [...targets].filter((t) => t !== registryHost && t !== `${API_HOST}:${apiPort}`),
        refused: proxy.asked.filter((t) => t.status !== 200),
      }).toEqual({ github: true, registry: registryProxied, others: [], refused: [] });
    });

    it("never shows the proxy's password, in any encoding, nor prints a warning", () => {
      const shown = everythingShown(run, repo);
      expect(SECRET_FORMS.filter((form) => shown.includes(form))).toEqual([]);
      expect(nodeWarnings(run.stderr)).toEqual([]);
    });

    it('sends the proxy its credentials and no server behind it', () => {
      // Plain HTTP here, so the proxy sees every request that went through its tunnels.
      const tunneled = proxy.sent();
      expect(tunneled).toMatch(/^GET \/repos\/acme\//m);
      expect(tunneled).not.toMatch(/proxy-authorization/i);
      expect(SECRET_FORMS.filter((form) => tunneled.includes(form))).toEqual([]);
      expect(proxy.asked.every((t) => t.authorization === basicAuthorization(USER, PASSWORD))).toBe(true);
    });
  });

  it('a proxy variable that is no URL, with NODE_USE_ENV_PROXY=1, fails the step naming it, without its password', async () => {
    const repo = 'gitops-proxy-malformed';
    const workspace = await env.checkout(repo);
    const run = await runAction({
      workspace,
      repository: `${OWNER}/${repo}`,
      apiUrl: env.standIn.url,
      token: WRITE_TOKEN,
      inputs: { 'registry-mirrors': env.mirrors.join('\n') },
      env: { NODE_USE_ENV_PROXY: '1', HTTPS_PROXY: `http://${USER}:${PASSWORD}@proxy example:3128` },
    });
    expect({
      exitCode: run.exitCode,
      errors: run.annotations.filter((a) => a.level === 'error').map((a) => a.message),
      pulls: env.standIn.pulls(OWNER, repo),
    }).toEqual({
      exitCode: 1,
      errors: [expect.stringMatching(/^HTTPS_PROXY is not a proxy URL: write it as http:\/\/host:port/)],
      pulls: [],
    });
    expect(SECRET_FORMS.filter((form) => everythingShown(run, repo).includes(form))).toEqual([]);
  });

  // GitHub's toolkit reads the variable while it loads; the preflight stops the step first.
  it.each([
    ['no URL either way', `${USER}_1:${PASSWORD}@proxy example:3128`],
    ['a SOCKS proxy', `socks5://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1080`],
  ])(
    'HTTPS_PROXY that GitHub’s toolkit cannot load with (%s): one error naming it, no stack trace, no password',
    async (_name, value) => {
      const workspace = await env.workspace();
      const run = await runAction({
        workspace,
        repository: `${OWNER}/gitops-proxy-unloadable`,
        apiUrl: `https://${API_HOST}`,
        token: WRITE_TOKEN,
        env: { HTTPS_PROXY: value },
      });
      expect({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({
        exitCode: 1,
        stdout:
          '::error::HTTPS_PROXY is not a proxy URL GitHub can be reached through: write it as http://host:port, with user:password@ before the host when the proxy needs them.\n',
        stderr: '',
      });
    },
  );

  it('a GITHUB_API_URL that is no URL: one error naming it, no stack trace', async () => {
    const run = await runAction({
      workspace: await env.workspace(),
      repository: `${OWNER}/gitops-bad-api-url`,
      apiUrl: 'api.github.com/v3 (not a URL)',
      token: WRITE_TOKEN,
    });
    expect({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({
      exitCode: 1,
      stdout: expect.stringMatching(/^::error::GITHUB_API_URL is not a URL: [^\n]*\n$/),
      stderr: '',
    });
  });

  it('a proxy that refuses the password fails the run, saying which setting to check, without showing it', async () => {
    const repo = 'gitops-proxy-refused';
    const proxy = await startForwardProxy({
      credentials: { user: USER, password: 'another-password' },
      hosts: { [`${API_HOST}:${apiPort}`]: `127.0.0.1:${apiPort}` },
    });
    try {
      // The registry reached directly, so that there are pull requests to write.
      const run = await stepThrough(proxy, repo, PASSWORD, {});
      const errors = run.annotations.filter((a) => a.level === 'error' && !a.file).map((a) => a.message);
      expect({ exitCode: run.exitCode, pulls: env.standIn.pulls(OWNER, repo), errors }).toEqual({
        exitCode: 1,
        pulls: [],
        errors: [
          expect.stringMatching(
            /^Pull requests were not written: GET \/repos\/acme\/gitops-proxy-refused: GitHub could not be reached: the proxy refused to open a connection \(407 Proxy Authentication Required\); check the user and password in HTTPS_PROXY or HTTP_PROXY$/,
          ),
          expect.stringMatching(
            /^\d+ problems? (is an error|are errors) \(an image that could not be checked, /,
          ),
        ],
      });
      // Refused once, not retried: a 407 stands until the settings change.
      expect(proxy.asked.map((t) => t.status)).toEqual([407]);
      // The summary still lists the updates, under what they are.
      expect(run.summary).toContain('\n### Updates (no pull request written)\n');
      expect(SECRET_FORMS.filter((form) => everythingShown(run, repo).includes(form))).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});
