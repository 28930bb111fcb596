/**
 * Reads the state a run's decisions start from: the base branch and our open pull requests (once
 * per run), and per requested branch its closed pull requests. The base's files and the planned
 * edit of them are `base-files.ts`; a branch's head commit is `branch-head.ts`.
 */
import {
  MARKER_VERSION,
  parseMarker,
  parseNewerMarker,
  type MarkerUpdate,
  type PullRequestMarker,
} from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import { proposesAll, refusalsOf, type Refusal } from './proposed-updates.js';
import { type ClosedPull, type OpenPull, type WriterState } from './pull-request-facts.js';
import { type PresentDecorations } from './missing-decorations.js';
import { moveCandidates } from './moved-files.js';
import { readOpenPulls } from './read-open-pulls.js';
import { firstOthersOpen, type OthersOpen } from './others-open.js';
import { readListPages } from './list-pages.js';
import {
  call,
  fullName,
  isNotFound,
  MissingBaseBranchError,
  repoParams,
  type Repository,
} from './github-call.js';
import type { GitHubClient } from './octokit.js';

type ListedPullRequest = Awaited<ReturnType<GitHubClient['rest']['pulls']['list']>>['data'][number];

/** What {@link readClosedRefusals} reads of a listed pull request. */
export interface ListedPull {
  number: number;
  html_url: string;
  body?: string | null;
  merged_at: string | null;
  head: { ref: string; repo: { full_name: string } | null };
}

/** A pull request from a branch of this repository under our prefix, with our marker. */
export function isOurPull(
  pull: { head: { ref: string; repo: { full_name: string } | null }; body?: string | null },
  repository: Repository,
  prefix: string,
): boolean {
  return isFromOurBranch(pull, repository, prefix) && parseMarker(pull.body) !== undefined;
}

/** A pull request whose head branch is in this repository, under `prefix`, whatever its marker. */
function isFromOurBranch(
  pull: { head: { ref: string; repo: { full_name: string } | null } },
  repository: Repository,
  prefix: string,
): boolean {
  return (
    pull.head.ref.startsWith(prefix) &&
    pull.head.repo?.full_name.toLowerCase() === fullName(repository).toLowerCase()
  );
}

/** The labels, pending review requests and assignees of a pull request as GitHub lists it. */
export function presentDecorations(pull: {
  labels?: readonly { name?: string }[] | null;
  requested_reviewers?: readonly { login: string }[] | null;
  requested_teams?: readonly { slug: string }[] | null;
  assignees?: readonly { login: string }[] | null;
  user?: { login: string } | null;
}): PresentDecorations {
  return {
    ...(pull.user ? { author: pull.user.login } : {}),
    labels: (pull.labels ?? []).map((label) => label.name ?? ''),
    reviewers: (pull.requested_reviewers ?? []).map((user) => user.login),
    teams: (pull.requested_teams ?? []).map((team) => team.slug),
    assignees: (pull.assignees ?? []).map((user) => user.login),
  };
}

/** Reads the base (the repository's default branch unless given) and our open pull requests on it. */
export async function readWriterState(
  repository: Repository,
  prefix: string,
  base: string | undefined,
): Promise<WriterState> {
  const { github } = repository;
  const params = repoParams(repository);
  const name = fullName(repository);
  if (!base) {
    base = (await call(`GET /repos/${name}`, () => github.rest.repos.get(params))).default_branch;
  }
  const ref = await call(`GET /repos/${name}/git/ref/heads/${base}`, () =>
    github.rest.git.getRef({ ...params, ref: `heads/${base}` }),
  ).catch((e: unknown) => {
    if (!isNotFound(e)) throw e;
    throw new MissingBaseBranchError(
      `The base branch "${base}" does not exist in ${name}; check the "base-branch" input.`,
      e.endpoint,
      e.details,
      { cause: e },
    );
  });
  const open = new Map<string, OpenPull>();
  const { ours, newer } = await readOpenPulls(repository, base, prefix);
  for (const pull of ours) open.set(pull.branch, pull);
  // A newer version's pull requests are open from our branches too: they count toward the cap.
  return { base, baseSha: ref.object.sha, open, openCount: open.size + newer.length, newer };
}

/**
 * A branch's pull requests through REST, for a branch the bulk read (`read-branches.ts`) did not
 * answer for: its closed ones, and an open one a person opened from it (in this repository, without
 * our marker), which keeps the branch from being moved. One list (`state: all`), as many requests
 * as the closed ones alone took.
 */
