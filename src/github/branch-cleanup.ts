/**
 * Closing a pull request of ours and deleting its branch, and deleting branches this Action no
 * longer needs, best effort: a failed deletion is left for a later run and never hides the error
 * being reported.
 */
import type { OpenPull, WriterState } from './decide-pull-request.js';
import type { Repository } from './github-call.js';
import { isOurCommit } from './our-commit.js';
import { readBranchCommit } from './read-state.js';

/** Deletes a branch (one this run created, or one of ours superseded). */
export async function deleteBranch(repository: Repository, branch: string): Promise<void> {
  try {
    await repository.github.rest.git.deleteRef({
      owner: repository.owner,
      repo: repository.repo,
      ref: `heads/${branch}`,
    });
  } catch {
    // Left for the next run, which finds the branch and opens its pull request.
  }
}

/** Takes a pull request out of the run's open ones, freeing its `max-pull-requests` slot. */
export function freeSlot(state: WriterState, pull: OpenPull): void {
  state.open.delete(pull.branch);
  state.openCount--;
}

/**
 * Closes a pull request of ours with `close` (superseded, obsolete), frees its slot and deletes its
 * branch. Its branch's head is read again first (the read that deleting needs anyway): when
 * someone pushed to it since the run listed it, nothing is done and false is returned.
 */
export async function closeOurPull(
  repository: Repository,
  pull: OpenPull,
  state: WriterState,
  close: () => Promise<unknown>,
): Promise<boolean> {
  const head = await readBranchCommit(repository, pull.branch);
  if (head && !isOurCommit(head)) return false;
  await close();
  freeSlot(state, pull);
  if (head) await deleteBranch(repository, pull.branch);
  return true;
}
