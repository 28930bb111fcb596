/**
 * Closing the pull requests a newer one replaces: those a request names (a newer tag with
 * `group-by: image`, a changed `group-by`, or its file moved on the base), and those this run's pull
 * requests carry between them (`group-by` changed to a finer grouping). Closing frees their slots under
 * `max-pull-requests`, marks them superseded (so their tags may be proposed again), and deletes
 * their branches. Only pull requests whose branches hold just our commit are closed: one with
 * someone else's commits is left open, with a warning naming the pull request that replaces it.
 */
import { warning, type Problem } from '../problems.js';
import { closeOurPull } from './branch-cleanup.js';
import { closable, supersededByRun, type OpenPull, type WriterState } from './decide-pull-request.js';
import { GitHubPermissionError, GitHubRateLimitError, type Repository } from './github-call.js';
import { movesOf } from './moved-files.js';
import { closeAsSuperseded } from './pull-requests.js';
import {
  keptOpenWarning,
  OPEN_AFTER,
  supersedesReason,
  withSuperseded,
  type PullRequestResult,
} from './writer-results.js';

/**
 * Closes `pulls`, superseded by pull request `by`, and deletes their branches; keeps the run's
 * count of open pull requests. Each branch's head is read again first (the read that deciding
 * whether to delete it needs anyway): one someone pushed to since the run listed it keeps its
 * pull request open. Returns the numbers closed and those kept open.
 */
export async function closeSuperseded(
  repository: Repository,
  pulls: readonly OpenPull[],
  by: number,
  state: WriterState,
): Promise<{ closed: number[]; kept: number[] }> {
  const closed: number[] = [];
  const kept: number[] = [];
  for (const pull of pulls) {
    const moves = movesOf(pull.marker, state.moved);
    const done = await closeOurPull(repository, pull, state, () =>
      closeAsSuperseded(repository, pull, by, moves),
    );
    (done ? closed : kept).push(pull.number);
  }
  return { closed, kept };
}

/**
 * Closes the pull requests a request's pull request (`by`) replaces, and warns of those kept open
 * (someone else's commits on their branches, or a head not read; added to `keptOpen`); the result's
 * reason when any was closed.
 */
export async function supersedeReplaced(
  repository: Repository,
  replaced: { supersede: readonly OpenPull[]; keep: readonly OpenPull[] },
  by: number,
  state: WriterState,
  keptOpen: Set<number>,
  warn: (message: string) => void,
): Promise<{ reason?: string }> {
  for (const pull of replaced.keep) warn(keptOpenWarning(pull.number, by, pull.head !== undefined));
  const { closed, kept } = await closeSuperseded(repository, replaced.supersede, by, state);
  for (const number of kept) warn(keptOpenWarning(number, by));
  for (const pull of replaced.keep) keptOpen.add(pull.number);
  for (const number of kept) keptOpen.add(number);
  return closed.length ? { reason: supersedesReason(closed) } : {};
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
  options: {
    log?: (message: string) => void;
    /**
     * Pull requests this run already kept open (and warned of) when a request replaced them; those
     * kept open here are added.
     */
    keptOpen?: Set<number>;
  } = {},
): Promise<Problem[]> {
  const { log, keptOpen } = options;
  const problems: Problem[] = [];
  const written = results.map((r) => ({
    branch: r.branch,
    number: OPEN_AFTER.has(r.action) ? r.number : undefined,
    updates: r.updates,
  }));
  for (const { pull, by } of supersededByRun(state.open, written, state.moved)) {
    if (keptOpen?.has(pull.number)) continue;
    const carrier = results.find((r) => r.number === by && OPEN_AFTER.has(r.action));
    const warn = (message: string): void => {
      const first = carrier?.updates[0];
      problems.push(warning(first?.file ?? '', first?.line ?? 0, message));
    };
    if (!closable(pull)) {
      warn(keptOpenWarning(pull.number, by, pull.head !== undefined));
      keptOpen?.add(pull.number);
      continue;
    }
    try {
      const { closed } = await closeSuperseded(repository, [pull], by, state);
      if (closed.length === 0) {
        warn(keptOpenWarning(pull.number, by));
        keptOpen?.add(pull.number);
        continue;
      }
      log?.(`${pull.branch}: closed, superseded by #${by}`);
      if (carrier) carrier.reason = withSuperseded(carrier.reason, pull.number);
    } catch (caught) {
      // A rate limit stops the writer: no more calls this run.
      if (caught instanceof GitHubPermissionError || caught instanceof GitHubRateLimitError) throw caught;
      const message = caught instanceof Error ? caught.message : String(caught);
      problems.push(warning('', 0, `Could not close #${pull.number} (superseded by #${by}): ${message}`));
    }
  }
  return problems;
}
