/**
 * An error nothing caught (a bug) is said with its message, stack and causes, never its other
 * fields, and exits 3. Node's own report of an uncaught error prints every field: a failed
 * request's headers, a proxy's URL with its password.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNEXPECTED_FAILURE_STATUS, unexpectedFailureText } from '../../src/unexpected-failure.js';
import { REPOSITORY_ROOT, tsxLoader } from '../../test-support/e2e/child-process.js';
import { runCli } from '../../test-support/e2e/run-cli.js';

const SECRET = 's3cr3t-registry-token';

/** An error with a credential in a field of its own, as a failed request's error has. */
function failedRequest(message: string): Error {
  return Object.assign(new Error(message), { headers: { authorization: `Bearer ${SECRET}` } });
}

describe('unexpectedFailureText', () => {
  const cyclic = new Error('first', { cause: new Error('second') });
  (cyclic.cause as Error).cause = cyclic;
  it.each<[string, unknown, string[]]>([
    ['an error: its message and stack', failedRequest('disk on fire'), ['Error: disk on fire', '    at ']],
    [
      'its causes, each with its message',
      new Error('listing failed', { cause: failedRequest('EIO') }),
      ['Error: listing failed', 'caused by: Error: EIO'],
    ],
    // A thrown value is said as it is (nothing else is known of it): here it names no secret.
    ['a thrown string', 'disk on fire', ['a thrown string: disk on fire']],
    [
      'a thrown object: not its fields',
      { headers: { authorization: SECRET } },
      ['a thrown object: [object Object]'],
    ],
  ])('%s', (_name, thrown, expected) => {
    const text = unexpectedFailureText(thrown);
    expect(text.split('\n')[0]).toBe(
      'helmrelease-image-updater: unexpected failure (a bug; please report it with the lines below)',
    );
    for (const part of expected) expect(text).toContain(part);
    expect(text).not.toContain(SECRET);
  });

  it('a cause chain that is a cycle ends', () => {
    const text = unexpectedFailureText(cyclic);
    expect(text.match(/^caused by: /gm)).toHaveLength(5);
  });
});

/**
 * Runs `src/cli.ts` under tsx on `dir`, with `patch` (module text that patches node:fs) loaded
 * first: a fault the machine running the tests cannot make for real.
 */
async function runCliPatched(dir: string, patch: readonly string[], env: Record<string, string> = {}) {
  const header = ["import fs from 'node:fs';", "import { syncBuiltinESMExports } from 'node:module';"];
  const text = [...header, ...patch, 'syncBuiltinESMExports();'].join('\n');
  return runCli(['--dir', dir, '--no-cache'], {
    env,
    script: join(REPOSITORY_ROOT, 'src', 'cli.ts'),
    nodeArgs: ['--import', tsxLoader(), '--import', `data:text/javascript,${encodeURIComponent(text)}`],
  });
}

describe('the CLI, when its workspace cannot be listed', () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'cli-unexpected-'));
  });
  afterAll(() => rm(workspace, { recursive: true, force: true }));

  it.each([
    ['thrown by main() (the listing fails)', 'throw failed;'],
    ['thrown from a callback (an uncaught exception)', 'process.nextTick(() => { throw failed; });'],
    ['of a promise nobody awaited (an unhandled rejection)', 'Promise.reject(failed);'],
  ])('an error %s: exit 3, said without its fields', async (_name, fire) => {
    // Listing the root sets off an error carrying a credential in a field, before any request;
    // the credential comes from the environment, since the patch's own text is in the stack (a
    // data: URL).
    await mkdir(join(workspace, 'boom-root'), { recursive: true });
    const run = await runCliPatched(
      join(workspace, 'boom-root'),
      [
        'const readdirSync = fs.readdirSync;',
        'fs.readdirSync = (path, options) => {',
        "  if (String(path).endsWith('boom-root')) {",
        "    const failed = Object.assign(new Error('disk on fire'), { headers: { authorization: process.env.TEST_SECRET } });",
        `    ${fire}`,
        '  }',
        '  return readdirSync(path, options);',
        '};',
      ],
      { TEST_SECRET: `Bearer ${SECRET}` },
    );
    expect(run.exitCode).toBe(UNEXPECTED_FAILURE_STATUS);
    expect(run.stderr).toContain('helmrelease-image-updater: unexpected failure');
    expect(run.stderr).toContain('Error: disk on fire');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it('a --dir that cannot be listed is bad usage (exit 2), not a bug', async () => {
    // What `chmod 000` does for a user other than root (the tests may run as root, who may list it).
    await mkdir(join(workspace, 'denied-root'));
    const dir = join(workspace, 'denied-root');
    const run = await runCliPatched(dir, [
      'const denied = (path, call) =>',
      "  Object.assign(new Error(`EACCES: permission denied, ${call} '${path}'`), { code: 'EACCES' });",
      'const { readdirSync } = fs;',
      'fs.readdirSync = (path, options) => {',
      "  if (String(path).endsWith('denied-root')) throw denied(path, 'scandir');",
      '  return readdirSync(path, options);',
      '};',
      'const { opendir } = fs.promises;',
      'fs.promises.opendir = async (path, options) => {',
      "  if (String(path).endsWith('denied-root')) throw denied(path, 'opendir');",
      '  return opendir(path, options);',
      '};',
    ]);
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toBe(
      `helmrelease-image-updater: --dir: ${dir} could not be listed: EACCES: permission denied, opendir '${dir}'\n` +
        'Run with --help to list the flags.\n',
    );
  });
});
