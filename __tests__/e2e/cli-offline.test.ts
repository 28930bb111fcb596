/**
 * End to end: the built CLI's offline commands, as a user runs them from a shell: `--version`,
 * `--help` within 100 columns, `explain FILE [--tags]`, and the usage mistakes around them.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../test-support/e2e/child-process.js';
import { runCli } from '../../test-support/e2e/run-cli.js';
import { e2eDescribe } from './e2e-gate.js';

const describeE2e = e2eDescribe();
const VERSION = (
  JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

describeE2e('the built CLI, offline', () => {
  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    expect(run).toMatchObject({ exitCode: 0, stdout: `helmrelease-image-updater ${VERSION}\n`, stderr: '' });
  });

  it('--help fits 100 columns and lists explain, --tags and --version', async () => {
    const run = await runCli(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line.length > 100)).toEqual([]);
    expect(run.stdout).toMatch(/^ {7}helmrelease-image-updater explain FILE /m);
    expect(run.stdout).toMatch(/^ {2}--tags \[NAME=\]a,b,c /m);
    expect(run.stdout).toMatch(/^ {2}--version /m);
  });

  it('explain FILE --tags: which tag each container would get and why newer ones were refused', async () => {
    const run = await runCli([
      'explain',
      'examples/apps/data/mongodb.yaml',
      '--tags',
      '8.0.4,8.0.5,8.1.0,9.0.0-rc.1',
      '--tags',
      '0.43.1,0.44.0,0.43.2',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      [
        '    filter semver:~8.0 (filter.fluxcd.io/chart-image, line 11)',
        '    with the given tags: update to 8.0.5 (highest version matching ~8.0)',
        '      9.0.0-rc.1 refused: a pre-release, outside ~8.0',
        '      8.1.0 refused: outside ~8.0',
      ].join('\n'),
    );
    expect(run.stdout).toContain(
      [
        '    with the given tags: update to 0.43.2 (newest build matching 0.43.*)',
        '      0.44.0 refused: does not match glob:0.43.*',
      ].join('\n'),
    );
  });

  it("prints no file content with the `yaml` package's debug variables set (LOG_TOKENS, LOG_STREAM)", async () => {
    // The package prints every token, or every document, it reads when they are set; the bundles
    // turn that off (scripts/bundle-patches.mjs): a HelmRelease's values can hold credentials.
    const args = ['explain', 'examples/apps/data/mongodb.yaml', '--tags', '8.0.4,8.0.5'];
    const [quiet, debug] = await Promise.all([
      runCli(args),
      runCli(args, { env: { LOG_TOKENS: '1', LOG_STREAM: '1' } }),
    ]);
    expect(quiet.exitCode).toBe(0);
    expect(debug).toEqual(quiet);
  });

  it.each([
    [['explain'], 'helmrelease-image-updater: explain: needs a file'],
    [['explain', 'examples/missing.yaml'], 'explain: examples/missing.yaml does not exist'],
    [['explain', 'examples/apps/data/mongodb.yaml', '--json'], '--json: explain FILE prints text only'],
    [['--tags', '1.0'], '--tags: is only for explain FILE'],
    [['--versoin'], '--versoin: unknown flag'],
  ])('%j is bad usage (exit 2)', async (args, message) => {
    const run = await runCli(args);
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toContain(message);
  });

  it('a proxy variable that is no URL, with NODE_USE_ENV_PROXY=1, stops with exit 2 and one line, without its password', async () => {
    const run = await runCli(['--dir', 'examples', '--no-cache'], {
      env: { NODE_USE_ENV_PROXY: '1', HTTPS_PROXY: 'http://runner:Secr3tPw@proxy example:3128' },
    });
    expect(run).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(/^helmrelease-image-updater: HTTPS_PROXY is not a proxy URL: [^\n]*\n$/),
    });
    expect(run.stderr).not.toContain('Secr3tPw');
  });

  it('a --docker-config that names no file stops with exit 2, naming the flag and the path', async () => {
    const run = await runCli(['--dir', 'examples', '--no-cache', '--docker-config', 'missing/config.json']);
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'helmrelease-image-updater: --docker-config: missing/config.json does not exist; give the path of a ' +
        'docker config file, or leave it out to use $DOCKER_CONFIG/config.json or ~/.docker/config.json\n',
    });
  });

  describe('a --paths pattern that matches no file', () => {
    it('stops with exit 2, naming the pattern, and asks no registry', async () => {
      const run = await runCli(['--dir', 'examples', '--paths', 'clusters/prod/**', '--no-cache']);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toContain('paths: "clusters/prod/**" matches no file in the workspace');
    });
  });
});
