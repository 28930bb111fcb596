/**
 * What the pull request writer is told: the repository, the base, the branch prefix, the cap on
 * open pull requests, the pull requests' text and decorations, and the edit it applies to the base
 * branch's text. Kept apart from the writer's run (`pull-request-writer.ts`) so the inputs it takes
 * read in one place.
 */
import type { PullRequestRequest } from '../plan/branch-name.js';
import type { ListedTags } from '../ports.js';
import type { Decorations } from './decorations.js';
import type { GitHubClient } from './octokit.js';
import type { PullRequestTextOptions } from './planned-text.js';
import type { ApplyUpdates } from './base-files.js';

/** How the writer works. */
export interface PullRequestWriterOptions extends Decorations, PullRequestTextOptions {
  github: GitHubClient;
  /** The branch pull requests target (default: the repository's default branch). */
  base?: string;
  /** Prefix of every branch this Action creates; only branches under it are considered ours. */
  branchPrefix: string;
  /** The most open pull requests this Action keeps (default 10); more are held back. */
  maxPullRequests?: number;
  /** Read and report what would be done, but make no write call. */
  dryRun?: boolean;
  applyUpdates: ApplyUpdates;
  /**
   * The dashboard's ticked boxes for a request: `retry` proposes again what a pull request closed
   * without merging proposed, `openNow` opens it past `max-pull-requests`.
   */
  ticked?: (request: PullRequestRequest) => { retry: boolean; openNow: boolean };
  /**
   * A dashboard issue is kept, so its boxes are there to tick: the reasons of a held-back or
   * closed one name them (they would send others looking for an issue that does not exist).
   */
  dashboard?: boolean;
  /** Progress messages. */
  log?: (message: string) => void;
  /** The run's tag lists: an open pull request proposing a tag its registry no longer lists is warned of. */
  listedTags?: ListedTags;
}

/** The default cap on open pull requests. */
export const DEFAULT_MAX_PULL_REQUESTS = 10;
