/**
 * The bench's GitHub phase (issue 17): the pull request writer against the GitHub stand-in with
 * 10, 100 and 500 open pull requests (one file each), counting requests and wall time for the
 * first run (every pull request opened), an unchanged re-run, and a re-run after the base branch
 * changed one pull request's file. The stand-in answers on 127.0.0.1 from real git repositories,
 * so wall times are the writer's and the stand-in's work, with no network latency.
 */
import { performance } from 'node:perf_hooks';
import { createGitHubClient } from '../../src/github/octokit.js';
import { writePullRequests } from '../../src/github/pull-request-writer.js';
import { groupUpdates } from '../../src/plan/branch-name.js';
import type { Update } from '../../src/plan/types.js';
import { WRITE_TOKEN, startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const OWNER = 'bench';
const PREFIX = 'helmrelease-image-updater/';

/** One run's figures. */
export interface GitHubRun {
  requests: number;
  writes: number;
  ms: number;
}

/** The figures for one fleet size. */
export interface GitHubResult {
  pulls: number;
  first: GitHubRun;
  unchanged: GitHubRun;
  baseChanged: GitHubRun;
}

/** The stand-in edit: appends the new tag as a comment (the files hold no HelmRelease). */
function appendTag(_file: string, text: string, updates: readonly Update[]): { ok: true; text: string } {
  return { ok: true, text: `${text}${updates.map((u) => `# ${u.container}: ${u.to}\n`).join('')}` };
}

async function measure(standIn: GitHubStandIn, work: () => Promise<unknown>): Promise<GitHubRun> {
  standIn.clearLog();
  const start = performance.now();
  await work();
  return {
    requests: standIn.requests.length,
    writes: standIn.writeRequests().length,
    ms: Math.round(performance.now() - start),
  };
}

/** Runs the GitHub phase for each fleet size. */
export async function benchGitHub(sizes: readonly number[]): Promise<GitHubResult[]> {
  const standIn = await startGitHubStandIn();
  try {
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.url,
      retries: 0,
      retryAfterBaseValue: 0,
      spaceWrites: false,
    });
    const results: GitHubResult[] = [];
    for (const pulls of sizes) {
      const repo = `fleet-${pulls}`;
      const files = Object.fromEntries(
        Array.from({ length: pulls }, (_, i) => [`apps/app${i}.yaml`, `# app${i}\n`]),
      );
      await standIn.createRepository(OWNER, repo, files);
      const updates = Array.from({ length: pulls }, (_, i) =>
        makeUpdate({ file: `apps/app${i}.yaml`, name: `app${i}`, release: `apps/app${i}` }),
      );
      const run = () =>
        writePullRequests(groupUpdates(updates, 'container', PREFIX), {
          github,
          owner: OWNER,
          repo,
          branchPrefix: PREFIX,
          maxPullRequests: pulls,
          applyUpdates: appendTag,
        });
      const first = await measure(standIn, run);
      const unchanged = await measure(standIn, run);
      await standIn.commitFiles(OWNER, repo, 'main', { 'apps/app0.yaml': '# app0, moved\n' });
      const baseChanged = await measure(standIn, run);
      results.push({ pulls, first, unchanged, baseChanged });
    }
    return results;
  } finally {
    await standIn.stop();
  }
}

/** The phase's table. */
export function renderGitHub(results: readonly GitHubResult[]): string {
  const cell = (r: GitHubRun): string =>
    `${r.requests} (${r.writes} writes), ${r.ms.toLocaleString('en-US')} ms`;
  return [
    'GitHub phase (pull request writer against the stand-in, requests (writes) and wall):',
    '',
    '| open pull requests | first run | unchanged re-run | base changed one PR’s file |',
    '|-------------------:|----------:|-----------------:|---------------------------:|',
    ...results.map(
      (r) => `| ${r.pulls} | ${cell(r.first)} | ${cell(r.unchanged)} | ${cell(r.baseChanged)} |`,
    ),
    '',
  ].join('\n');
}
