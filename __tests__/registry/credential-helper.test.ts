/**
 * Docker credential helpers, run for real: small shell scripts named `docker-credential-<name>`
 * in a temporary directory put on PATH, answering as the real helpers do (or misbehaving), and a
 * real registry that needs the credentials they give.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpRegistry } from '../../src/adapters/registry-setup.js';
import type { Problem } from '../../src/problems.js';
import {
  createCredentialLookup,
  runCredentialHelper,
  type HelperAnswer,
} from '../../src/registry/credential-helper.js';
import { parseDockerConfig, readDockerConfig } from '../../src/registry/docker-config.js';
import { parseSettings } from '../../src/settings.js';
import {
  registryTestGate,
  startRegistry,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { seedImage } from '../../test-support/registry/seed.js';

let bin: string;
let env: Record<string, string | undefined>;

/** Writes `docker-credential-<name>` as a shell script. */
async function helper(name: string, script: string): Promise<void> {
  const path = join(bin, `docker-credential-${name}`);
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
}

beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'credential-helpers-'));
  env = { PATH: `${bin}:/usr/bin:/bin`, HELPER_LOG: join(bin, 'asked.log') };
  // Answers for any address: user "u-<address>", secret "s3cret-<address>"; logs what it was asked.
  await helper(
    'good',
    [
      '[ "$1" = get ] || exit 3',
      'read -r host || true',
      'printf "%s|" "$host" >> "$HELPER_LOG"',
      'printf \'{"ServerURL":"%s","Username":"u-%s","Secret":"s3cret-%s"}\' "$host" "$host" "$host"',
    ].join('\n'),
  );
  await helper(
    'token',
    `cat >/dev/null; printf '{"ServerURL":"x","Username":"<token>","Secret":"refresh-123"}'`,
  );
  await helper('none', 'cat >/dev/null; echo "credentials not found in native keychain"; exit 1');
  await helper('empty', `cat >/dev/null; printf '{"ServerURL":"x","Username":"","Secret":""}'`);
  await helper(
    'broken',
    `echo 'error getting credentials - err: exit status 1, out: no session' >&2; exit 1`,
  );
  await helper('leaky', `printf '{"Username":"u","Secret":"leaked-secret"}'; exit 1`);
  // Its answer after a line of its own, then a failure: the answer is no less a secret.
  await helper(
    'chatty',
    `cat >/dev/null; echo 'warning: session refreshed'; printf '{"Username":"u","Secret":"chatty-secret"}'; exit 1`,
  );
  await helper(
    'debugging',
    `cat >/dev/null; echo 'lookup failed; request: Authorization: Basic dTpkZWJ1Zy1zZWNyZXQ= password=debug-secret' >&2; exit 1`,
  );
  // Answers with what its environment holds: the user from AWS_PROFILE, the secret from INPUT_TOKEN.
  await helper(
    'environment',
    `cat >/dev/null; printf '{"Username":"%s","Secret":"%s"}' "$AWS_PROFILE" "\${INPUT_TOKEN:-no INPUT_TOKEN}"`,
  );
  // The same, with the Actions runtime's token as the secret.
  await helper(
    'runtime',
    `cat >/dev/null; printf '{"Username":"%s","Secret":"%s"}' "$AWS_PROFILE" "\${ACTIONS_RUNTIME_TOKEN:-no runtime token}"`,
  );
  await helper('garbage', 'echo "this is not json"');
  await helper('huge', 'head -c 200000 /dev/zero | tr "\\0" a');
  // Starts a child that would outlive it, then hangs; both must be killed at the timeout.
  await helper('slow', 'sleep 60 & echo $! > "$HELPER_LOG.child"; sleep 60');
  await helper('deaf', `printf '{"Username":"u","Secret":"deaf-secret"}'`);
});

afterAll(() => rm(bin, { recursive: true, force: true }));

