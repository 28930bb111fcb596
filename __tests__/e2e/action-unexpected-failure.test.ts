/**
 * End to end: an error the Action did not expect, thrown from a callback or left in a promise
 * nobody awaited, fails the step with its message, stack and causes, never its other fields (a
 * request's headers), which Node's own report of it would print to the job's log.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../test-support/e2e/run-action.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { e2eDescribe } from './e2e-gate.js';

const describeE2e = e2eDescribe();

/** What the error carries in a field of its own, as a failed request's error carries its headers. */
const SECRET = 's3cr3t-registry-password';

describeE2e('the Action, on an error nothing caught', () => {
  let standIn: GitHubStandIn;
  let workspace: string;

  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    await standIn.createRepository('acme', 'gitops', { 'README.md': 'x\n' });
    workspace = await mkdtemp(join(tmpdir(), 'e2e-unexpected-'));
    await mkdir(join(workspace, '.git'));
  });

  afterAll(async () => {
    await standIn?.stop();
    await rm(workspace, { recursive: true, force: true });
  });

  it.each([
    ['thrown from a callback (an uncaught exception)', 'process.nextTick(() => { throw late; });'],
    ['of a promise nobody awaited (an unhandled rejection)', 'Promise.reject(late);'],
  ])('an error %s fails the step without its fields', async (_name, fire) => {
    // Listing the workspace sets the error off; the secret comes from the environment, since the
    // patch's own text appears in the stack (its data: URL).
    const patch = [
      "import fs from 'node:fs';",
      "import { syncBuiltinESMExports } from 'node:module';",
      'const readdirSync = fs.readdirSync;',
      'fs.readdirSync = (path, options) => {',
      `  if (String(path) === ${JSON.stringify(workspace)}) {`,
      "    const late = Object.assign(new Error('late fire'), { headers: { authorization: process.env.TEST_SECRET } });",
      `    ${fire}`,
      '  }',
      '  return readdirSync(path, options);',
      '};',
      'syncBuiltinESMExports();',
    ].join('\n');
    const run = await runAction({
      workspace,
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: { 'dry-run': 'true' },
      env: { TEST_SECRET: `Bearer ${SECRET}` },
      fromSource: true,
      nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(patch)}`],
    });
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^helmrelease-image-updater: unexpected failure .*\nError: late fire\n {4}at /);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});
