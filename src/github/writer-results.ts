/**
 * What the writer reports for each request: the action taken, and the reason a person reads in the
 * job summary and the log. Kept apart from the GitHub calls so the wording of every outcome (skips,
 * supersedes) is in one place and stays pure.
 */
import type { PullRequestOutcome } from '../ports.js';
import type { PullRequestRequest } from '../plan/branch-name.js';
import type { Decision } from './decide-pull-request.js';
import type { OthersOpen } from './others-open.js';
import { utcMinute } from './github-call.js';
import { plural } from '../plural.js';
import { supersedesReason } from '../supersedes-text.js';
import { NOT_REACHED_CANCELLED } from '../cancelled-text.js';

/**
 * What happened to one pull request: to a request's, or (`closed`, `would-close`) to an open one of
 * ours the base branch made obsolete (`obsolete-pulls.ts`), or (`unchanged`) to one the run left
 * open without a request's result ({@link leftOpenResults}); these carry no updates.
 */
export type PullRequestAction =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'skipped'
  | 'held-back'
  | 'would-create'
  | 'would-update'
  | 'failed'
  | 'closed'
  | 'would-close';

/** The outcome for one pull request. */
export interface PullRequestResult extends PullRequestOutcome {
  action: PullRequestAction;
}

/**
 * What a result may carry besides its action. `reason` is its own: what it `supersedes` is said
 * after it when the result is made.
 */
export type ResultDetails = Pick<PullRequestOutcome, 'number' | 'url' | 'reason' | 'skipped' | 'supersedes'>;

/** Results after which the request's pull request is open. */
export const OPEN_AFTER: ReadonlySet<PullRequestAction> = new Set(['created', 'updated', 'unchanged']);

/** A dry run's results after which a real run's pull request would be open. */
export const OPEN_AFTER_DRY_RUN: ReadonlySet<PullRequestAction> = new Set([
  'would-create',
  'would-update',
  'unchanged',
]);

/**
 * The result of `action` on a request; its reason says what it supersedes, if anything (`would
 * supersede` in a dry run).
 */
export function resultOf(
  request: PullRequestRequest,
  action: PullRequestAction,
  details: ResultDetails = {},
  dryRun = false,
): PullRequestResult {
  const { supersedes, ...rest } = details;
  const result: PullRequestResult = { action, branch: request.branch, updates: request.updates, ...rest };
  if (supersedes?.length) setSupersedes(result, [...supersedes], details.reason, dryRun);
  return result;
}

/**
 * The results when GitHub's rate limit refused `failed`'s call (or, undefined, a call of no request's,
 * as reading the state or closing an obsolete pull request): it failed, and `rest` are not tried
 * (each would be refused until the limit resets, and calls made while limited can get the token
 * blocked for longer). One problem names them and when the next run can write them; a call of no
 * request's is said in that problem too, rather than in one of its own.
 */
export function stoppedByRateLimit(
  failed: PullRequestRequest | undefined,
  limit: { message: string; endpoint: string; resetAt: Date | undefined },
  rest: readonly PullRequestRequest[],
): { results: PullRequestResult[]; problems: { updates: PullRequestRequest['updates']; message: string }[] } {
  const reason = `not tried after GitHub's rate limit refused ${limit.endpoint}; the next run writes it`;
  const notTried = rest.map((request) => resultOf(request, 'failed', { reason }));
  const names = rest.map((r) => r.branch).join(', ');
  if (!failed) {
    // Refused while reading the state or closing pull requests: no request was being written.
    const message =
      rest.length === 0
        ? `Stopped writing pull requests: ${limit.message}`
        : `Could not write the pull requests for ${names}: ${limit.message}; the next run writes them.`;
    return { results: notTried, problems: [{ updates: rest[0]?.updates ?? [], message }] };
  }
  const problems = [
    {
      updates: failed.updates,
      message: `Could not write the pull request for ${failed.branch}: ${limit.message}`,
    },
  ];
  const results = [resultOf(failed, 'failed', { reason: limit.message }), ...notTried];
  if (rest.length === 0) return { results, problems };
  const when = limit.resetAt ? `, after ${utcMinute(limit.resetAt)},` : '';
  problems.push({
    updates: rest[0]!.updates,
    message:
      `Could not write the pull requests for ${names}: not tried after ` +
      `GitHub's rate limit refused ${limit.endpoint}; the next run${when} writes them.`,
  });
  return { results, problems };
}