describe('runCredentialHelper', () => {
  const SHORT = { timeoutMs: 500 };

  it.each<[string, string, string, HelperAnswer]>([
    [
      'a username and secret',
      'good',
      'europe-docker.pkg.dev',
      {
        kind: 'found',
        credentials: { username: 'u-europe-docker.pkg.dev', password: 's3cret-europe-docker.pkg.dev' },
      },
    ],
    [
      '<token>: an identity token',
      'token',
      'x.azurecr.io',
      { kind: 'found', credentials: { identityToken: 'refresh-123' } },
    ],
    ['"credentials not found"', 'none', 'ghcr.io', { kind: 'not-found' }],
    ['an empty secret', 'empty', 'ghcr.io', { kind: 'not-found' }],
    [
      'a failure, with its message',
      'broken',
      'ghcr.io',
      {
        kind: 'failed',
        reason: 'failed (exit code 1): error getting credentials - err: exit status 1, out: no session',
      },
    ],
    [
      'a failure printing credentials (not repeated)',
      'leaky',
      'ghcr.io',
      { kind: 'failed', reason: 'failed (exit code 1)' },
    ],
    [
      'a failure printing credentials after a line of its own (not repeated)',
      'chatty',
      'ghcr.io',
      { kind: 'failed', reason: 'failed (exit code 1)' },
    ],
    [
      'a failure whose message holds credential shapes (taken out)',
      'debugging',
      'ghcr.io',
      {
        kind: 'failed',
        reason: 'failed (exit code 1): lookup failed; request: Authorization: Basic *** password=***',
      },
    ],
    [
      'output that is not JSON',
      'garbage',
      'ghcr.io',
      { kind: 'failed', reason: 'answered with something other than JSON' },
    ],
    ['output over the cap', 'huge', 'ghcr.io', { kind: 'failed', reason: 'wrote more than 65,536 bytes' }],
    ['no answer in time', 'slow', 'ghcr.io', { kind: 'failed', reason: 'timed out after 0.5 s' }],
    [
      'a helper that is not installed',
      'ecr-login',
      '1.dkr.ecr.us-east-1.amazonaws.com',
      { kind: 'failed', reason: 'is not installed (docker-credential-ecr-login was not found on PATH)' },
    ],
    [
      'a name that is a path',
      '../../bin/sh',
      'ghcr.io',
      { kind: 'failed', reason: 'is not a valid helper name' },
    ],
    [
      'a helper that never reads stdin',
      'deaf',
      'ghcr.io',
      { kind: 'found', credentials: { username: 'u', password: 'deaf-secret' } },
    ],
  ])('%s', async (_name, name, host, expected) => {
    expect(await runCredentialHelper(name, host, { env, ...SHORT })).toEqual(expected);
  });

  it("runs in the run's environment without the step's inputs, which hold the Action's token", async () => {
    const answer = await runCredentialHelper('environment', 'ghcr.io', {
      env: { ...env, AWS_PROFILE: 'ci', INPUT_TOKEN: 'ghs_the_actions_token', INPUT_DRY_RUN: 'false' },
    });
    expect(answer).toEqual({ kind: 'found', credentials: { username: 'ci', password: 'no INPUT_TOKEN' } });
  });

  it('runs without the Actions runtime, which the runner gives this Action and no run: step', async () => {
    const answer = await runCredentialHelper('runtime', 'ghcr.io', {
      env: {
        ...env,
        AWS_PROFILE: 'ci',
        ACTIONS_RUNTIME_TOKEN: 'eyJ0eXAiOiJKV1QifQ.the-runtime-token',
        ACTIONS_CACHE_URL: 'https://artifactcache.actions.githubusercontent.com/x/',
      },
    });
    expect(answer).toEqual({ kind: 'found', credentials: { username: 'ci', password: 'no runtime token' } });
  });

  it('kills what a timed-out helper started', async () => {
    await runCredentialHelper('slow', 'ghcr.io', { env, ...SHORT });
    const child = Number((await readFile(`${env.HELPER_LOG!}.child`, 'utf8')).trim());
    // Killed, it may stay a zombie until whoever inherited it reaps it: that is not running.
    const running = async () => {
      const stat = await readFile(`/proc/${child}/stat`, 'utf8').catch(() => '');
      return stat !== '' && !/^\d+ \(.*\) [ZX]/.test(stat);
    };
    let alive = await running();
    for (let i = 0; i < 50 && alive; i++) {
      await new Promise((r) => setTimeout(r, 20));
      alive = await running();
    }
    expect(alive).toBe(false);
  });

  // Windows has no process groups: process.kill(-pid) throws there, and the timed-out helper was
  // left running, which held the run's process open after the timeout until it ended, if ever.
  it('ends a timed-out helper where its process group cannot be killed (Windows)', async () => {
    const groups: number[] = [];
    const answer = await runCredentialHelper('slow', 'ghcr.io', {
      env,
      ...SHORT,
      killGroup: (pid) => {
        groups.push(pid);
        throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
      },
    });
    expect(answer).toEqual({ kind: 'failed', reason: 'timed out after 0.5 s' });
    expect(groups).toHaveLength(1);
    const [helperPid] = groups;
    const running = async () => {
      const stat = await readFile(`/proc/${helperPid}/stat`, 'utf8').catch(() => '');
      return stat !== '' && !/^\d+ \(.*\) [ZX]/.test(stat);
    };
    try {
      let alive = await running();
      for (let i = 0; i < 50 && alive; i++) {
        await new Promise((r) => setTimeout(r, 20));
        alive = await running();
      }
      expect(alive).toBe(false);
    } finally {
      // What the helper started is its own group's, which this test's helper never ended.
      try {
        process.kill(-helperPid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  });

  it("asks about Docker Hub by docker login's address, and others by host, with no newline", async () => {
    await rm(env.HELPER_LOG!, { force: true });
    await runCredentialHelper('good', 'docker.io', { env });
    await runCredentialHelper('good', 'localhost:5000', { env });
    expect(await readFile(env.HELPER_LOG!, 'utf8')).toBe('https://index.docker.io/v1/|localhost:5000|');
  });
});

describe('createCredentialLookup', () => {
  const SOURCE = '/home/runner/.docker/config.json';

  /** Parses `config`, looks up `hosts`, and returns the credentials, problems and masked secrets. */
  async function lookUp(config: object, hosts: string[]) {
    const masked: string[] = [];
    const docker = parseDockerConfig(JSON.stringify(config), (s) => masked.push(s), SOURCE);
    await rm(env.HELPER_LOG!, { force: true });
    const lookup = createCredentialLookup(docker, { env, timeoutMs: 500, maskSecret: (s) => masked.push(s) });
    for (const host of hosts) await Promise.all([lookup(host), lookup(host)]);
    const asked = await readFile(env.HELPER_LOG!, 'utf8').catch(() => '');
    return {
      credentials: Object.fromEntries(docker.credentials),
      problems: docker.problems.map((p: Problem) => p.message),
      masked,
      asked,
    };
  }

  it('runs the credHelpers helper of a host once, masks the secret, and uses what it gives', async () => {
    const result = await lookUp({ credHelpers: { 'europe-docker.pkg.dev': 'good' } }, [
      'europe-docker.pkg.dev',
      'ghcr.io',
    ]);
    expect(result).toEqual({
      credentials: {
        'europe-docker.pkg.dev': {
          username: 'u-europe-docker.pkg.dev',
          password: 's3cret-europe-docker.pkg.dev',
        },
      },
      problems: [],
      masked: ['s3cret-europe-docker.pkg.dev'],
      asked: 'europe-docker.pkg.dev|',
    });
  });

  it('prefers the helper named for a host over its auths entry, as Docker does', async () => {
    const result = await lookUp(
      { auths: { 'ghcr.io': { username: 'old', password: 'stale' } }, credHelpers: { 'ghcr.io': 'good' } },
      ['ghcr.io'],
    );
    expect(result.credentials['ghcr.io']).toEqual({ username: 'u-ghcr.io', password: 's3cret-ghcr.io' });
  });

  it.each([
    [
      'a missing helper',
      { credHelpers: { '1.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' } },
      '1.dkr.ecr.us-east-1.amazonaws.com',
      `The docker config ${SOURCE} sends 1.dkr.ecr.us-east-1.amazonaws.com to the credential helper docker-credential-ecr-login (credHelpers), which is not installed (docker-credential-ecr-login was not found on PATH); 1.dkr.ecr.us-east-1.amazonaws.com is read anonymously.`,
    ],
    [
      'a failing helper',
      { credHelpers: { 'gcr.io': 'broken' } },
      'gcr.io',
      `The docker config ${SOURCE} sends gcr.io to the credential helper docker-credential-broken (credHelpers), which failed (exit code 1): error getting credentials - err: exit status 1, out: no session; gcr.io is read anonymously.`,
    ],
    [
      'a helper with nothing for the host it is named for',
      { credHelpers: { 'gcr.io': 'none' } },
      'gcr.io',
      `The docker config ${SOURCE} sends gcr.io to the credential helper docker-credential-none (credHelpers), which has no credentials for it; gcr.io is read anonymously.`,
    ],
    [
      'a timed-out store with a host logged in through it (its credsStore warning names the file)',
      { auths: { 'ghcr.io': {} }, credsStore: 'slow' },
      'ghcr.io',
      `The docker config ${SOURCE} sends ghcr.io to the credential store docker-credential-slow (credsStore), which timed out after 0.5 s; ghcr.io is read anonymously.`,
    ],
    [
      'a store with nothing for a host logged in through it',
      { auths: { 'ghcr.io': {} }, credsStore: 'none' },
      'ghcr.io',
      `The docker config ${SOURCE} sends ghcr.io to the credential store docker-credential-none (credsStore), which has no credentials for it; ghcr.io is read anonymously.`,
    ],
    [
      'a failing helper, with an auths entry to fall back on',
      { auths: { 'gcr.io': { username: 'me', password: 'pw' } }, credHelpers: { 'gcr.io': 'garbage' } },
      'gcr.io',
      `The docker config ${SOURCE} sends gcr.io to the credential helper docker-credential-garbage (credHelpers), which answered with something other than JSON; its "auths" entry is used instead.`,
    ],
  ])('warns, naming the file, helper and host: %s', async (_name, config, host, message) => {
    const result = await lookUp(config, [host]);
    expect(result.problems).toEqual([message]);
    const fallback = (config as { auths?: Record<string, unknown> }).auths?.[host];
    expect(result.credentials).toEqual(
      fallback && Object.keys(fallback).length > 0 ? { [host]: fallback } : {},
    );
  });

  it('asks the credsStore about registries without auths credentials, quietly when it has none', async () => {
    const result = await lookUp(
      { auths: { 'registry.example.com': { username: 'me', password: 'pw' } }, credsStore: 'good' },
      ['registry.example.com', 'docker.io'],
    );
    expect(result.asked).toBe('https://index.docker.io/v1/|');
    expect(result.credentials['docker.io']).toEqual({
      username: 'u-https://index.docker.io/v1/',
      password: 's3cret-https://index.docker.io/v1/',
    });
    const quiet = await lookUp({ credsStore: 'none' }, ['docker.io', 'quay.io']);
    expect([quiet.credentials, quiet.problems]).toEqual([{}, []]);
  });

  it('refuses a helper name that is a path, at reading', () => {
    const { problems, helpers, store } = parseDockerConfig(
      JSON.stringify({ credHelpers: { 'ghcr.io': '../../tmp/evil' }, credsStore: '-rf' }),
      () => undefined,
      SOURCE,
    );
    expect([helpers.size, store]).toEqual([0, undefined]);
    expect(problems.map((p) => p.message)).toEqual([
      `The docker config ${SOURCE} names the credential helper "../../tmp/evil" in credHelpers["ghcr.io"], which is not a helper name (like "ecr-login"); it is not run.`,
      `The docker config ${SOURCE} names the credential helper "-rf" in credsStore, which is not a helper name (like "ecr-login"); it is not run.`,
    ]);
  });

  it('lets DOCKER_AUTH_CONFIG credentials beat a helper the file names for that host', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    try {
      await writeFile(
        join(dir, 'config.json'),
        JSON.stringify({ credHelpers: { 'ghcr.io': 'good', 'gcr.io': 'good' } }),
      );
      const docker = await readDockerConfig(() => undefined, {
        env: {
          DOCKER_CONFIG: dir,
          DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'ghcr.io': { username: 'e', password: 'p' } } }),
        },
      });
      expect([...docker.helpers.keys()]).toEqual(['gcr.io']);
      expect(docker.helpers.get('gcr.io')).toEqual({ helper: 'good', source: join(dir, 'config.json') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const gate = registryTestGate();
const describeWithRegistry = gate.available ? describe : describe.skip;

describeWithRegistry('through the registry client (real registry)', () => {
  let registry: RegistryServer;
  let tokenRegistry: RegistryServer;
  let configDir: string;
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic', users: { helped: 'from-the-helper' } });
    tokenRegistry = await startRegistry({
      auth: 'token',
      users: { helped: 'unused' },
      token: { anonymousPull: false, refreshTokens: { 'refresh-123': 'helped' } },
    });
    for (const r of [registry, tokenRegistry])
      await seedImage(r, { path: 'team/app', tags: ['1.0.0', '1.1.0'], created: '2024-01-01T00:00:00Z' });
    configDir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    // This helper gives the basic registry's user; `token` gives the identity token.
    await helper(
      'basic-registry',
      `cat >/dev/null; printf '{"ServerURL":"x","Username":"helped","Secret":"from-the-helper"}'`,
    );
  });
  afterAll(async () => {
    await Promise.all([registry?.stop(), tokenRegistry?.stop()]);
    await rm(configDir, { recursive: true, force: true });
  });

  /** Lists team/app on `host` with `config` as the docker config. */
  async function listWith(config: object, host: string, mirrors: string[] = []) {
    await writeFile(join(configDir, 'config.json'), JSON.stringify(config));
    const masked: string[] = [];
    const settings = parseSettings((name) => (name === 'registry-mirrors' ? mirrors.join('\n') : undefined));
    const setup = await setUpRegistry(settings, {
      maskSecret: (s) => masked.push(s),
      onNotice: () => undefined,
      env: { ...env, DOCKER_CONFIG: configDir },
      loginAdvice: (at) => `run docker login ${at}`,
    });
    const tags = await setup.client.listTags(`${host}/team/app`).catch((e: Error) => e.message);
    return { tags, problems: setup.problems.map((p) => p.message), masked };
  }

  it('reads a registry with the username and secret its credHelpers helper gives, and masks the secret', async () => {
    const result = await listWith({ credHelpers: { [registry.host]: 'basic-registry' } }, registry.host);
    expect(result).toEqual({ tags: ['1.0.0', '1.1.0'], problems: [], masked: ['from-the-helper'] });
  });

  it('exchanges the identity token a <token> answer gives (credsStore)', async () => {
    const result = await listWith(
      { auths: { [tokenRegistry.host]: {} }, credsStore: 'token' },
      tokenRegistry.host,
    );
    expect(result.tags).toEqual(['1.0.0', '1.1.0']);
    expect(result.masked).toContain('refresh-123');
  });

  it("looks a mirror's credentials up by the mirror's host", async () => {
    const result = await listWith(
      { credHelpers: { [registry.host]: 'basic-registry' } },
      'registry.example.com',
      [`registry.example.com=${registry.url}`],
    );
    expect(result.tags).toEqual(['1.0.0', '1.1.0']);
  });

  it('reads anonymously, with a warning naming the helper and host, when the helper is missing', async () => {
    const result = await listWith({ credHelpers: { [registry.host]: 'missing' } }, registry.host);
    // Not "no credentials were found: log in": the warning says what is wrong.
    expect(result.tags).toBe(
      `authentication failed for the tag list of ${registry.host}/team/app (the credentials configured for ` +
        `${registry.host} could not be read: the warning about the Docker config says why; registries also ` +
        'answer 401 for repositories that do not exist): UNAUTHORIZED authentication required',
    );
    expect(result.problems).toEqual([
      expect.stringContaining(
        `sends ${registry.host} to the credential helper docker-credential-missing (credHelpers), which is not installed`,
      ),
    ]);
  });

  it.each<[string, (host: string) => object, (host: string) => string]>([
    // docker config, what the parentheses of the 401 say
    [
      'an auth value that is not base64 of user:password',
      (host) => ({ auths: { [host]: { auth: Buffer.from('nocolon').toString('base64') } } }),
      (host) =>
        `the credentials configured for ${host} could not be read: the warning about the Docker config says why`,
    ],
    // A helper with nothing for the host: none were found, truly, and the shell's advice follows.
    [
      'a helper with nothing for the host',
      (host) => ({ credHelpers: { [host]: 'none' } }),
      (host) => `no credentials for ${host} were found: run docker login ${host}`,
    ],
    [
      'no credentials at all',
      () => ({}),
      (host) => `no credentials for ${host} were found: run docker login ${host}`,
    ],
  ])('a 401 after %s', async (_name, config, says) => {
    const result = await listWith(config(registry.host), registry.host);
    expect(result.tags).toMatch(
      `authentication failed for the tag list of ${registry.host}/team/app (${says(registry.host)}; registries`,
    );
  });
});

describe('secrets a helper gives are redacted from what registries say', () => {
  let server: Server;
  let host: string;
  const SECRET = 'helper-pa55word-4e1f';
  beforeAll(async () => {
    // A registry that asks for Basic credentials and then echoes them in an error body.
    server = createServer((req, res) => {
      const authorization = req.headers.authorization;
      if (!authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="echo"' });
        res.end();
        return;
      }
      const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8');
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error for ${decoded.replace(':', ' with password ')}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    await helper('echoed', `cat >/dev/null; printf '{"Username":"someone","Secret":"${SECRET}"}'`);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('an error body echoing the password is redacted in the problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
    try {
      await writeFile(join(dir, 'config.json'), JSON.stringify({ credHelpers: { [host]: 'echoed' } }));
      const setup = await setUpRegistry(
        parseSettings(() => undefined),
        {
          maskSecret: () => undefined,
          onNotice: () => undefined,
          env: { ...env, DOCKER_CONFIG: dir },
        },
      );
      const message = await setup.client.listTags(`${host}/team/app`).then(
        () => 'listed',
        (e: Error) => e.message,
      );
      expect(message).toMatch(/500/);
      expect(message).toContain('someone');
      expect(message).not.toContain(SECRET);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
