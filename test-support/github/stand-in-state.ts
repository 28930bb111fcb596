/**
 * What the GitHub stand-in keeps: each repository with its pull requests, releases and labels (its
 * issues are in `issues-endpoints.ts`), the tokens it accepts, the faults tests inject and the log
 * of requests. Plain data, which the stand-in (`stand-in.ts`) and its endpoint groups change, and
 * two rules GitHub keeps for it: how issues are numbered, and that unknown labels are created.
 */
import type { GitStore } from './git-store.js';
import type { IssueState } from './issues-endpoints.js';

/** Access levels of a token, per permission (like a GitHub App installation token). */
export interface TokenPermissions {
  contents: 'read' | 'write';
  pull_requests: 'read' | 'write';
  issues: 'read' | 'write';
  /**
   * A GitHub App's `workflows` permission (GITHUB_TOKEN never has it): without it, GitHub refuses
   * to move a branch when that changes a file under `.github/workflows`, even one the base changed.
   */
  workflows?: 'write';
  /**
   * The organization's `members: read` permission (a GitHub App's, or a person's `read:org`;
   * GITHUB_TOKEN never has it). Without it GitHub's GraphQL API resolves no team: a pull request's
   * team review request (one CODEOWNERS asked for, say) reads as null with a FORBIDDEN error at its
   * path, beside the rest of the answer (https://github.com/cli/cli/issues/14317).
   */
  members?: 'read';
  /**
   * A person's fine-grained personal access token: a permission it lacks is refused with 403
   * "Resource not accessible by personal access token" (a GitHub App's or GITHUB_TOKEN's, "… by
   * integration").
   */
  fineGrained?: true;
  /** The token's user, who authors what it opens (default `github-actions[bot]`, as GITHUB_TOKEN). */
  login?: string;
}

/** Who authors what a token without a `login` opens (GITHUB_TOKEN's bot). */
export const ACTIONS_BOT = 'github-actions[bot]';

/** The token every stand-in accepts with write access, unless told otherwise. */
export const WRITE_TOKEN = 'ghs_stand_in_write_token';
/** A token that can read everything and write nothing. */
export const READ_ONLY_TOKEN = 'ghs_stand_in_read_only_token';

/** A fault to inject into matching requests. */
export interface Fault {
  /** Matches the operation id (`git/create-commit`, `pulls/create`); every operation when absent. */
  operationId?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /**
   * `lost-response`: the request is carried out, then answered 502, as when GitHub did the work but
   * the answer never arrived (a dropped connection, a killed run). `stale-list`: a list answered
   * 200 with no items, as GitHub's lists answer for a moment after a write they do not show yet (a
   * pull request just opened is not yet in `pulls/list`). `secondary-rate-limit`: 403 "You have
   * exceeded a secondary rate limit" with `retry-after` ({@link retryAfter}). `rate-limit-exhausted`:
   * the primary limit used up, 403 "API rate limit exceeded" with `x-ratelimit-remaining: 0` and a
   * reset an hour away, as GitHub answers every call until then; a GraphQL query is answered as
   * GitHub's GraphQL API answers it, HTTP 200 with an error of type {@link graphqlType} and the
   * same headers.
   */
  kind:
    | 'bad-gateway'
    | 'lost-response'
    | 'secondary-rate-limit'
    | 'rate-limit-exhausted'
    | 'stale-list'
    | { status: number; message: string };
  /** Seconds a `secondary-rate-limit` says to wait (`retry-after`; default 1). */
  retryAfter?: number;
  /**
   * The error type of a `rate-limit-exhausted` GraphQL answer: `RATE_LIMITED` (default, as
   * documented) or `RATE_LIMIT`, which GitHub has answered too
   * (https://github.com/octokit/plugin-throttling.js/issues/824).
   */
  graphqlType?: 'RATE_LIMITED' | 'RATE_LIMIT';
}

/** One logged request. */
export interface LoggedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
}

/** A pull request as the stand-in keeps it. */
export interface PullState {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  merged: boolean;
  head: string;
  /** Who opened it (default {@link ACTIONS_BOT}). */
  author?: string;
  /** The head SHA when the pull request was closed (open ones follow the branch). */
  closedHeadSha?: string;
  base: string;
  labels: string[];
  assignees: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  /** Submitted reviews, oldest first. */
  reviews: { login: string; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' }[];
  createdAt: string;
  updatedAt: string;
  /** Set by the GraphQL mutation `enablePullRequestAutoMerge`. */
  autoMerge?: { mergeMethod: string; enabledAt: string };
}

/** A repository's label as the stand-in keeps it. */
export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** A release as the stand-in keeps it (newest first in `RepoState.releases`). */
export interface ReleaseState {
  id: number;
  tag: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  createdAt: string;
}

export interface RepoState {
  releases: ReleaseState[];
  id: number;
  owner: string;
  name: string;
  store: GitStore;
  defaultBranch: string;
  pulls: PullState[];
  /** Issues (`issues-endpoints.ts`); numbered with the pull requests. */
  issues: IssueState[];
  labels: Map<string, Label>;
  collaborators: Set<string>;
  teams: Set<string>;
  /** The repository setting *Allow auto-merge* (GitHub's default: off). */
  allowAutoMerge: boolean;
  /**
   * Whether the base branch requires a status check (a branch protection rule or a ruleset): when
   * it does not, a pull request GitHub could merge now is in `clean` status, and
   * `enablePullRequestAutoMerge` refuses it ("Pull request Pull request is in clean status").
   */
  requiresChecks: boolean;
  /** Archived: read-only, every write answered 403 "Repository was archived so is read-only.". */
  archived: boolean;
  /**
   * The setting *Allow GitHub Actions to create and approve pull requests* (off for new repositories
   * on GitHub since 2022; on here so most tests need not set it): when off, GITHUB_TOKEN's
   * `pulls/create` is answered 403 "GitHub Actions is not permitted to create or approve pull requests.".
   */
  actionsMayCreatePulls: boolean;
}

/** The next number of a repository's issues and pull requests, which share one sequence. */
export function nextNumber(repo: RepoState): number {
  return repo.pulls.length + repo.issues.length + 1;
}

/** A new open pull request as the stand-in keeps it: no labels, assignees, reviewers or reviews yet. */
export function openPull(
  number: number,
  fields: { title: string; body: string | null; head: string; base: string },
  now: string,
): PullState {
  return {
    number,
    ...fields,
    state: 'open',
    merged: false,
    labels: [],
    assignees: [],
    requestedReviewers: [],
    requestedTeams: [],
    reviews: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** Makes sure a label exists, created on the fly as GitHub does (ids from `nextId`); the label. */
export function ensureLabel(repo: RepoState, name: string, nextId: () => number): Label {
  if (!repo.labels.has(name.toLowerCase())) {
    repo.labels.set(name.toLowerCase(), {
      id: nextId(),
      name,
      color: 'ededed',
      description: null,
    });
  }
  return repo.labels.get(name.toLowerCase())!;
}
