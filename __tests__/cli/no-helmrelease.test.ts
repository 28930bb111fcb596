/**
 * A CLI run that finds no HelmRelease says what to check in the CLI's own terms (run from the
 * source, `src/cli.ts` under tsx): the flags and the folder it scanned, not the Action's
 * `actions/checkout`, which a user at a terminal has no job to add to.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';

/** A folder with one YAML file that is not a HelmRelease. */
let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'cli-no-helmrelease-'));
  await mkdir(join(workspace, 'apps'));
  await writeFile(join(workspace, 'apps', 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\n');
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('no HelmRelease found', () => {
  it.each<[string, string[], string]>([
    ['every YAML file', [], 'No HelmRelease found in 1 file (every *.yaml and *.yml file)'],
    ['--paths given', ['--paths', 'apps/*.yaml'], 'No HelmRelease found in 1 file (paths apps/*.yaml)'],
  ])('%s: one warning naming --paths, --dir and the folder scanned (exit 0)', async (_name, flags, found) => {
    const run = await runCliFromSource(['--dir', workspace, '--no-cache', '--json', ...flags]);
    expect(run.exitCode).toBe(0);
    const { problems } = JSON.parse(run.stdout) as { problems: { message: string; severity: string }[] };
    expect(problems).toEqual([
      {
        file: '',
        line: 0,
        severity: 'warning',
        message:
          `${found}; nothing was checked. Check --paths, and that --dir names the checkout ` +
          `to scan (this run scanned ${workspace}).`,
      },
    ]);
  });
});
