/**
 * The bench's GitHub phase (issue 17): the real pull request writer (src/github/) with the real edit
 * (applyUpdates) against the GitHub stand-in (test-support/github/stand-in.ts) in this process, with
 * N open pull requests of ours: N HelmRelease files, one image bump each, so one pull request each.
 * Four runs per N: the first (creates N pull requests), an unchanged rerun, a rerun after one base
 * commit that touches one pull request's file, and an unchanged rerun after that. Counts the requests (reads, GraphQL, writes) and
 * times each run.
 *
 * The wall times are mostly the stand-in's: it serves one request at a time and keeps its objects in
 * a real git repository through the git CLI (a few git processes per write), where GitHub answers a
 * request in 100-500 ms. The request counts are the figures that carry over.
 */
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { writePullRequests, type PullRequestResult } from '../../src/github/pull-request-writer.js';
import { groupUpdates } from '../../src/plan/branch-name.js';
import type { Update } from '../../src/plan/types.js';
import { helmReleaseYaml } from '../../test-support/github/helmrelease-fixture.js';
import { WRITE_TOKEN, startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { makeUpdate } from '../../test-support/github/updates.js';
import { fmt } from './format.js';

const OWNER = 'acme';
const PREFIX = 'helmrelease-image-updater/';

/** One run of the writer. */
export interface GitHubRun {
  name: string;
  wallMs: number;
  requests: number;
  graphql: number;
  writes: number;
  /** How many results had each action (`created: 10`). */
  actions: Record<string, number>;
}

/** The four runs for N open pull requests. */
export interface GitHubCase {
  pulls: number;
  runs: GitHubRun[];
  violations: number;
}

/** Release i's file: the writer tests' HelmRelease, with a chart image of its own. */
function release(i: number, exporterTag: string): string {
  const name = `app-${i}`;
  return helmReleaseYaml({ name, tag: '4.0.3', exporterTag, repository: `bitnami/app-${name}` });
}

const fileOf = (i: number) => `releases/app-${i}.yaml`;

/** The bump of release i's chart image, 4.0.3 to 4.0.4. */
function updateOf(i: number): Update {
  const name = `app-${i}`;
  return makeUpdate({
    file: fileOf(i),
    line: 18,
    name,
    release: `data/${name}`,
    repository: `docker.io/bitnami/app-${name}`,
    image: `bitnami/app-${name}:4.0.3`,
  });
}

async function writerRun(
  standIn: GitHubStandIn,
  repo: string,
  name: string,
  updates: readonly Update[],
): Promise<GitHubRun> {
  const github = createGitHubClient({
    token: WRITE_TOKEN,
    baseUrl: standIn.url,
    retries: 0,
    retryAfterBaseValue: 0,
    spaceWrites: false,
  });
  standIn.clearLog();
  const started = performance.now();
  const { results } = await writePullRequests(groupUpdates(updates, 'container', PREFIX), {
    github,
    owner: OWNER,
    repo,
    branchPrefix: PREFIX,
    applyUpdates,
    maxPullRequests: updates.length,
  });
  const wallMs = performance.now() - started;
  return {
    name,
    wallMs,
    requests: standIn.requests.length,
    graphql: standIn.requests.filter((r) => r.operationId === 'graphql').length,
    writes: standIn.writeRequests().length,
    actions: countActions(results),
  };
}

function countActions(results: readonly PullRequestResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.action] = (counts[r.action] ?? 0) + 1;
  return counts;
}

/** Runs the four runs for each N in `sizes`, each N in a fresh repository. */
export async function benchGitHub(
  sizes: readonly number[],
  log: (message: string) => void = () => {},
): Promise<GitHubCase[]> {
  const standIn = await startGitHubStandIn();
  const cases: GitHubCase[] = [];
  try {
    for (const pulls of sizes) {
      const repo = `fleet-${pulls}`;
      const files: Record<string, string> = { 'README.md': '# fleet\n' };
      for (let i = 0; i < pulls; i += 1) files[fileOf(i)] = release(i, '0.10.0');
      await standIn.createRepository(OWNER, repo, files);
      const updates = Array.from({ length: pulls }, (_, i) => updateOf(i));
      const before = standIn.violations.length;
      log(`GitHub phase: ${pulls} pull requests, first run`);
      const runs = [await writerRun(standIn, repo, 'first run', updates)];
      log(`GitHub phase: ${pulls} pull requests, reruns`);
      runs.push(await writerRun(standIn, repo, 'unchanged rerun', updates));
      // Another image of pull request 0's file moves on at the base: that pull request is rebuilt.
      await standIn.commitFiles(OWNER, repo, 'main', { [fileOf(0)]: release(0, '0.11.0') });
      runs.push(await writerRun(standIn, repo, 'base moved, one file', updates));
      // The others stay on the old base: every later run tells their files unchanged there.
      runs.push(await writerRun(standIn, repo, 'unchanged rerun after the move', updates));
      cases.push({ pulls, runs, violations: standIn.violations.length - before });
    }
  } finally {
    await standIn.stop();
  }
  return cases;
}

/** The phase as a table of the bench's output. */
export function renderGitHub(cases: readonly GitHubCase[]): string {
  const rows: string[][] = [];
  for (const c of cases) {
    for (const r of c.runs) {
      const actions = Object.entries(r.actions)
        .map(([action, n]) => `${n} ${action}`)
        .join(', ');
      rows.push([
        String(c.pulls),
        r.name,
        fmt(r.requests),
        fmt(r.graphql),
        fmt(r.writes),
        `${fmt(r.wallMs)} ms`,
        `${(r.wallMs / Math.max(1, r.requests)).toFixed(1)} ms`,
        actions + (c.violations ? ` (${c.violations} API violations)` : ''),
      ]);
    }
  }
  const header = ['open PRs', 'run', 'requests', 'GraphQL', 'writes', 'wall', 'per request', 'pull requests'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => (i === 1 || i === 7 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  return [
    'GitHub phase (the pull request writer against the in-process stand-in, one pull request per file):',
    '',
    line(header),
    `|${widths.map((w, i) => (i === 1 || i === 7 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
    '',
  ].join('\n');
}
