/**
 * Whether a branch's head already carries a planned change, or must be rebuilt: on the current
 * base, or on an older one the `rebase-when` input lets stand.
 */
import { isOurCommit } from './our-commit.js';
import type { BaseMove, BranchHead, PlannedFile } from './pull-request-facts.js';

/**
 * When a pull request branch is rebuilt on a base that moved on (the `rebase-when` input). A new
 * tag, a changed commit message or a changed file set always rebuilds it.
 *
 * - `conflicted`: only when the base's copy of one of its files changed.
 * - `behind-base`: whenever the base moved on (for branch protection that requires up-to-date).
 * - `never`: not for a base move at all (GitHub shows when it conflicts).
 */
export type RebaseWhen = 'conflicted' | 'behind-base' | 'never';

/** The default `rebase-when`. */
export const DEFAULT_REBASE_WHEN: RebaseWhen = 'conflicted';
/** What a branch's head holds relative to the planned change. */
export type BranchStatus = 'missing' | 'current' | 'stale' | 'foreign';

/**
 * What the branch holds: nothing (`missing`), someone else's commit (`foreign`), ours and needing
 * no new commit (`current`: the planned commit on the current base, or on an older one that
 * `rebaseWhen` lets stand), or ours but outdated (`stale`).
 *
 * @param sameTargets whether the open pull request's marker proposes exactly these updates; with
 *   `never`, a file whose base copy changed cannot be compared by content, so this tells a newer tag.
 */
export function branchStatus(
  head: BranchHead | undefined,
  files: readonly PlannedFile[],
  message: string,
  baseSha: string,
  rebaseWhen: RebaseWhen = DEFAULT_REBASE_WHEN,
  sameTargets = true,
): BranchStatus {
  if (!head) return 'missing';
  if (!isOurCommit(head)) return 'foreign';
  if (head.message.trim() !== message.trim()) return 'stale';
  const carries = (file: PlannedFile): boolean => head.blobs.get(file.path) === file.desiredBlob;
  if (head.parents[0] === baseSha) return files.every(carries) ? 'current' : 'stale';
  // The base moved on since the branch was made.
  if (rebaseWhen === 'behind-base' || !head.parentBlobs) return 'stale';
  const parentBlobs = head.parentBlobs;
  // The base's copy is the branch's parent's copy: the planned text is the same on both.
  const baseCopyUnchanged = (file: PlannedFile): boolean => parentBlobs.get(file.path) === file.baseBlob;
  if (rebaseWhen === 'conflicted') {
    return files.every((file) => baseCopyUnchanged(file) && carries(file)) ? 'current' : 'stale';
  }
  return files.every((file) =>
    baseCopyUnchanged(file) ? carries(file) : parentBlobs.has(file.path) && sameTargets,
  )
    ? 'current'
    : 'stale';
}

/**
 * True when the head is our commit with exactly the planned message and needs no new commit: on
 * the current base, or on an older one `rebaseWhen` lets stand (with `conflicted`, when `baseMove`
 * shows the base's copy of each of `files` is still the parent's). The message lists every update
 * (file, release, container, image and new image) and our commit is that edit of its parent's
 * text, so such a branch carries the planned change without reading a file: this is what keeps an
 * unchanged re-run, and a base move, to a few requests. The caller checks that the open pull
 * request proposes exactly these updates.
 */
export function carriesPlan(
  head: BranchHead | undefined,
  message: string,
  baseSha: string,
  files: readonly string[] = [],
  rebaseWhen: RebaseWhen = DEFAULT_REBASE_WHEN,
  baseMove?: BaseMove,
): boolean {
  if (!head || !isOurCommit(head) || head.message.trim() !== message.trim()) return false;
  if (head.parents[0] === baseSha || rebaseWhen === 'never') return true;
  if (rebaseWhen === 'behind-base' || !baseMove) return false;
  return files.every((path) => baseMove.unchanged.has(path));
}
