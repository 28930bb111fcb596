/**
 * End to end: the Action's shell (src/main.ts) when GitHub refuses the dashboard issue. The warning
 * was only an annotation: the dashboard is written after the pull requests, and was written after
 * the outputs and the job summary too, so neither the `problems` output nor the summary said that
 * it failed, nor what to do. The Action runs from its source (`src/index.ts` under tsx) against the
 * real registry and the strict GitHub stand-in, so the test needs no rebuilt `dist/`.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../test-support/e2e/run-action.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry/registry-server.js';
import { seedMany } from '../../test-support/registry/seed.js';
import { helmRelease } from '../reliability/support.js';
import { e2eDescribe } from './e2e-gate.js';
import { writeFiles } from './fixture-repository.js';

/** A token that may write pull requests but not issues. */
const NO_ISSUES_TOKEN = 'ghs_stand_in_no_issues_token';

e2eDescribe()('the Action when GitHub refuses the dashboard issue', () => {
  let registry: RegistryServer;
  let standIn: GitHubStandIn;
  let files: Record<string, string>;
  const dirs: string[] = [];

  beforeAll(async () => {
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    await seedMany(registry, [
      { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
      { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
    ]);
    standIn.addToken(NO_ISSUES_TOKEN, { contents: 'write', pull_requests: 'write', issues: 'read' });
    files = { 'apps/a.yaml': helmRelease({ name: 'a', values: [`image: ${registry.host}/team/app:1.0.0`] }) };
  }, 120_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), standIn?.stop()]);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it.each<[string, string, (repo: string) => void, RegExp]>([
    [
      'created without issues: write',
      NO_ISSUES_TOKEN,
      () => undefined,
      /^The dashboard issue could not be created: the token needs `issues: write`/,
    ],
    [
      'read, GitHub failing',
      WRITE_TOKEN,
      () =>
        standIn.injectFault({
          operationId: 'issues/list-for-repo',
          kind: { status: 404, message: 'Not Found' },
        }),
      /^The dashboard issue could not be read/,
    ],
  ])(
    '%s: a warning in the annotations, the problems output and the job summary, and the pull request opens',
    async (name, token, fault, says) => {
      const repo = `gitops-${name.replace(/\W+/g, '-')}`;
      await standIn.createRepository('acme', repo, files);
      const dir = await mkdtemp(join(tmpdir(), 'e2e-dashboard-refused-'));
      dirs.push(dir);
      await writeFiles(dir, files);
      fault(repo);
      const run = await runAction({
        workspace: dir,
        repository: `acme/${repo}`,
        apiUrl: standIn.url,
        token,
        inputs: { dashboard: 'true' },
        fromSource: true,
      });
      standIn.clearFaults();
      expect(run.exitCode).toBe(0);
      expect(standIn.pulls('acme', repo).map((p) => p.state)).toEqual(['open']);
      const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
      expect(warnings).toEqual([expect.stringMatching(says)]);
      const problems = JSON.parse(run.outputs.problems!) as { message: string; severity: string }[];
      expect(problems).toEqual([expect.objectContaining({ severity: 'warning', message: warnings[0] })]);
      expect(run.summary).toContain(warnings[0]!.slice(0, 40));
    },
    120_000,
  );
});
