/**
 * End to end: the README's workflows, run as a team adopting the Action would copy them. Each
 * recipe's step (its `with:` as the README writes it, expressions evaluated as the runner would)
 * runs the Action from its sources against a real registry and the GitHub stand-in, on a checkout
 * holding the README's own HelmRelease example, with a token of exactly the permissions the
 * README's job grants; what the README says the recipe does must happen. An example edited into
 * one that no longer does it fails here.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPOSITORY_ROOT } from '../../test-support/e2e/child-process.js';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import {
  startGitHubStandIn,
  WRITE_TOKEN,
  type GitHubStandIn,
  type TokenPermissions,
} from '../../test-support/github/stand-in.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry/registry-server.js';
import { seedMany } from '../../test-support/registry/seed.js';
import { e2eDescribe } from './e2e-gate.js';
import { mirrorEntries, writeFiles } from './fixture-repository.js';

const OWNER = 'acme';

const describeE2e = e2eDescribe();
const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The README section under `### heading`, up to the next heading. */
function section(heading: string): string {
  return readme.split(`\n### ${heading}\n`)[1]?.split(/\n#{2,3} /)[0] ?? '';
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

/**
 * The step running this Action in a section's (or the Quick start's) first workflow block, and the
 * permissions its job grants (undefined for a block of steps alone, which shows none).
 */
function recipeStep(text: string): { inputs: Record<string, string>; permissions?: Record<string, string> } {
  const block = yamlBlocks.find((b) => text.includes(b) && /helmrelease-image-updater@/.test(b))!;
  const isWorkflow = /^jobs:$/m.test(block);
  const doc = parse(isWorkflow ? block : `steps:\n${block}`) as {
    permissions?: Record<string, string>;
    steps?: Step[];
    jobs?: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
  };
  const [job] = Object.values(doc.jobs ?? { steps: { steps: doc.steps! } });
  const step = job!.steps.find((s) => /\/helmrelease-image-updater@/.test(s.uses ?? ''))!;
  // A dispatch's payload names the image pushed; the app token step's output is the token.
  const evaluate = (value: unknown) => String(value).replace(/\$\{\{[^}]*\}\}/g, 'ghcr.io/acme/web:1.4.0');
  const inputs = Object.fromEntries(
    Object.entries(step.with ?? {})
      .filter(([name]) => name !== 'token')
      .map(([name, value]) => [name, evaluate(value)]),
  );
  return { inputs, ...(isWorkflow ? { permissions: job!.permissions ?? doc.permissions ?? {} } : {}) };
}

const quickStart = readme.split('\n## Quick start\n')[1]!.split('\n## ')[0]!;
/** The README's HelmRelease example, and an app released with its migration job (`group-by: release`). */
const MONGODB = yamlBlocks.find((b) => quickStart.includes(b) && /^kind: HelmRelease$/m.test(b))!;
const WEB = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: semver:^1
    filter.fluxcd.io/migrations: semver:^1
spec:
  values:
    image:
      repository: ghcr.io/acme/web
      tag: 1.3.0
    migrations:
      image: ghcr.io/acme/web-migrations:1.3.0
`;
const FILES = {
  'clusters/production/data/mongodb.yaml': MONGODB,
  'apps/web/web.yaml': WEB,
};
const day = (n: number) => new Date(Date.UTC(2024, 0, n)).toISOString();

/** The pull requests' titles, labels and auto-merge. */
function pullsOf(standIn: GitHubStandIn, repo: string) {
  return standIn
    .pulls(OWNER, repo)
    .map((p) => ({ title: p.title, labels: p.labels, autoMerge: p.autoMerge?.mergeMethod ?? 'off' }));
}

describeE2e("the README's recipes, run as written", () => {
  let registry: RegistryServer;
  let standIn: GitHubStandIn;
  const temporary: string[] = [];
  let count = 0;

  beforeAll(async () => {
    [registry, standIn] = await Promise.all([startRegistry({ auth: 'open' }), startGitHubStandIn()]);
    await seedMany(registry, [
      { path: 'bitnami/mongodb', tags: ['4.0.3'], created: day(1) },
      { path: 'bitnami/mongodb', tags: ['4.0.4'], created: day(2) },
      { path: 'bitnami/mongodb', tags: ['4.1.0'], created: day(3) },
      { path: 'acme/web', tags: ['1.3.0'], created: day(1) },
      { path: 'acme/web', tags: ['1.3.1'], created: day(2) },
      { path: 'acme/web-migrations', tags: ['1.3.0'], created: day(1) },
      { path: 'acme/web-migrations', tags: ['1.3.1'], created: day(2) },
    ]);
  });

  afterAll(async () => {
    await Promise.all([registry?.stop(), standIn?.stop()]);
    for (const dir of temporary) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a recipe's step on a fresh repository, with a token of the job's permissions. */
  async function runRecipe(
    step: ReturnType<typeof recipeStep>,
    extra: Record<string, string> = {},
  ): Promise<{ run: ActionRun; repo: string }> {
    const repo = `readme-${++count}`;
    await standIn.createRepository(OWNER, repo, FILES, { allowAutoMerge: true });
    const workspace = await mkdtemp(join(tmpdir(), 'e2e-readme-'));
    temporary.push(workspace);
    await writeFiles(workspace, FILES);
    await mkdir(join(workspace, '.git'));
    let token = WRITE_TOKEN;
    if (step.permissions) {
      token = `ghs_readme_${count}`;
      const grant = (scope: string) => (step.permissions![scope] === 'write' ? 'write' : 'read');
      const permissions: TokenPermissions = {
        contents: grant('contents'),
        pull_requests: grant('pull-requests'),
        issues: grant('issues'),
      };
      standIn.addToken(token, permissions);
    }
    const run = await runAction({
      workspace,
      repository: `${OWNER}/${repo}`,
      apiUrl: standIn.url,
      token,
      inputs: { 'registry-mirrors': mirrorEntries(registry.url).join('\n'), ...step.inputs, ...extra },
      fromSource: true,
    });
    return { run, repo };
  }

  it('Quick start: opens the pull request the README names, and a missing label is a warning', async () => {
    const { run, repo } = await runRecipe(recipeStep(quickStart));
    expect(run.exitCode).toBe(0);
    const named = /The next run opens \*(.+?)\*/.exec(quickStart.replace(/\n/g, ' '))![1]!;
    expect(pullsOf(standIn, repo).map((p) => p.title)).toContain(named);
    // The Quick start grants no issues: write, and says a missing label is then a warning.
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(run.annotations.map((a) => a.message).join('\n')).toMatch(/Label "dependencies" does not exist/);
  });

  it('Dry run first: plans and summarises, and writes nothing', async () => {
    const heading = /\*(Pull requests \(dry run: none written\))\*/.exec(
      section('Dry run first').replace(/\n/g, ' '),
    )![1]!;
    standIn.clearLog();
    const { run, repo } = await runRecipe({ inputs: {} }, { 'dry-run': 'true' });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain(`### ${heading}`);
    expect(standIn.writeRequests()).toEqual([]);
    expect(standIn.pulls(OWNER, repo)).toEqual([]);
  });

  it('Check only the image just pushed: only that image gets a pull request, the rest are out of scope', async () => {
    const { run, repo } = await runRecipe(recipeStep(section('Check only the image just pushed')));
    expect(run.exitCode).toBe(0);
    expect(pullsOf(standIn, repo).map((p) => p.title)).toEqual([
      'Update ghcr.io/acme/web from 1.3.0 to 1.3.1 (apps/web)',
    ]);
    expect(run.summary).toMatch(/Out of scope.*\(2\)/);
  });

  it('Keep a dashboard issue: one issue, labelled, listing the open pull requests', async () => {
    const { run, repo } = await runRecipe(recipeStep(section('Keep a dashboard issue')));
    expect(run.exitCode).toBe(0);
    const label = /by its label `([^`]+)`/.exec(section('Keep a dashboard issue'))![1]!;
    const issues = standIn.issues(OWNER, repo);
    expect(issues.map((i) => ({ title: i.title, labels: i.labels }))).toEqual([
      { title: 'HelmRelease image updates', labels: [label] },
    ]);
    expect(issues[0]!.body).toContain('Pull requests open (3)');
  });

  it('Grouping by release: one pull request per release, titled with its count, labelled by type', async () => {
    const { run, repo } = await runRecipe(recipeStep(section('Grouping')));
    expect(run.exitCode).toBe(0);
    expect(pullsOf(standIn, repo).sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      { title: 'Update 2 images in apps/web', labels: ['update:patch'], autoMerge: 'SQUASH' },
      {
        title: 'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)',
        labels: ['update:patch'],
        autoMerge: 'SQUASH',
      },
    ]);
  });

  it('Automerge patch updates: auto-merge is on for every patch pull request, with the merge method given', async () => {
    const { run, repo } = await runRecipe(
      recipeStep(section('Automerge patch updates behind branch protection')),
    );
    expect(run.exitCode).toBe(0);
    const pulls = pullsOf(standIn, repo);
    expect(pulls).toHaveLength(3);
    expect(pulls.map((p) => p.autoMerge)).toEqual(['SQUASH', 'SQUASH', 'SQUASH']);
  });
});
