/**
 * Deletes branches this Action no longer needs, best effort: a failed deletion is left for a later
 * run and never hides the error being reported.
 */
import { isOurCommit } from './decide-pull-request.js';
import { readBranchCommit } from './read-state.js';
import type { Repository } from './github-call.js';

/**
 * Deletes the branch of a superseded pull request when it still holds only our commit (someone
 * else's commits keep it), so superseded branches do not pile up.
 */
export async function deleteOurBranch(repository: Repository, branch: string): Promise<void> {
  try {
    const head = await readBranchCommit(repository, branch);
    if (head && isOurCommit(head)) await deleteBranch(repository, branch);
  } catch {
    // Not readable: nothing to clean up.
  }
}

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
