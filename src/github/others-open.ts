/**
 * Which open pull request from a branch keeps the writer from moving the branch: one a person
 * opened (no marker of ours), which moving would change under them, or one of ours into another
 * base than the run's (a second workflow with another `base-branch` and the same branch prefix),
 * which the branch, moved onto this base or kept as it is, would fill with the other base's
 * commits. Pure.
 */
import { parseMarker } from '../plan/pull-request-text.js';

/** An open pull request from a branch that keeps the branch from being moved. */
export interface OthersOpen {
  number: number;
  url: string;
  /** The other base it goes into, when it is one of ours. */
  base?: string;
}

/** What is read of an open pull request from the branch, through GraphQL or REST. */
export interface OpenFromBranch {
  number: number;
  url: string;
  body: string | null | undefined;
  /** The repository its head branch is in (`owner/name`); undefined when the fork is gone. */
  headRepository: string | undefined;
  /** The branch it goes into. */
  base: string;
}

/**
 * The first of `pulls` (open, from one branch) that keeps the branch from being moved, among those
 * whose head is in `repository` (`owner/name`); `base` is the run's base branch.
 */
export function firstOthersOpen(
  pulls: readonly OpenFromBranch[],
  repository: string,
  base: string | undefined,
): OthersOpen | undefined {
  for (const pull of pulls) {
    if (pull.headRepository?.toLowerCase() !== repository.toLowerCase()) continue;
    if (parseMarker(pull.body ?? '') === undefined) return { number: pull.number, url: pull.url };
    if (base !== undefined && pull.base !== base)
      return { number: pull.number, url: pull.url, base: pull.base };
  }
  return undefined;
}