/**
 * The results when the run was cancelled while `stopped`'s call was unsent or unanswered (undefined:
 * while reading the state or closing a pull request no request writes), and `rest` were not
 * reached. The one stopped part way is `failed`, never claimed: what it wrote before is left as the
 * next run repairs it (README, "Runs that overlap or stop half way"). One problem names them all.
 */
export function stoppedByCancel(
  stopped: PullRequestRequest | undefined,
  cancelled: { message: string },
  rest: readonly PullRequestRequest[],
): { results: PullRequestResult[]; problems: { updates: PullRequestRequest['updates']; message: string }[] } {
  // The message says what became of a branch created for it, and what the next run does then.
  const next = /the next run/.test(cancelled.message) ? '' : '; the next run finishes it';
  const partWay = stopped
    ? [resultOf(stopped, 'failed', { reason: `stopped part way: ${cancelled.message}${next}` })]
    : [];
  const results = [
    ...partWay,
    ...rest.map((request) => resultOf(request, 'failed', { reason: NOT_REACHED_CANCELLED })),
  ];
  const which = [
    ...(stopped ? [`stopped part way: ${stopped.branch}`] : []),
    ...(rest.length ? [`not reached: ${rest.map((r) => r.branch).join(', ')}`] : []),
  ];
  const message =
    which.length === 0
      ? `Stopped writing pull requests: ${cancelled.message}.`
      : `The run was cancelled before it wrote every pull request (${which.join('; ')}); the next run writes them.`;
  return { results, problems: [{ updates: (stopped ?? rest[0])?.updates ?? [], message }] };
}

/** Pull requests GitHub may fail in a row, with no answer or a server error, before the rest wait. */
export const MAX_OUTAGE_FAILURES = 3;

/**
 * The results of the requests not tried after GitHub failed {@link MAX_OUTAGE_FAILURES} pull requests
 * in a row for want of an answer or with server errors, and the one problem naming them: trying each
 * of the rest, every call with its retries, would take minutes a pull request while GitHub is down
 * (an hour for 20 against a GitHub that hangs), and the job could be stopped before its summary.
 */
export function stoppedByOutage(rest: readonly PullRequestRequest[]): {
  results: PullRequestResult[];
  problem: { updates: PullRequestRequest['updates']; message: string };
} {
  const why = `GitHub failed the last ${MAX_OUTAGE_FAILURES} pull requests in a row, with no answer or a server error`;
  return {
    results: rest.map((request) =>
      resultOf(request, 'failed', { reason: `not tried after ${why}; the next run writes it` }),
    ),
    problem: {
      updates: rest[0]?.updates ?? [],
      message: `Could not write the pull requests for ${rest.map((r) => r.branch).join(', ')}: not tried after ${why}; nothing needs to change, and the next run writes them.`,
    },
  };
}

/**
 * A dry run's result for a request a real run would create or update, naming the open pull requests
 * it would close as superseded (`superseded`, from `superseded-pulls.ts`).
 */
export function wouldWriteResult(
  request: PullRequestRequest,
  decision: Extract<Decision, { kind: 'create' | 'update' }>,
  superseded: Superseding,
): PullRequestResult {
  if (decision.kind === 'create') return resultOf(request, 'would-create', superseded, true);
  const { open } = decision;
  const why = decision.rebuild ? 'new commit on the current base' : 'title or description changed';
  return resultOf(
    request,
    'would-update',
    { number: open.number, url: open.url, reason: why, ...superseded },
    true,
  );
}

/**
 * An `unchanged` result for each of `open` (our pull requests open after the run, or after a real
 * one in a dry run) that no result says is open after it: one the plan no longer names (locked or
 * filtered on the base, its registry unread, out of scope), one kept open with someone else's
 * commits, one whose request was skipped. The run left them as they were; they carry no updates.
 * One whose request `failed` is left out: its write may have been part done.
 */
