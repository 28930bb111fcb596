/**
 * Deletes branches this Action no longer needs, best effort: a failed deletion is left for a later
 * run and never hides the error being reported.
 */
import type { Repository } from './github-call.js';

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
