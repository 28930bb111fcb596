/**
 * Closing the pull requests a newer one replaces: those a request names (a newer tag with
 * `group-by: image`, a changed `group-by`, or its file moved on the base), and those this run's pull
 * requests carry between them (`group-by` changed to a finer grouping). Closing frees their slots under
 * `max-pull-requests`, marks them superseded (so their tags may be proposed again), and deletes
 * their branches. Only pull requests whose branches hold just our commit are closed: one with
 * someone else's commits is left open, with a warning naming the pull request that replaces it.
 *
 * A dry run closes nothing but says the same: the reason of the pull request that would replace
 * them names those a real run would close (`would supersede #3`), and the same warning names those
 * it would leave open. It goes by the heads read with the list of open pull requests; the real run
 * reads each head again just before closing (someone may push to it in between).
 */
import { warning, type Problem } from '../problems.js';
import { closeOurPull, freeSlot } from './branch-cleanup.js';
import { closable, supersededByRun } from './replaced-pulls.js';
import { type OpenPull, type WriterState } from './pull-request-facts.js';
import { GitHubPermissionError, GitHubStopError, type Repository } from './github-call.js';
import { movesOf } from './moved-files.js';
import { closeAsSuperseded } from './pull-requests.js';
import {
  addSuperseded,
  keptOpenWarning,
  OPEN_AFTER,
  OPEN_AFTER_DRY_RUN,
  superseding,
  type PullRequestResult,
  type Replacer,
  type Superseding,
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
  warn: (message: string) => void,
): Promise<{ closed: number[]; kept: number[] }> {
  const closed: number[] = [];
  const kept: number[] = [];
  for (const pull of pulls) {
    const moves = movesOf(pull.marker, state.moved);
    const done = await closeOurPull(
      repository,
      pull,
      state,
      () => closeAsSuperseded(repository, pull, by, moves),
      warn,
    );
    (done ? closed : kept).push(pull.number);
  }
  return { closed, kept };
}

/**
 * Closes the pull requests a request's pull request (`by`) replaces, and warns of those kept open
 * (someone else's commits on their branches, or a head not read; added to `keptOpen`); the numbers
 * closed and the result's reason naming them, when any was.
 */
export async function supersedeReplaced(
  repository: Repository,
  replaced: { supersede: readonly OpenPull[]; keep: readonly OpenPull[] },
  by: number,
  state: WriterState,
  keptOpen: Set<number>,
  warn: (message: string) => void,
): Promise<Superseding> {
  const replacer = { number: by };
  for (const pull of replaced.keep) warn(keptOpenWarning(pull.number, replacer, pull.head !== undefined));
  const { closed, kept } = await closeSuperseded(repository, replaced.supersede, by, state, warn);
  for (const number of kept) warn(keptOpenWarning(number, replacer));
  for (const pull of replaced.keep) keptOpen.add(pull.number);
  for (const number of kept) keptOpen.add(number);
  return superseding(closed);
}

/**
 * In a dry run, what {@link supersedeReplaced} would do, without a call: the same warnings for those
 * kept open (added to `keptOpen`), the slots of the others freed in the run's `state` as closing them
 * would, and their numbers when there are any (the result's reason then says `would supersede #3`).
 */
export function wouldSupersedeReplaced(
  replaced: { supersede: readonly OpenPull[]; keep: readonly OpenPull[] },
  by: Replacer,
  state: WriterState,
  keptOpen: Set<number>,
  warn: (message: string) => void,
): Superseding {
  for (const pull of replaced.keep) {
    warn(keptOpenWarning(pull.number, by, pull.head !== undefined, true));
    keptOpen.add(pull.number);
  }
  for (const pull of replaced.supersede) freeSlot(state, pull);
  return superseding(replaced.supersede.map((pull) => pull.number));
}

/**
 * Closes our open pull requests that this run's `results` carry between them, and adds each to what
 * the pull request that took its place supersedes, its numbers and its reason (the summary shows it there). A failure is a
 * warning, as the pull requests themselves are written; a missing permission stops the run. In a
 * dry run, whose `results` say what would be written, nothing is closed: the reason says `would
 * supersede`, and the same warnings name those a real run would leave open.
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
    /** Say what would be closed, and close nothing. */
    dryRun?: boolean;
  } = {},
): Promise<Problem[]> {
  const { log, keptOpen, dryRun = false } = options;
  const problems: Problem[] = [];
  const openAfter = dryRun ? OPEN_AFTER_DRY_RUN : OPEN_AFTER;
  // A real run's carriers have their numbers; a dry run's new ones have none yet.
  const carriers = results.filter((r) => openAfter.has(r.action) && (dryRun || r.number !== undefined));
  const written = results.map((r) => ({ branch: r.branch, open: carriers.includes(r), updates: r.updates }));
  for (const { pull, by } of supersededByRun(state.open, written, state.moved)) {
    if (keptOpen?.has(pull.number)) continue;
    const carrier = carriers.find((r) => r.branch === by)!;
    const replacer = carrier.number === undefined ? { branch: carrier.branch } : { number: carrier.number };
    const warn = (message: string): void => {
      const first = carrier.updates[0];
      problems.push(warning(first?.file ?? '', first?.line ?? 0, message));
    };
    if (!closable(pull)) {
      warn(keptOpenWarning(pull.number, replacer, pull.head !== undefined, dryRun));
      keptOpen?.add(pull.number);
      continue;
    }
    if (dryRun) {
      freeSlot(state, pull);
      log?.(`${pull.branch}: would close #${pull.number}, superseded by ${carrier.branch}`);
      addSuperseded(carrier, pull.number, true);
      continue;
    }
    const number = carrier.number!;
    try {
      const { closed } = await closeSuperseded(repository, [pull], number, state, warn);
      if (closed.length === 0) {
        warn(keptOpenWarning(pull.number, replacer));
        keptOpen?.add(pull.number);
        continue;
      }
      log?.(`${pull.branch}: closed, superseded by #${number}`);
      addSuperseded(carrier, pull.number);
    } catch (caught) {
      // A rate limit or a cancellation stops the writer: no more calls this run.
      if (caught instanceof GitHubPermissionError || caught instanceof GitHubStopError) throw caught;
      const message = caught instanceof Error ? caught.message : String(caught);
      problems.push(warning('', 0, `Could not close #${pull.number} (superseded by #${number}): ${message}`));
    }
  }
  return problems;
}
