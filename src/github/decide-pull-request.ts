/**
 * The writer's decisions, without GitHub: given what was read from GitHub about one branch (its
 * open or closed pull request, its head commit, the planned edit on the base's text) and the run's
 * state, decide what to do with it. The GitHub operations in this directory only carry the
 * decisions out (release-please's pure updaters and create-pull-request's split of its flow from
 * `github-helper.ts` are the models). What was read is in `pull-request-facts.ts`; whether a branch
 * carries the plan in `branch-status.ts`; what a marker proposes in `proposed-updates.ts`; which open
 * pull requests a request replaces in `replaced-pulls.ts`.
 *
 * - Re-runs are idempotent: an open pull request that already proposes exactly this change on the
 *   current base is left alone. A newer tag rebuilds the same branch and retitles its pull request;
 *   a base that moved on gets the branch rebuilt on it.
 * - A branch whose head was not made by this Action (someone pushed to it) is never overwritten,
 *   nor is one a person opened a pull request from.
 * - A tag whose pull request was closed without merging is not proposed again for the containers it
 *   proposed it for (the request is narrowed to the others); merged ones are done.
 * - Pull requests this one replaces (a newer tag with `group-by: image`, a changed `group-by`, or
 *   their file moved on the base: `moved-files.ts`) are closed as superseded, which frees their slots under `max-pull-requests`; so are those a
 *   run's pull requests carry between them (`group-by` changed to a finer grouping). One whose
 *   branch holds someone else's commits is kept open (and keeps its slot).
 */
import type { PullRequestRequest } from '../plan/branch-name.js';
import { mustRewriteText } from '../plan/pull-request-text.js';
import { branchStatus, carriesPlan, type BranchStatus, type RebaseWhen } from './branch-status.js';
import { missingDecorations, type Decorations } from './missing-decorations.js';
import type { OthersOpen } from './others-open.js';
import { filesOf, proposesExactly } from './proposed-updates.js';
import type {
  BranchFacts,
  BranchHead,
  ClosedPull,
  OpenPull,
  PlannedText,
  WriterState,
} from './pull-request-facts.js';
import { closable, replaceable } from './replaced-pulls.js';

/** What to do with one requested branch. */
export type Decision =
  | { kind: 'skip'; why: 'closed'; pull: ClosedPull }
  | { kind: 'skip'; why: 'unappliable'; reason: string }
  | { kind: 'skip'; why: 'no-change' }
  | { kind: 'skip'; why: 'foreign'; open: OpenPull | undefined }
  /** A person's open pull request is from the branch: neither the branch nor it is touched. */
  | { kind: 'skip'; why: 'others-pull'; pull: OthersOpen }
  /** The open pull request already proposes exactly this: no write but its missing decorations. */
  | { kind: 'leave'; open: OpenPull; decorate: Decorations }
  /** Rebuild the branch's commit and/or retitle the open pull request. */
  | {
      kind: 'update';
      open: OpenPull;
      rebuild: boolean;
      retitle: boolean;
      head: BranchHead | undefined;
      supersede: OpenPull[];
      /** Pull requests this one replaces that are kept open: their branches hold others' commits. */
      keep: OpenPull[];
      decorate: Decorations;
    }
  /** `max-pull-requests` are open: no new one. */
  /** `open`: the pull requests of ours that stay open (those this one would supersede left out). */
  | { kind: 'hold-back'; cap: number; open: number }
  /** Open a pull request, committing first unless the branch already holds exactly this commit. */
  | {
      kind: 'create';
      rebuild: boolean;
      head: BranchHead | undefined;
      supersede: OpenPull[];
      keep: OpenPull[];
    };
/** Decides what to do with one requested branch. */
export function decidePullRequest(input: {
  request: PullRequestRequest;
  facts: BranchFacts;
  text: PlannedText;
  state: WriterState;
  maxPullRequests: number;
  /** The decorations the inputs ask for (default none). */
  decorations?: Decorations;
  /** When a branch is rebuilt on a base that moved on (default `conflicted`). */
  rebaseWhen?: RebaseWhen;
  /** A ticked dashboard box: open it even when `maxPullRequests` are open. */
  pastCap?: boolean;
}): Decision {
  const { request, facts, text, state } = input;
  if (facts.closed) return { kind: 'skip', why: 'closed', pull: facts.closed };
  const open = state.open.get(request.branch);
  const sameTargets = !open || proposesExactly(open.marker, request.updates);
  let status: BranchStatus;
  if (!facts.edit) {
    // The base's text is not read when the open pull request's head already carries the plan.
    const files = filesOf(request.updates);
    const carried = carriesPlan(
      facts.head,
      text.message,
      state.baseSha,
      files,
      input.rebaseWhen,
      facts.baseMove,
    );
    if (!open || !sameTargets || !carried) {
      return { kind: 'skip', why: 'unappliable', reason: 'the base branch’s text was not read' };
    }
    status = 'current';
  } else {
    const { edit } = facts;
    if (!edit.ok) return { kind: 'skip', why: 'unappliable', reason: edit.reason };
    if (edit.files.length === 0) return { kind: 'skip', why: 'no-change' };
    status = branchStatus(facts.head, edit.files, text.message, state.baseSha, input.rebaseWhen, sameTargets);
  }
  // Before anything that writes: a rebuilt branch would move the person's pull request too.
  if (facts.othersPull) return { kind: 'skip', why: 'others-pull', pull: facts.othersPull };
  if (status === 'foreign') return { kind: 'skip', why: 'foreign', open };

  if (open) {
    const retitle = mustRewriteText(open, text);
    const rebuild = status !== 'current';
    const decorate = missingDecorations(open.decorations, input.decorations ?? {});
    if (!rebuild && !retitle) return { kind: 'leave', open, decorate };
    const replaced = replaceable(request, state.open, state.moved);
    const supersede = replaced.filter(closable);
    const keep = replaced.filter((pull) => !closable(pull));
    return { kind: 'update', open, rebuild, retitle, head: facts.head, supersede, keep, decorate };
  }

  // A pull request this one replaces frees its slot under the cap; one kept open does not.
  const replaced = replaceable(request, state.open, state.moved);
  const supersede = replaced.filter(closable);
  const staying = state.openCount - supersede.length;
  if (!input.pastCap && staying >= input.maxPullRequests) {
    return { kind: 'hold-back', cap: input.maxPullRequests, open: staying };
  }
  const keep = replaced.filter((pull) => !closable(pull));
  return { kind: 'create', rebuild: status !== 'current', head: facts.head, supersede, keep };
}
