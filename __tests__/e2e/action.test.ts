/**
 * End to end: the built Action (`dist/index.js`) runs as a child process exactly as the Actions
 * runner runs it (`test-support/e2e/run-action.ts`), against a real distribution registry and the
 * strict GitHub stand-in, over the fixture GitOps repository in `__tests__/fixtures/e2e/gitops`.
 * The dry run and the CLI are in their own files, so jest runs them beside this one: the first
 * run here takes most of the time, because the Action spaces its writes out as GitHub advises
 * (1 s between writes, 3 s between pull request creations). The first and second run happen under
 * each Node runtime of the Action (the tests' own and Node 24, the runner's; not Node 22, which only
 * the CLI runs on: see test-support/e2e/node-runtimes.ts), each on its own repository in the stand-in.
 *
 * Build first (`npm run build`): these tests run the bundles, not the sources.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parseMarker } from '../../src/plan/pull-request-text.js';
import { UPDATE_TYPES, type UpdateType } from '../../src/update.js';
import { REPOSITORY_ROOT } from '../../test-support/e2e/child-process.js';
import type { ActionRun } from '../../test-support/e2e/run-action.js';
import {
  parseAnnotations,
  parseOutputFile,
  readActionMetadata,
} from '../../test-support/e2e/workflow-commands.js';
import type { GitHubStandIn } from '../../test-support/github/stand-in.js';
import type { NodeRuntime } from '../../test-support/e2e/node-runtimes.js';
import { e2eDescribe, e2eRuntimes } from './e2e-gate.js';
import { OWNER, startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';
import {
  describeLineChange,
  EXPECTED_BUMPS,
  EXPECTED_PROBLEMS,
  reportedFields,
} from './fixture-repository.js';

const PREFIX = 'helmrelease-image-updater/';
const describeE2e = e2eDescribe();

// The workflow-command parsers the harness relies on, against the formats @actions/core writes.
describe('workflow command parsing', () => {
  it.each([
    [
      '::warning file=a/b.yaml,line=12,title=helmrelease-image-updater::bad YAML',
      {
        level: 'warning',
        file: 'a/b.yaml',
        line: 12,
        title: 'helmrelease-image-updater',
        message: 'bad YAML',
      },
    ],
    [
      '::error file=x%2Cy.yaml,line=3::a%3Ab, 100%25%0Anext',
      { level: 'error', file: 'x,y.yaml', line: 3, message: 'a%3Ab, 100%\nnext' },
    ],
    ['::error::failed', { level: 'error', message: 'failed' }],
    ['::notice title=t::hello', { level: 'notice', title: 't', message: 'hello' }],
  ])('%s', (line, expected) => {
    expect(parseAnnotations(`some log\n${line}\n::group::x\n`)).toEqual([expected]);
  });

  it('reads heredoc and name=value outputs', () => {
    const text = 'a<<ghadelimiter_1\n[1,\n2]\nghadelimiter_1\nb=plain\nc<<EOF\n\nEOF\n';
    expect(parseOutputFile(text)).toEqual({ a: '[1,\n2]', b: 'plain', c: '' });
  });
});

/** The list items under a summary heading (`### Pull requests`), or in a `<details>` by its summary text. */
function summaryItems(summary: string, heading: string): string[] {
  const start = summary.indexOf(heading);
  if (start < 0) return [];
  const rest = summary.slice(start + heading.length);
  const end = rest.search(/\n(### |<details>|<\/details>)/);
  return (end < 0 ? rest : rest.slice(0, end))
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.replace(/<[^>]+>/g, ' ').replace(/\\/g, ''));
}

/** A readable failure when a step did something unexpected. */
function explain(run: ActionRun): string {
  return `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** A first run of the Action on a fresh repository, with what it started from. */
interface FirstRun {
  workspace: string;
  baseBefore: string | undefined;
  first: ActionRun;
}

describeE2e('the built Action on a GitOps repository', () => {
  let env: E2eEnvironment;
  let standIn: GitHubStandIn;
  // The runner's runtime (node24) and the tests' own: the same scenario, each on its own repository.
  const runtimes = e2eRuntimes('action');
  const repoOf = (runtime: NodeRuntime): string => `gitops-${runtime.id}`;
  const firstRuns = new Map<string, Promise<FirstRun>>();

  async function runFirst(runtime: NodeRuntime): Promise<FirstRun> {
    const repo = repoOf(runtime);
    const workspace = await env.checkout(repo);
    const baseBefore = await standIn.branchSha(OWNER, repo, 'main');
    const first = await env.step(repo, workspace, {}, { node: runtime.execPath });
    return { workspace, baseBefore, first };
  }

  beforeAll(async () => {
    env = await startE2eEnvironment();
    standIn = env.standIn;
    // Every runtime's first run at once: each mostly waits out GitHub's advised spacing of writes
    // (about 25 s), so one after the other would add that much per runtime. All end before any test
    // runs, so a second run's request log holds its own requests only.
    for (const { runtime } of runtimes) {
      if (runtime.unavailable === undefined) firstRuns.set(runtime.id, runFirst(runtime));
    }
    await Promise.allSettled(firstRuns.values());
  });

  afterAll(async () => {
    await env?.stop();
  });

  for (const { runtime, describe: describeUnder } of runtimes) {
    describeUnder(`Action under ${runtime.label}: a first run, then a second one`, () => {
      const repo = repoOf(runtime);
      let workspace: string;
      let first: ActionRun;
      let baseBefore: string | undefined;

      beforeAll(async () => {
        ({ workspace, baseBefore, first } = await firstRuns.get(runtime.id)!);
      });

      /** The pull request of a bump, found by its marker. */
      const pullOf = (bump: (typeof EXPECTED_BUMPS)[number]) =>
        standIn.pulls(OWNER, repo).find((p) => {
          const marked = parseMarker(p.body)?.updates[0];
          return marked?.release === bump.release && marked.container === bump.container;
        });

      it('fails the step (fail-on-error) because one image could not be checked, after writing the PRs', () => {
        expect({ exitCode: first.exitCode, log: first.exitCode === 1 ? '' : explain(first) }).toEqual({
          exitCode: 1,
          log: '',
        });
        expect(first.annotations).toContainEqual(
          expect.objectContaining({ level: 'error', message: expect.stringMatching(/could not be checked/) }),
        );
        expect(standIn.pulls(OWNER, repo)).toHaveLength(EXPECTED_BUMPS.length);
      });

      it('opens one pull request per bump, with a title, the change and the marker', () => {
        for (const bump of EXPECTED_BUMPS) {
          const pull = pullOf(bump);
          const title = `Update ${bump.written} from ${bump.from} to ${bump.to} (${bump.release})`;
          expect({ found: pull !== undefined, title: pull?.title }).toEqual({ found: true, title });
          expect(pull).toMatchObject({
            state: 'open',
            base: 'main',
            head: expect.stringMatching(`^${PREFIX}`),
          });
          expect(pull!.body).toContain(`from \`${bump.from}\` to \`${bump.to}\``);
          expect(parseMarker(pull!.body)).toMatchObject({
            branch: pull!.head,
            updates: [
              {
                file: bump.file,
                release: bump.release,
                container: bump.container,
                repository: bump.repository,
                from: bump.from,
                to: bump.to,
              },
            ],
          });
        }
      });

      it.each(EXPECTED_BUMPS.map((b) => [`${b.release} ${b.container}`, b] as const))(
        'changes only the tag bytes on the branch of %s',
        async (_name, bump) => {
          const pull = pullOf(bump);
          const diff = await standIn.diff(OWNER, repo, 'main', pull!.head);
          expect(Object.keys(diff)).toEqual([bump.file]);
          const { before, after } = diff[bump.file];
          expect(describeLineChange(before!, after!, bump.line, bump.after)).toBe('');
        },
      );

      it('leaves the base branch alone and creates only the pull request branches', async () => {
        expect(await standIn.branchSha(OWNER, repo, 'main')).toBe(baseBefore);
        const branches = await standIn.branches(OWNER, repo);
        expect(branches.filter((b) => b !== 'main')).toHaveLength(EXPECTED_BUMPS.length);
        expect(branches.every((b) => b === 'main' || b.startsWith(PREFIX))).toBe(true);
      });

      it('sets the updates output', () => {
        const updates = JSON.parse(first.outputs.updates) as Record<string, unknown>[];
        const pulls = standIn.pulls(OWNER, repo);
        expect(updates).toEqual(
          EXPECTED_BUMPS.map((b) => {
            const pull = pulls.find(
              (p) => parseMarker(p.body)?.updates[0].container === b.container && p.title.includes(b.release),
            )!;
            return expect.objectContaining({
              ...reportedFields(b),
              pullRequest: {
                number: pull.number,
                url: expect.stringMatching(new RegExp(`/${OWNER}/${repo}/pull/${pull.number}$`)),
                branch: pull.head,
                action: 'created',
              },
            });
          }),
        );
      });

      it('sets exactly the outputs action.yml declares', () => {
        const declared = Object.keys(readActionMetadata(join(REPOSITORY_ROOT, 'action.yml')).outputs);
        expect(Object.keys(first.outputs).sort()).toEqual(declared.sort());
      });

      it('sets the pull-requests and problems outputs', () => {
        const pullRequests = JSON.parse(first.outputs['pull-requests']) as {
          number: number;
          action: string;
        }[];
        expect(pullRequests.map((p) => p.action)).toEqual(EXPECTED_BUMPS.map(() => 'created'));
        expect(pullRequests.map((p) => p.number).sort()).toEqual(
          standIn
            .pulls(OWNER, repo)
            .map((p) => p.number)
            .sort(),
        );
        expect(JSON.parse(first.outputs.problems)).toEqual(
          EXPECTED_PROBLEMS.map((p) => ({ ...p, message: expect.stringMatching(p.message) })),
        );
      });

      it('annotates every problem at its file and line', () => {
        const located = first.annotations.filter((a) => a.file !== undefined);
        expect(located).toEqual(
          EXPECTED_PROBLEMS.map((p) =>
            expect.objectContaining({
              level: p.severity,
              file: p.file,
              line: p.line,
              message: expect.stringMatching(p.message),
            }),
          ),
        );
      });

      it('writes a job summary with every container and the problems', () => {
        expect(first.summary).toContain('## HelmRelease image updates');
        const url = (file: string, line: number) =>
          `(https://github.com/${OWNER}/${repo}/blob/${first.env.GITHUB_SHA ?? 'HEAD'}/${file}#L${line})`;
        const opened = summaryItems(first.summary, '### Pull requests');
        expect(opened).toHaveLength(EXPECTED_BUMPS.length);
        // Grouped by update type, riskiest first; in the writer's order within a group.
        const byType = [...EXPECTED_BUMPS].sort(
          (a, b) => UPDATE_TYPES.indexOf(a.type as UpdateType) - UPDATE_TYPES.indexOf(b.type as UpdateType),
        );
        byType.forEach((b, i) => {
          expect(opened[i]).toMatch(/^- \[#\d+\]\(http[^)]+\) opened: /);
          expect(opened[i]).toContain(` ${b.repository}  ${b.from} → **${b.to}** (${b.type})`);
          expect(opened[i]).toContain(`) · ${b.release} (${b.container}) · `);
          expect(opened[i]).toContain(`[${b.file}:${b.line}]${url(b.file, b.line)}`);
        });
        // Image first, as on the dashboard: image · release (container) · file, then why.
        expect(summaryItems(first.summary, '### Locked')).toEqual([
          expect.stringMatching(
            /^- +\S+:6\.0\.0 +· apps\/cache \(chart-image\) · \[.+\]\(.+\) +locked \(fluxcd\.io\/locked: "true"\)/,
          ),
        ]);
        expect(summaryItems(first.summary, '<b>Not automated')).toEqual([
          expect.stringMatching(/^- +\S+:6\.0\.0 +· apps\/sessions \(chart-image\) · /),
        ]);
        const problems = summaryItems(first.summary, '### Problems');
        expect(problems).toEqual(
          [...EXPECTED_PROBLEMS]
            .sort((x, y) => (x.severity === y.severity ? 0 : x.severity === 'error' ? -1 : 1))
            .map((p) =>
              expect.stringContaining(
                `${p.severity === 'error' ? '**Error**' : 'Warning'} [${p.file}:${p.line}]${url(p.file, p.line)}`,
              ),
            ),
        );
      });

      it('writes nothing to stderr: no deprecation or other warning in the Actions log', () => {
        expect(first.stderr).toBe('');
      });

      it('names the run that wrote each pull request, linked with its workflow', () => {
        for (const pull of standIn.pulls(OWNER, repo)) {
          expect(pull.body).toContain(
            `Last written by [run 1](https://github.com/${OWNER}/${repo}/actions/runs/1000) of the [Update images](https://github.com/${OWNER}/${repo}/actions/workflows/update-images.yml) workflow.`,
          );
        }
      });

      it('makes no write call on a second run, which does not rename the pull requests to itself, and reports them unchanged', async () => {
        standIn.clearLog();
        const second = await env.step(
          repo,
          workspace,
          {},
          { node: runtime.execPath, run: { id: '1001', number: '2' } },
        );
        expect({ exitCode: second.exitCode, stderr: second.stderr }).toEqual({ exitCode: 1, stderr: '' });
        expect(standIn.writeRequests()).toEqual([]);
        const pullRequests = JSON.parse(second.outputs['pull-requests']) as { action: string }[];
        expect(pullRequests.map((p) => p.action)).toEqual(EXPECTED_BUMPS.map(() => 'unchanged'));
        expect(standIn.pulls(OWNER, repo)).toHaveLength(EXPECTED_BUMPS.length);
      });
    });
  }

  it('every request the Action made was valid for the GitHub OpenAPI description', () => {
    expect(standIn.violations).toEqual([]);
  });

  it('declares runs.main as the built Action', () => {
    expect(readActionMetadata(join(REPOSITORY_ROOT, 'action.yml')).runs.main).toBe('dist/index.js');
  });
});
