/**
 * The CLI takes the Action's pull-request inputs as flags, so a workflow's settings can be tried
 * locally: one of them left without effect by another is the same warning there (run from the
 * source, `src/cli.ts` under tsx). The release is not automated, so no registry is asked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'cli-ineffective-inputs-'));
  await writeFile(
    join(workspace, 'web.yaml'),
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: web}\n' +
      'spec:\n  values:\n    image: nginx:1.25.0\n',
  );
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('an input another input leaves without effect', () => {
  it('--dashboard-title without --dashboard is a warning in the problems (exit 0)', async () => {
    const run = await runCliFromSource([
      '--dir',
      workspace,
      '--no-cache',
      '--json',
      '--dashboard-title',
      'Staging',
    ]);
    expect(run.exitCode).toBe(0);
    const { problems } = JSON.parse(run.stdout) as { problems: unknown[] };
    expect(problems).toEqual([
      {
        file: '',
        line: 0,
        severity: 'warning',
        message:
          'dashboard-title: "Staging" has no effect with dashboard: false; remove it, or set dashboard: true',
      },
    ]);
  });
});
