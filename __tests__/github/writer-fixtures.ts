/**
 * Fixtures and a harness for the pull request writer's tests against the GitHub stand-in: a fleet
 * repository with two HelmRelease files, updates of their images, and `useWriterHarness()`, which
 * starts the stand-in, makes a fresh repository per test and checks no request broke the API
 * description.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from '@jest/globals';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js';
import {
  writePullRequests,
  type PullRequestResult,
  type PullRequestWriterOptions,
} from '../../src/github/pull-request-writer.js';
import { groupUpdates, type GroupBy } from '../../src/plan/branch-name.js';
import type { Update } from '../../src/plan/types.js';
import { helmReleaseYaml } from '../../test-support/github/helmrelease-fixture.js';
import { WRITE_TOKEN, startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { makeUpdate } from '../../test-support/github/updates.js';

export const OWNER = 'acme';
export const PREFIX = 'helmrelease-image-updater/';
export const MONGO = 'releases/mongodb.yaml';
export const OTHER = 'releases/other.yaml';

/** The shared HelmRelease fixture (`test-support/github/helmrelease-fixture.ts`) of bitnami/mongodb. */
export function release(name: string, mongo: string, exporter: string, header = ''): string {
  return helmReleaseYaml({ name, tag: mongo, exporterTag: exporter, header });
}

/** The chart-image update of a release to a tag. */
export function mongoUpdate(to: string, overrides: Partial<Update> = {}): Update {
  return makeUpdate({ file: MONGO, line: 18, to, ...overrides });
}

/** The metrics-image update of data/mongodb. */
export function exporterUpdate(to: string): Update {
  return makeUpdate({
    file: MONGO,
    line: 22,
    container: 'metrics',
    repository: 'docker.io/bitnami/mongodb-exporter',
    image: 'bitnami/mongodb-exporter:0.10.0',
    from: '0.10.0',
    to,
    filter: 'glob:*',
    chosenBy: 'newest build',
  });
}

/** `[action, number]` per result, for compact assertions. */
export function actions(results: PullRequestResult[]): [string, number | undefined][] {
  return results.map((r) => [r.action, r.number]);
}

/** The branch of mongodb's pull request at `tag` with `group-by: image`. */
export function imageBranch(tag: string): string {
  return `${PREFIX}image/docker.io/bitnami/mongodb/${tag}`;
}

/** The branch of a single-update request. */
export function branchOf(update: Update): string {
  return groupUpdates([update], 'container', PREFIX)[0].branch;
}

/** What a test gets from {@link useWriterHarness}; fields are set before each test. */
export interface WriterHarness {
  standIn: GitHubStandIn;
  github: GitHubClient;
  /** This test's repository (`acme/<repo>`). */
  repo: string;
  /** The repository's first commit. */
  seedSha: string;
  /** A client for the stand-in with `token`; `retrying` turns the retry and throttling plugins on. */
  client(token: string, retrying?: boolean): GitHubClient;
  /** The writer's options for this repository. */
  options(overrides?: Partial<PullRequestWriterOptions>): PullRequestWriterOptions;
  /** Groups and writes updates, like the orchestrator's port does. */
  run(
    updates: Update[],
    overrides?: Partial<PullRequestWriterOptions>,
    groupBy?: GroupBy,
  ): ReturnType<typeof writePullRequests>;
}

let repoCount = 0;

/** Starts the stand-in for the file's tests and a fresh repository for each test. */
export function useWriterHarness(): WriterHarness {
  const harness = {
    client(token: string, retrying = false): GitHubClient {
      return createGitHubClient({
        token,
        baseUrl: harness.standIn.url,
        retries: retrying ? 3 : 0,
        retryAfterBaseValue: 0,
        spaceWrites: false,
      });
    },
    options(overrides: Partial<PullRequestWriterOptions> = {}): PullRequestWriterOptions {
      return {
        github: harness.github,
        owner: OWNER,
        repo: harness.repo,
        branchPrefix: PREFIX,
        applyUpdates,
        ...overrides,
      };
    },
    run(
      updates: Update[],
      overrides: Partial<PullRequestWriterOptions> = {},
      groupBy: GroupBy = 'container',
    ) {
      return writePullRequests(groupUpdates(updates, groupBy, PREFIX), harness.options(overrides));
    },
  } as WriterHarness;
  beforeAll(async () => {
    harness.standIn = await startGitHubStandIn();
  });
  afterAll(async () => {
    await harness.standIn.stop();
  });
  beforeEach(async () => {
    // A client per test, as per run: a rate limit one test meets stops its client's calls.
    harness.github = harness.client(WRITE_TOKEN);
    harness.repo = `fleet-${++repoCount}`;
    ({ sha: harness.seedSha } = await harness.standIn.createRepository(OWNER, harness.repo, {
      [MONGO]: release('mongodb', '4.0.3', '0.10.0'),
      [OTHER]: release('other', '4.0.3', '0.10.0'),
      'README.md': '# fleet\n',
    }));
    harness.standIn.clearLog();
  });
  afterEach(() => {
    expect(harness.standIn.violations).toEqual([]);
  });
  return harness;
}
