/**
 * Closing the pull requests a newer one replaces: those a request names (a newer tag with
 * `group-by: image`, or a changed `group-by`), and those this run's pull requests carry between
 * them (`group-by` changed to a finer grouping). Closing frees their slots under
 * `max-pull-requests`, marks them superseded (so their tags may be proposed again), and deletes
 * their branches when those hold only our commit.
 */
import { warning, type Problem } from '../problems.js';
import { deleteOurBranch } from './branch-cleanup.js';
import { supersededByRun, type OpenPull, type WriterState } from './decide-pull-request.js';
import { GitHubPermissionError, type Repository } from './github-call.js';
import { closeAsSuperseded } from './pull-requests.js';
import { OPEN_AFTER, withSuperseded, type PullRequestResult } from './writer-results.js';

/**
 * Closes `pulls`, superseded by pull request `by`, and deletes their branches when only ours;
 * keeps the run's count of open pull requests. Returns the numbers closed.
 */
export async function closeSuperseded(
  repository: Repository,
  pulls: readonly OpenPull[],
  by: number,
  state: WriterState,
): Promise<number[]> {
  const closed: number[] = [];
  for (const pull of pulls) {
    await closeAsSuperseded(repository, pull, by);
    state.open.delete(pull.branch);
    state.openCount--;
    closed.push(pull.number);
    await deleteOurBranch(repository, pull.branch);
  }
  return closed;
}

/**
 * Closes our open pull requests that this run's `results` carry between them, and adds each to the
 * reason of the pull request that took its place (the summary shows it there). A failure is a
 * warning, as the pull requests themselves are written; a missing permission stops the run.
 */
export async function closeCarriedByRun(
  repository: Repository,
  state: WriterState,
  results: readonly PullRequestResult[],
  log?: (message: string) => void,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const written = results.map((r) => ({
    branch: r.branch,
    number: OPEN_AFTER.has(r.action) ? r.number : undefined,
    updates: r.updates,
  }));
  for (const { pull, by } of supersededByRun(state.open, written)) {
    try {
      await closeSuperseded(repository, [pull], by, state);
      log?.(`${pull.branch}: closed, superseded by #${by}`);
      const carrier = results.find((r) => r.number === by && OPEN_AFTER.has(r.action));
      if (carrier) carrier.reason = withSuperseded(carrier.reason, pull.number);
    } catch (caught) {
      if (caught instanceof GitHubPermissionError) throw caught;
      const message = caught instanceof Error ? caught.message : String(caught);
      problems.push(warning('', 0, `Could not close #${pull.number} (superseded by #${by}): ${message}`));
    }
  }
  return problems;
}
