/**
 * End to end: the built Action reads a private registry with the credentials a Docker credential
 * helper gives (a shell script on PATH, as `gcloud auth configure-docker` or the ECR helper set up
 * would be), masks the helper's secret before anything else is written, writes it nowhere, and
 * turns a missing helper into a warning naming the helper and the registry.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { seedMany, startRegistry, type RegistryServer } from '../../test-support/registry/index.js';
import { helmRelease } from '../reliability/support.js';
import { e2eDescribe } from './e2e-gate.js';

const describeE2e = e2eDescribe();
const SECRET = 'Helper-Secret-5b9e2d71';

describeE2e('the built Action with a Docker credential helper', () => {
  let registry: RegistryServer;
  let standIn: GitHubStandIn;
  let dir: string;

  /** Runs the Action on a one-release repository with `credHelpers` naming `helper` for the registry. */
  async function runWith(repo: string, helper: string): Promise<ActionRun> {
    const workspace = join(dir, repo);
    const files = {
      'apps/app.yaml': helmRelease({ name: 'app', values: [`image: ${registry.host}/team/app:1.0.0`] }),
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(workspace, path)), { recursive: true });
      await writeFile(join(workspace, path), text);
    }
    await standIn.createRepository('acme', repo, files);
    const dockerConfig = join(dir, `${repo}-docker`);
    await mkdir(dockerConfig, { recursive: true });
    await writeFile(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ credHelpers: { [registry.host]: helper } }),
    );
    return runAction({
      workspace,
      repository: `acme/${repo}`,
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: { 'fail-on-error': 'false' },
      env: { DOCKER_CONFIG: dockerConfig, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` },
    });
  }

  beforeAll(async () => {
    [registry, standIn] = await Promise.all([
      startRegistry({ auth: 'basic', users: { helped: SECRET } }),
      startGitHubStandIn(),
    ]);
    await seedMany(registry, [
      { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
      { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
    ]);
    dir = await mkdtemp(join(tmpdir(), 'e2e-credential-helpers-'));
    const helper = join(dir, 'bin', 'docker-credential-e2e');
    await mkdir(dirname(helper), { recursive: true });
    await writeFile(
      helper,
      `#!/bin/sh\ncat >/dev/null\nprintf '{"ServerURL":"x","Username":"helped","Secret":"${SECRET}"}'\n`,
    );
    await chmod(helper, 0o755);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), standIn?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the registry with the helper, masks its secret, and writes it nowhere', async () => {
    const run = await runWith('gitops-helper', 'e2e');
    expect({ exitCode: run.exitCode, annotations: run.annotations }).toEqual({
      exitCode: 0,
      annotations: [],
    });
    const updates = JSON.parse(run.outputs.updates) as { from: string; to: string }[];
    expect(updates.map((u) => `${u.from} -> ${u.to}`)).toEqual(['1.0.0 -> 1.1.0']);
    expect(standIn.pulls('acme', 'gitops-helper')).toHaveLength(1);
    const lines = run.stdout.split('\n');
    const mask = lines.indexOf(`::add-mask::${SECRET}`);
    expect(mask).toBeGreaterThanOrEqual(0);
    const forms = [
      SECRET,
      Buffer.from(`helped:${SECRET}`).toString('base64'),
      Buffer.from(SECRET).toString('base64'),
      encodeURIComponent(SECRET),
    ];
    const places = {
      stdout: lines.filter((l) => !l.startsWith('::add-mask::')).join('\n'),
      stderr: run.stderr,
      outputs: JSON.stringify(run.outputs),
      summary: run.summary,
      pulls: JSON.stringify(standIn.pulls('acme', 'gitops-helper')),
    };
    const leaks = Object.entries(places).flatMap(([place, text]) =>
      forms.filter((form) => text.includes(form)).map((form) => `${form} in ${place}`),
    );
    expect(leaks).toEqual([]);
  });

  it('warns, naming the helper and the registry, when the helper is not installed; the run completes', async () => {
    const run = await runWith('gitops-no-helper', 'ecr-login');
    expect(run.exitCode).toBe(0);
    expect(run.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'warning',
          message: expect.stringContaining(
            `sends ${registry.host} to the credential helper docker-credential-ecr-login (credHelpers), which is not installed (docker-credential-ecr-login was not found on PATH); ${registry.host} is read anonymously.`,
          ),
        }),
        expect.objectContaining({ level: 'error', message: expect.stringMatching(/authentication failed/) }),
      ]),
    );
    expect(standIn.pulls('acme', 'gitops-no-helper')).toEqual([]);
  });
});
