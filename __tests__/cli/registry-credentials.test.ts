/**
 * What the CLI, run from the source (`src/cli.ts` under tsx), says when a registry wants
 * credentials it does not have: `docker login` or --docker-config (a terminal has no
 * docker/login-action), and, for credentials configured but unreadable, or a Docker config that
 * cannot be read at all, the warning's word (and which file), not that none were found.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';
import { helmRelease } from '../reliability/support.js';

let server: Server;
let host: string;
let workspace: string;
let configs: string;

beforeAll(async () => {
  // A registry that asks every request for Basic credentials.
  server = createServer((_req, res) => {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="private"', 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  workspace = await mkdtemp(join(tmpdir(), 'cli-credentials-'));
  await writeFile(join(workspace, 'app.yaml'), helmRelease({ values: [`image: ${host}/private/app:1.0.0`] }));
  configs = await mkdtemp(join(tmpdir(), 'cli-credentials-config-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(workspace, { recursive: true, force: true });
  await rm(configs, { recursive: true, force: true });
});

/** A Docker config that is a folder where its file belongs: it exists, but cannot be read. */
const A_FOLDER = Symbol('a folder');

describe('a registry refusing the CLI', () => {
  it.each<
    [string, object | string | typeof A_FOLDER | undefined, boolean, (host: string, config: string) => string]
  >([
    // case, the Docker config (none: an empty $DOCKER_CONFIG; text: written as is), passed with
    // --docker-config, what it says
    [
      'no credentials',
      undefined,
      false,
      (at) =>
        `no credentials for ${at} were found: log in with \`docker login ${at}\`, or pass --docker-config with a Docker config that has credentials for it`,
    ],
    [
      'a --docker-config without them',
      { auths: {} },
      true,
      (at, config) =>
        `no credentials for ${at} were found: add credentials for ${at} to ${config} (--docker-config)`,
    ],
    [
      'a credential helper that is not installed',
      { credHelpers: { HOST: 'not-installed' } },
      true,
      (at) =>
        `the credentials configured for ${at} could not be read: the warning about the Docker config says why`,
    ],
    [
      'a --docker-config that is not JSON',
      '{"auths": {"HOST": {"auth": ',
      true,
      (at, config) =>
        `credentials for ${at} could not be read, as the Docker config ${config} could not be read: the warning about the Docker config says why`,
    ],
    [
      'a Docker config at the default place that is not JSON',
      '{"auths": {"HOST": {"auth": ',
      false,
      (at, config) =>
        `credentials for ${at} could not be read, as the Docker config ${config} could not be read: the warning about the Docker config says why`,
    ],
    [
      'a Docker config at the default place that cannot be read (a folder)',
      A_FOLDER,
      false,
      (at, config) =>
        `credentials for ${at} could not be read, as the Docker config ${config} could not be read: the warning about the Docker config says why`,
    ],
  ])('%s', async (name, config, passed, says) => {
    const dir = join(configs, name.replace(/\W+/g, '-'));
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'config.json');
    if (config === A_FOLDER) await mkdir(path, { recursive: true });
    else if (config)
      await writeFile(
        path,
        (typeof config === 'string' ? config : JSON.stringify(config)).replace('HOST', host),
      );
    const run = await runCliFromSource(
      ['--dir', workspace, '--no-cache', '--json', ...(passed ? ['--docker-config', path] : [])],
      { env: { DOCKER_CONFIG: dir, PATH: '/usr/bin:/bin' } },
    );
    // The JSON output, not the text report, which wraps its lines.
    const problems = JSON.parse(run.stdout).problems as { message: string }[];
    const text = JSON.stringify(problems);
    expect(text).toContain(
      `authentication failed for the tag list of ${host}/private/app (${says(host, path)}; registries also answer 401`,
    );
    expect(text).not.toContain('docker/login-action');
    // "the warning about the Docker config" is there.
    if (says(host, path).includes('the warning'))
      expect(problems.filter((p) => p.message.startsWith(`The docker config ${path}`))).toHaveLength(1);
  });
});
