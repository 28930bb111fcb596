/**
 * The CLI run from a subfolder of a Git checkout without --dir (run from the source, `src/cli.ts`
 * under tsx). A run reads the whole workspace for what holds a release back (a kustomization, a
 * Kustomize patch, a `.flux.yaml`); from a subfolder it read only that folder, so it proposed, and
 * with --write made, the update a run from the checkout's root holds back (and that `explain`, which
 * looks for the checkout's root, showed held). It now stops and says how to run it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';

const RELEASE = [
  'apiVersion: helm.fluxcd.io/v1',
  'kind: HelmRelease',
  'metadata:',
  '  name: app',
  'spec:',
  '  chart:',
  '    repository: https://charts.example.com',
  '    name: app',
  '    version: 1.0.0',
  '  values:',
  '    image:',
  '      repository: registry.invalid/team/app',
  '      tag: 1.0.0',
  '',
].join('\n');

/** A checkout (its .git a folder) whose .flux.yaml, at its root, governs apps/sub/app.yaml. */
let checkout: string;
/** A folder no folder above which has .git. */
let plain: string;
beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'cli-checkout-subfolder-'));
  checkout = join(base, 'gitops');
  plain = join(base, 'plain');
  await mkdir(join(checkout, '.git'), { recursive: true });
  await mkdir(join(checkout, 'apps', 'sub'), { recursive: true });
  await mkdir(plain);
  await writeFile(
    join(checkout, '.flux.yaml'),
    'version: 1\npatchUpdated:\n  generators: []\n  patchFile: p.yaml\n',
  );
  await writeFile(join(checkout, 'apps', 'sub', 'app.yaml'), RELEASE);
  await writeFile(join(plain, 'app.yaml'), RELEASE);
});
afterAll(() => rm(join(checkout, '..'), { recursive: true, force: true }));

describe('run from a subfolder of a checkout', () => {
  it('without --dir: exit 2, naming the checkout and how to run it, nothing on stdout', async () => {
    const run = await runCliFromSource(['--no-cache', '--write'], { cwd: join(checkout, 'apps', 'sub') });
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toBe(
      `helmrelease-image-updater: the current folder is inside the Git checkout ${checkout}, whose ` +
        'other files can hold its HelmReleases back (a kustomization, a Kustomize patch, a .flux.yaml), ' +
        `and a run from here would not read them: run from ${checkout} (--paths 'apps/sub/**' checks ` +
        'only this folder), or give --dir . to scan this folder alone\n' +
        'Run with --help to list the flags.\n',
    );
    expect(await readFile(join(checkout, 'apps', 'sub', 'app.yaml'), 'utf8')).toBe(RELEASE);
  });

  it.each<[string, () => string, string[]]>([
    ['from the checkout root', () => checkout, []],
    ['from the subfolder with --dir .', () => join(checkout, 'apps', 'sub'), ['--dir', '.']],
    ['from a folder outside any checkout', () => plain, []],
  ])('%s: the run goes on (exit 0)', async (_name, cwd, flags) => {
    const run = await runCliFromSource(['--no-cache', '--json', ...flags], { cwd: cwd() });
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ containers: [{ release: 'app' }] });
  });
});
