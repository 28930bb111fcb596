/**
 * The Action's reading of the proxy variable for GitHub (`src/github/proxy-variable.ts`), each case
 * checked against what GitHub's toolkit really does with it, in a fresh process (it reads the
 * variables once, while it loads): used, ignored (no proxy host: GitHub reached directly) or fatal
 * (the toolkit throws while loading).
 */
import { checkBypass } from '@actions/http-client/lib/proxy';
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  githubProxyMessage,
  githubProxyVariable,
  type GitHubProxyVariable,
} from '../../src/github/proxy-variable.js';
import { baseEnvironment, REPOSITORY_ROOT, runNode } from '../../test-support/e2e/child-process.js';
import { withEnv } from '../../test-support/with-env.js';

const PROBE = join(REPOSITORY_ROOT, 'test-support', 'github', 'toolkit-proxy-probe.mjs');

/** What the toolkit does, in a process of its own with `env`. */
async function toolkit(env: Record<string, string>): Promise<{ loads: boolean; proxied: boolean }> {
  const run = await runNode(PROBE, [], { env: { ...baseEnvironment(), ...env }, cwd: REPOSITORY_ROOT });
  return JSON.parse(run.stdout) as { loads: boolean; proxied: boolean };
}

/** The toolkit's own bypass rule (a loopback host, NO_PROXY), as the Action's preflight asks it. */
function bypassedByToolkit(api: string, env: Record<string, string>): boolean {
  return withEnv({ no_proxy: env.no_proxy, NO_PROXY: env.NO_PROXY }, () => checkBypass(new URL(api)));
}

/** The toolkit's behaviour each kind stands for. */
const BEHAVIOUR: Record<GitHubProxyVariable['kind'], { loads: boolean; proxied: boolean }> = {
  none: { loads: true, proxied: false },
  used: { loads: true, proxied: true },
  ignored: { loads: true, proxied: false },
  fatal: { loads: false, proxied: false },
};

const HTTPS_API = 'https://api.github.com';
const HTTP_API = 'http://ghe.example.com/api/v3';

describe('the proxy variable for GitHub, as the toolkit takes it', () => {
  it.each<[string, string, Record<string, string>, GitHubProxyVariable]>([
    ['none set', HTTPS_API, {}, { kind: 'none' }],
    [
      'an http URL',
      HTTPS_API,
      { HTTPS_PROXY: 'http://proxy.corp:3128' },
      { kind: 'used', name: 'HTTPS_PROXY' },
    ],
    [
      'an https URL with credentials',
      HTTPS_API,
      { HTTPS_PROXY: 'https://u:p@proxy.corp:3128' },
      { kind: 'used', name: 'HTTPS_PROXY' },
    ],
    [
      'the lower-case name first',
      HTTPS_API,
      { https_proxy: 'proxy.corp:3128', HTTPS_PROXY: 'http://proxy.corp:3128' },
      { kind: 'ignored', name: 'https_proxy' },
    ],
    [
      'an empty lower-case name gives way',
      HTTPS_API,
      { https_proxy: '', HTTPS_PROXY: 'http://proxy.corp:3128' },
      { kind: 'used', name: 'HTTPS_PROXY' },
    ],
    [
      'HTTP_PROXY for an http API',
      HTTP_API,
      { HTTP_PROXY: 'http://proxy.corp:3128', HTTPS_PROXY: 'socks5://x:1' },
      { kind: 'used', name: 'HTTP_PROXY' },
    ],
    ['HTTP_PROXY alone for an https API', HTTPS_API, { HTTP_PROXY: 'proxy corp' }, { kind: 'none' }],
    [
      'a host name without a scheme (read as the scheme)',
      HTTPS_API,
      { HTTPS_PROXY: 'proxy.corp:3128' },
      { kind: 'ignored', name: 'HTTPS_PROXY' },
    ],
    [
      'an address without a scheme (http:// put before it)',
      HTTPS_API,
      { HTTPS_PROXY: '10.1.2.3:3128' },
      { kind: 'used', name: 'HTTPS_PROXY' },
    ],
    [
      'an http URL that is no URL',
      HTTPS_API,
      { HTTPS_PROXY: 'http://proxy corp:3128' },
      { kind: 'ignored', name: 'HTTPS_PROXY' },
    ],
    [
      'no URL either way',
      HTTPS_API,
      { HTTPS_PROXY: 'runner_1:Secr3tPw@proxy corp:3128' },
      { kind: 'fatal', name: 'HTTPS_PROXY' },
    ],
    [
      'a SOCKS proxy',
      HTTPS_API,
      { HTTPS_PROXY: 'socks5://127.0.0.1:1080' },
      { kind: 'fatal', name: 'HTTPS_PROXY' },
    ],
    ['a loopback API bypasses it', 'http://127.0.0.1:8080', { HTTP_PROXY: 'proxy corp' }, { kind: 'none' }],
    [
      'an API host in NO_PROXY bypasses it',
      HTTPS_API,
      { HTTPS_PROXY: 'socks5://127.0.0.1:1080', NO_PROXY: '.github.com' },
      { kind: 'none' },
    ],
  ])('%s', async (_name, api, env, expected) => {
    const seen = await toolkit({ ...env, GITHUB_API_URL: api });
    const variable = githubProxyVariable(new URL(api), env, bypassedByToolkit(api, env));
    expect({ variable, toolkit: seen }).toEqual({ variable: expected, toolkit: BEHAVIOUR[expected.kind] });
  });

  it.each<[GitHubProxyVariable, string | undefined]>([
    [{ kind: 'none' }, undefined],
    [{ kind: 'used', name: 'HTTPS_PROXY' }, undefined],
    [
      { kind: 'ignored', name: 'https_proxy' },
      'https_proxy is set but names no proxy host, so GitHub is reached without a proxy: write it as http://host:port, with user:password@ before the host when the proxy needs them.',
    ],
    [
      { kind: 'fatal', name: 'HTTPS_PROXY' },
      'HTTPS_PROXY is not a proxy URL GitHub can be reached through: write it as http://host:port, with user:password@ before the host when the proxy needs them.',
    ],
  ])('%j: %j', (variable, message) => {
    expect(githubProxyMessage(variable)).toBe(message);
  });
});