export function leftOpenResults(
  open: Iterable<{ number: number; url: string; branch: string }>,
  results: readonly PullRequestResult[],
  dryRun = false,
): PullRequestResult[] {
  const openAfter = dryRun ? OPEN_AFTER_DRY_RUN : OPEN_AFTER;
  const said = results.filter((r) => openAfter.has(r.action) || r.action === 'failed');
  const numbers = new Set(said.flatMap((r) => (r.number === undefined ? [] : [r.number])));
  const branches = new Set(said.map((r) => r.branch));
  return [...open]
    .filter((pull) => !numbers.has(pull.number) && !branches.has(pull.branch))
    .map((pull) => ({
      action: 'unchanged',
      branch: pull.branch,
      number: pull.number,
      url: pull.url,
      updates: [],
    }));
}

/**
 * Why a pull request is held back by `max-pull-requests`, and the ways out: one of the open ones
 * merged or closed (a later run then opens it), a higher cap, or the dashboard's Open now box.
 */
export function heldBackReason(
  decision: Extract<Decision, { kind: 'hold-back' }>,
  dashboard: boolean,
  dryRun = false,
): string {
  const tick = dashboard ? ', or tick Open now on the dashboard issue' : '';
  // No slot ever frees under a cap of 0: waiting for a merge would be waiting forever.
  if (decision.cap === 0)
    return `max-pull-requests is 0, so no pull request is opened; raise max-pull-requests${tick}`;
  // A dry run counts the ones it would open among them, which are not open yet.
  const verb = dryRun ? 'would be' : decision.open === 1 ? 'is' : 'are';
  const open = `${plural(decision.open, 'pull request')} of this Action ${verb} open`;
  return (
    `${open} (max-pull-requests: ${decision.cap}); a later run opens this one once one of them is merged ` +
    `or closed, or raise max-pull-requests${tick}`
  );
}

/**
 * The result of a skipped request, and a warning where someone should look (a branch someone else
 * pushed to, an edit that no longer applies). `dashboard`: a dashboard issue is kept (its Retry box
 * is named).
 */
export function skippedResult(
  request: PullRequestRequest,
  decision: Extract<Decision, { kind: 'skip' }>,
  base: string,
  dashboard = false,
): { result: PullRequestResult; warning?: string } {
  switch (decision.why) {
    case 'closed': {
      const { pull } = decision;
      return {
        result: resultOf(request, 'skipped', {
          number: pull.number,
          url: pull.url,
          skipped: pull.merged ? 'merged' : 'closed',
          // Reopened, it is an open pull request of these tags again (read-branch-facts.ts); a
          // newer tag is another target, which no closed pull request keeps back.
          // A merged one is asked about only when the base no longer has its tags: a revert (or a
          // hand edit back), which is a person's no to that tag as a close without merging is.
          reason: pull.merged
            ? `#${pull.number} merged this, and the base no longer has it (reverted since?), so it is not proposed ` +
              'again; a newer tag is proposed as usual'
            : `#${pull.number} proposed this and was closed without merging, so it is not proposed again: ` +
              `reopen it${dashboard ? ' or tick Retry on the dashboard issue' : ''} to have it proposed; ` +
              'a newer tag is proposed as usual',
        }),
      };
    }
    case 'unappliable':
      return {
        result: resultOf(request, 'skipped', { reason: decision.reason, skipped: 'unappliable' }),
        warning: `Not updating ${request.branch}: ${decision.reason}`,
      };
    case 'no-change':
      return {
        result: resultOf(request, 'skipped', {
          reason: `${base} already has these tags`,
          skipped: 'no-change',
        }),
      };
    case 'others-pull':
      return othersPullResult(request, decision.pull);
    case 'foreign': {
      const reason = `branch ${request.branch} has commits not made by this Action; leaving it and its pull request alone`;
      return {
        result: resultOf(request, 'skipped', {
          number: decision.open?.number,
          url: decision.open?.url,
          reason,
          skipped: 'foreign',
        }),
        warning: reason,
      };
    }
  }
}

/**
 * The result of a request whose branch has an open pull request a person opened (no marker of
 * ours), and the warning naming it: it is left as it is, title, description and decorations, and
 * so is its branch, which moving would change the person's pull request under them. Likewise one
 * of ours into another base (a workflow with another `base-branch` and the same `branch-prefix`):
 * one branch cannot carry a bump onto two bases without carrying one base's commits into the other.
 */
