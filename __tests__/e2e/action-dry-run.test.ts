/**
 * End to end: the built Action with `dry-run: true` and `fail-on-error: false`, with a bad input
 * and with a token that may not write, against the real registry and the strict GitHub stand-in
 * (see action.test.ts).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { READ_ONLY_TOKEN } from '../../test-support/github/stand-in.js';
import { e2eDescribe } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';
import { EXPECTED_BUMPS, EXPECTED_PROBLEMS } from './fixture-repository.js';

const describeE2e = e2eDescribe();

describeE2e('the built Action: dry run, bad input, a read-only token', () => {
  let env: E2eEnvironment;

  beforeAll(async () => {
    env = await startE2eEnvironment();
  });

  afterAll(async () => {
    await env?.stop();
  });

  describeE2e('dry-run: true, fail-on-error: false', () => {
    const repo = 'gitops-dry-run';
    let run: ActionRun;

    beforeAll(async () => {
      const workspace = await env.checkout(repo);
      env.standIn.clearLog();
      run = await env.step(repo, workspace, { 'dry-run': 'true', 'fail-on-error': 'false' });
    });

    it('succeeds and writes nothing', async () => {
      expect({ exitCode: run.exitCode }).toEqual({ exitCode: 0 });
      expect(env.standIn.writeRequests()).toEqual([]);
      expect(env.standIn.pulls(OWNER, repo)).toEqual([]);
      expect(await env.standIn.branches(OWNER, repo)).toEqual(['main']);
    });

    it('still reports the plan, the problems and the annotations', () => {
      const updates = JSON.parse(run.outputs.updates) as { container: string; to: string }[];
      expect(updates.map((u) => [u.container, u.to])).toEqual(EXPECTED_BUMPS.map((b) => [b.container, b.to]));
      expect(JSON.parse(run.outputs.problems)).toEqual(
        EXPECTED_PROBLEMS.map((p) => ({ ...p, message: expect.stringMatching(p.message) })),
      );
      expect(run.summary).toContain('## HelmRelease image updates (dry run)');
      expect(run.annotations.filter((a) => a.file).map((a) => [a.level, a.file, a.line])).toEqual(
        EXPECTED_PROBLEMS.map((p) => [p.severity, p.file, p.line]),
      );
      // Not failed: no file-less ::error:: from setFailed.
      expect(run.annotations.filter((a) => !a.file)).toEqual([]);
    });
  });

  it("never trusts a cache file the Actions cache did not restore (a temp folder shared with another run's)", async () => {
    const repo = 'gitops-shared-temp';
    const workspace = await env.checkout(repo);
    const runnerTemp = await mkdtemp(join(tmpdir(), 'e2e-runner-temp-'));
    try {
      const step = () =>
        runAction({
          workspace,
          repository: `${OWNER}/${repo}`,
          apiUrl: env.standIn.url,
          runnerTemp,
          inputs: { 'registry-mirrors': env.mirrors.join('\n'), 'dry-run': 'true', 'fail-on-error': 'false' },
        });
      const first = await step();
      // The first run left its file (with tag digests it would trust for an hour) in the folder.
      const file = join(runnerTemp, 'helmrelease-image-updater', 'digests.json');
      const left = JSON.parse(await readFile(file, 'utf8')) as { tags: Record<string, unknown> };
      expect(Object.keys(left.tags).length).toBeGreaterThan(0);
      const second = await step();
      expect(second.stdout).not.toMatch(/tag digests came from the digest cache/);
      expect(second.outputs.updates).toEqual(first.outputs.updates);
    } finally {
      await rm(runnerTemp, { recursive: true, force: true });
    }
  });

  it('runs without a cache, and saves none, when a directory is where the cache file goes', async () => {
    const repo = 'gitops-cache-directory';
    const workspace = await env.checkout(repo);
    const runnerTemp = await mkdtemp(join(tmpdir(), 'e2e-runner-temp-'));
    try {
      const path = join(runnerTemp, 'helmrelease-image-updater', 'digests.json');
      await mkdir(join(path, 'planted'), { recursive: true });
      const run = await runAction({
        workspace,
        repository: `${OWNER}/${repo}`,
        apiUrl: env.standIn.url,
        runnerTemp,
        inputs: { 'registry-mirrors': env.mirrors.join('\n'), 'dry-run': 'true', 'fail-on-error': 'false' },
      });
      expect({ exitCode: run.exitCode, failures: run.annotations.filter((a) => !a.file) }).toEqual({
        exitCode: 0,
        failures: [],
      });
      expect(run.stdout).toContain(
        `The digest cache path ${path} is a directory, not a file; it is left alone`,
      );
      const updates = JSON.parse(run.outputs.updates) as { to: string }[];
      expect(updates.map((u) => u.to)).toEqual(EXPECTED_BUMPS.map((b) => b.to));
      expect(await readdir(path)).toEqual(['planted']);
    } finally {
      await rm(runnerTemp, { recursive: true, force: true });
    }
  });

  it('fails fast on a bad input, naming it, and calls GitHub not at all', async () => {
    const workspace = await env.checkout('gitops-bad-input');
    env.standIn.clearLog();
    const run = await env.step('gitops-bad-input', workspace, { 'group-by': 'everything' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringContaining('Input "group-by"') }),
    ]);
    expect(env.standIn.requests).toEqual([]);
  });

  it('fails with an actionable message when the token may not write, after publishing the plan', async () => {
    const workspace = await env.checkout('gitops-read-only');
    env.standIn.clearLog();
    const run = await env.step('gitops-read-only', workspace, {}, { token: READ_ONLY_TOKEN });
    expect(run.exitCode).toBe(1);
    expect(env.standIn.pulls(OWNER, 'gitops-read-only')).toEqual([]);
    expect(env.standIn.writeRequests().filter((r) => r.status < 400)).toEqual([]);
    const refusal = expect.stringMatching(/403 .*"contents: write".*permissions/);
    expect(run.annotations).toEqual([
      ...EXPECTED_PROBLEMS.map((p) =>
        expect.objectContaining({ level: p.severity, file: p.file, line: p.line }),
      ),
      { level: 'error', message: refusal },
    ]);
    const updates = JSON.parse(run.outputs.updates) as { to: string; pullRequest?: unknown }[];
    expect(updates.map((u) => u.to)).toEqual(EXPECTED_BUMPS.map((b) => b.to));
    expect(updates.filter((u) => u.pullRequest)).toEqual([]);
    expect(JSON.parse(run.outputs['pull-requests'])).toEqual([]);
    expect(JSON.parse(run.outputs.problems)).toEqual([
      ...EXPECTED_PROBLEMS.map((p) => ({ ...p, message: expect.stringMatching(p.message) })),
      { file: '', line: 0, severity: 'error', message: refusal },
    ]);
    expect(run.summary).toContain('contents: write');
  });

  it('made only requests valid for the GitHub OpenAPI description', () => {
    expect(env.standIn.violations).toEqual([]);
  });
});