export async function readBranchPulls(
  repository: Repository,
  branch: string,
  /** The base the run writes to: an open pull request of ours into another keeps the branch too. */
  base?: string,
): Promise<{ closed: ListedPull[]; othersOpen?: OthersOpen }> {
  const { github } = repository;
  const endpoint = `GET /repos/${fullName(repository)}/pulls`;
  const pulls = await call(endpoint, async () => ({
    data: (await readListPages(
      endpoint,
      github.paginate.iterator(github.rest.pulls.list, {
        ...repoParams(repository),
        state: 'all',
        head: `${repository.owner}:${branch}`,
        per_page: 100,
      }),
    )) as ListedPullRequest[],
  }));
  const others = firstOthersOpen(
    pulls
      .filter((pull) => pull.state === 'open')
      .map((pull) => ({
        number: pull.number,
        url: pull.html_url,
        body: pull.body,
        base: pull.base.ref,
        headRepository: pull.head.repo?.full_name,
      })),
    fullName(repository),
    base,
  );
  return {
    closed: pulls.filter((pull) => pull.state === 'closed'),
    ...(others ? { othersOpen: others } : {}),
  };
}

/**
 * The updates closed pull requests of ours on the request's branch proposed, each with one of them
 * (see {@link refusalsOf}); `closed` are the branch's closed pull requests (`read-branches.ts`, or
 * {@link readBranchPulls}). With `moved`, also those one of them (or one in `moved.elsewhere`, the
 * closed pull requests of the same container's branches in other files) proposed in a file the
 * base no longer holds its release in (`moved.gone`): a tag refused before its file moved stays
 * refused. An update is kept back by the pull request that proposed its container's tag, whatever
 * else that one proposed: a release added since, or another container's newer tag, is not.
 */
export async function readClosedRefusals(
  repository: Repository,
  prefix: string,
  updates: readonly Update[],
  closed: readonly ListedPull[],
  moved?: { elsewhere: readonly ListedPull[]; gone: (m: MarkerUpdate) => Promise<boolean> },
): Promise<Refusal[]> {
  const refusal = (pull: ListedPull): PullRequestMarker | undefined => {
    const marker = isOurPull(pull, repository, prefix) ? parseMarker(pull.body) : undefined;
    if (!marker) return newerRefusal(pull, repository, prefix);
    // One this Action closed (superseded, or obsolete) records no person's decision.
    const closedByUs = marker.supersededBy !== undefined || marker.obsolete === true;
    return closedByUs ? undefined : marker;
  };
  const proposed = new Map<ListedPull, { pull: ClosedPull; updates: Set<Update> }>();
  const proposedBy = (pull: ListedPull): Set<Update> => {
    let entry = proposed.get(pull);
    if (!entry) {
      entry = {
        pull: { number: pull.number, url: pull.html_url, merged: Boolean(pull.merged_at) },
        updates: new Set(),
      };
      proposed.set(pull, entry);
    }
    return entry.updates;
  };
  for (const pull of closed) {
    const marker = refusal(pull);
    if (!marker) continue;
    for (const u of updates) if (proposesAll(marker, [u])) proposedBy(pull).add(u);
  }
  const left = updates.filter((u) => ![...proposed.values()].some((p) => p.updates.has(u)));
  if (moved && left.length > 0) {
    const gone = new Map<MarkerUpdate, Promise<boolean>>();
    for (const pull of [...closed, ...moved.elsewhere]) {
      const marker = refusal(pull);
      if (!marker) continue;
      for (const u of left) {
        for (const m of moveCandidates(marker, [u])) {
          if (!gone.has(m)) gone.set(m, moved.gone(m));
          if (await gone.get(m)) proposedBy(pull).add(u);
        }
      }
    }
  }
  return refusalsOf(updates, [...proposed.values()]);
}

/**
 * What a closed pull request of a newer version of this Action (`parseNewerMarker`) keeps back: the
 * updates it proposed, whatever else its marker records. Whether that version closed it itself
 * cannot be told, so its tags stay refused here as a person's close would keep them (Retry on the
 * dashboard, or reopening it, lets them through): proposing a bump a person closed is worse than
 * holding one back.
 */
function newerRefusal(
  pull: ListedPull,
  repository: Repository,
  prefix: string,
): PullRequestMarker | undefined {
  const updates = isFromOurBranch(pull, repository, prefix)
    ? parseNewerMarker(pull.body)?.updates
    : undefined;
  return updates && { version: MARKER_VERSION, branch: pull.head.ref, updates };
}
