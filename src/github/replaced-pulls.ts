/**
 * Our open pull requests that a request, or a run's pull requests between them, replace: those
 * closed as superseded (when their branches hold only our commits) or kept open.
 */
import type { PullRequestRequest } from '../plan/branch-name.js';
import type { PullRequestMarker } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import { sameContainer, type MovedFiles } from './moved-files.js';
import { isOurCommit } from './our-commit.js';
import type { OpenPull } from './pull-request-facts.js';

/**
 * Our other open pull requests that this request replaces: each of their updates is one of this
 * request's containers moving to another tag. This happens with `group-by: image`, where the
 * branch names the tag, so a newer tag gets a new branch; and when a file moved on the base
 * (`moved`), as the branch names hash the file's path.
 */
export function replaceable(
  request: PullRequestRequest,
  open: ReadonlyMap<string, OpenPull>,
  moved?: MovedFiles,
): OpenPull[] {
  return [...open.values()].filter(
    (pull) =>
      pull.branch !== request.branch &&
      pull.marker.updates.every((m) =>
        request.updates.some(
          // Any target: a newer tag supersedes, and the same tag on another branch (group-by
          // changed, or the file moved) is moved to this branch instead of proposed twice. (Only
          // branches under the current prefix are read as ours: a changed branch-prefix leaves
          // the old ones to people.)
          (u) => sameContainer(m, u, moved),
        ),
      ),
  );
}

/**
 * True when a pull request may be closed as superseded: its head, as read with the list, is our
 * commit. A branch with someone else's commits is left alone, and so is one whose head was not read
 * (closing it could bury commits nobody looked at).
 */
export function closable(pull: OpenPull): boolean {
  return pull.head !== undefined && isOurCommit(pull.head);
}

/** A pull request of this run as the writer left it (or, in a dry run, would): its branch and updates. */
export interface WrittenRequest {
  branch: string;
  /**
   * Whether its pull request is open after the run (created, updated or left unchanged), or would
   * be after a real one. A dry run's new one has no number yet, so carriers go by branch.
   */
  open: boolean;
  updates: readonly Update[];
}

/**
 * Our open pull requests that no request of this run names but that this run's open pull requests
 * carry between them: each of their containers is in one of those (any tag). This is `group-by`
 * changed to a finer grouping (`release` or `image` to `container`), where no single new pull
 * request replaces the old one (see {@link replaceable}). Each goes with the first pull request
 * that carries one of its containers (`by`, its branch). A pull request with a container no open one
 * carries stays.
 */
export function supersededByRun(
  open: ReadonlyMap<string, OpenPull>,
  written: readonly WrittenRequest[],
  /** Containers whose files moved on the base: carried in their new files. */
  moved?: MovedFiles,
): { pull: OpenPull; by: string }[] {
  const requested = new Set(written.map((w) => w.branch));
  const carriers = written.filter((w) => w.open);
  const carrierOf = (m: PullRequestMarker['updates'][number]): WrittenRequest | undefined =>
    carriers.find((w) => w.updates.some((u) => sameContainer(m, u, moved)));
  const superseded: { pull: OpenPull; by: string }[] = [];
  for (const pull of open.values()) {
    if (requested.has(pull.branch) || pull.marker.updates.length === 0) continue;
    const by = pull.marker.updates.map(carrierOf);
    if (by.every((w) => w !== undefined)) superseded.push({ pull, by: by[0]!.branch });
  }
  return superseded;
}
