/**
 * End to end: the built CLI on the fixture GitOps repository with a directory nested past PATH_MAX
 * inside it (which cannot be listed, as an unreadable directory cannot): the run completes, every
 * update is still planned, and the skipped directory is a warning in the JSON problems.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../test-support/e2e/run-cli.js';
import { e2eDescribe } from './e2e-gate.js';
import { startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';
import { EXPECTED_BUMPS } from './fixture-repository.js';

const describeE2e = e2eDescribe();

describeE2e('the built CLI with a directory it cannot list', () => {
  let env: E2eEnvironment;
  let workspace: string;

  beforeAll(async () => {
    env = await startE2eEnvironment();
    workspace = await env.workspace();
  });

  afterAll(async () => {
    // rm -rf removes a tree deeper than PATH_MAX, which node:fs cannot.
    if (workspace) spawnSync('rm', ['-rf', join(workspace, 'deep')]);
    await env?.stop();
  });

  it('skips it with a warning and plans everything else', async () => {
    const segment = 'd'.repeat(250);
    const made = spawnSync(
      'bash',
      [
        '-c',
        `cd "$1" && mkdir deep && cd deep && for i in $(seq 17); do mkdir ${segment} && cd ${segment} || exit 1; done`,
        'bash',
        workspace,
      ],
      { encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    const run = await runCli([
      '--dir',
      workspace,
      '--json',
      '--no-cache',
      ...env.mirrors.flatMap((m) => ['--registry-mirrors', m]),
    ]);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout) as {
      updates: { to: string }[];
      problems: { file: string; severity: string; message: string }[];
    };
    expect(json.updates.map((u) => u.to)).toEqual(EXPECTED_BUMPS.map((b) => b.to));
    expect(json.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'warning',
          file: expect.stringMatching(/^deep\/d+\//),
          message: expect.stringMatching(
            /was not scanned \(its path is longer than the system allows \(PATH_MAX\)\)/,
          ),
        }),
      ]),
    );
  });
});