export function othersPullResult(
  request: PullRequestRequest,
  pull: OthersOpen,
): { result: PullRequestResult; warning: string } {
  const { number, url } = pull;
  if (pull.base !== undefined) {
    const reason = `#${number} from ${request.branch} carries this update into ${pull.base}; leaving it and its branch as they are`;
    return {
      result: resultOf(request, 'skipped', { number, url, reason, skipped: 'foreign' }),
      warning:
        `Pull request #${number} from ${request.branch} goes into ${pull.base}, not this run's base branch, so the ` +
        `branch is left as it is and no pull request is opened here: one branch would carry one base's commits ` +
        `into the other. Give each base-branch its own branch-prefix (for example ` +
        `branch-prefix: helmrelease-image-updater/<base>/)`,
    };
  }
  const reason = `#${number} from ${request.branch} was not opened by this Action; leaving it and its branch as they are`;
  return {
    result: resultOf(request, 'skipped', { number, url, reason, skipped: 'foreign' }),
    warning:
      `Pull request #${number} from ${request.branch} was not opened by this Action (its description has ` +
      'no marker of ours), so it and its branch are left as they are, without updates: merge it as it is, or, to ' +
      'get updates again, close it (the next run rebuilds the branch and opens its own pull request) or rename ' +
      `its branch (GitHub moves #${number} with it)`,
  };
}

/**
 * The pull request that replaces others: its number, or its branch when it has none yet (one a dry
 * run would open).
 */
export type Replacer = { number: number } | { branch: string };

/** `#7`, or `the pull request from <branch>`. */
function replacerName(by: Replacer): string {
  return 'number' in by ? `#${by.number}` : `the pull request from ${by.branch}`;
}

/**
 * The pull requests a result replaced, by number (nothing when there are none); its reason names
 * them when the result is made ({@link resultOf}).
 */
export type Superseding = Pick<PullRequestOutcome, 'supersedes'>;

/** The {@link Superseding} of a result that replaced the pull requests `numbers`. */
export function superseding(numbers: readonly number[]): Superseding {
  return numbers.length ? { supersedes: [...numbers] } : {};
}

/**
 * The reason of a pull request the run went to open and found open (GitHub's 422 "A pull request
 * already exists"), then updated: a run that overlapped this one opened it, or this run's own
 * request did and its answer was lost. Said, or the run that lost the race listed as its own the
 * pull requests another run opened.
 */
export const FOUND_OPEN =
  'found open: another run opened it meanwhile, or this one did and its answer was lost';

/** `reason; more`, or whichever of the two is there. */
export function joinReasons(reason: string | undefined, more: string | undefined): string | undefined {
  return reason && more ? `${reason}; ${more}` : reason || more;
}

/**
 * Sets what `result` supersedes, and renders its reason from its own (`own`) and those numbers,
 * said last: `new commit on the current base; would supersede #3, #5`.
 */
function setSupersedes(
  result: PullRequestOutcome,
  numbers: number[],
  own: string | undefined,
  dryRun: boolean,
): void {
  result.supersedes = numbers;
  result.reason = joinReasons(own, supersedesReason(numbers, dryRun));
  if (own === undefined) delete result.ownReason;
  else result.ownReason = own;
}

/** Adds `number` to what `result` supersedes (or, in a dry run, would): its numbers and its reason. */
export function addSuperseded(result: PullRequestOutcome, number: number, dryRun = false): void {
  const own = result.supersedes?.length ? result.ownReason : result.reason;
  setSupersedes(result, [...(result.supersedes ?? []), number], own, dryRun);
}

/**
 * The warning for a pull request a newer one (`by`) replaces but that was kept open (or, in a dry
 * run, would be): its branch holds someone else's commits, or (`headRead` false) its head could not
 * be read.
 */
export function keptOpenWarning(number: number, by: Replacer, headRead = true, dryRun = false): string {
  const why = headRead ? ' has commits not made by this Action' : '’s head commit could not be read';
  if (dryRun) return `#${number}${why}, so it would be left open; ${replacerName(by)} would replace it`;
  return `#${number}${why}, so it was left open; ${replacerName(by)} replaces it`;
}
