/**
 * The writer's decisions, without GitHub: given what was read from GitHub about one branch (its
 * open or closed pull request, its head commit, the planned edit on the base's text) and the run's
 * state, decide what to do with it. The GitHub operations in this directory only carry the
 * decisions out (release-please's pure updaters and create-pull-request's split of its flow from
 * `github-helper.ts` are the models).
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
import { mustRewriteText, type PullRequestMarker } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import { missingDecorations, type Decorations, type PresentDecorations } from './missing-decorations.js';
import { sameContainer, type MovedFiles } from './moved-files.js';
import { isOurCommit, type CommitDates } from './our-commit.js';
import type { OthersOpen } from './others-open.js';

export { isOurCommit, type CommitDates } from './our-commit.js';
export {
  isEmptyDecorations,
  missingDecorations,
  teamSlug,
  withoutAuthor,
  type Decorations,
  type PresentDecorations,
} from './missing-decorations.js';

/** An open pull request of ours (head branch in this repository, under our prefix, with our marker). */
export interface OpenPull {
  number: number;
  url: string;
  title: string;
  body: string;
  /** The head branch. */
  branch: string;
  marker: PullRequestMarker;
  /** Its labels, requested reviewers and teams (slugs), and assignees. */
  decorations: PresentDecorations;
  /** Its head commit, when it was read with the list (its `blobs` are not read). */
  head?: BranchHead;
}

/** A closed pull request of ours that proposed the requested targets (or some of them). */
export interface ClosedPull {
  number: number;
  url: string;
  merged: boolean;
}

/** Updates of a request that a closed pull request of ours proposed: they are not proposed again. */
export interface Refusal {
  pull: ClosedPull;
  updates: Update[];
}

/**
 * The updates closed pull requests of ours keep back, each with one pull request that proposed it
 * (`proposed`, in the order read, each with the updates it proposed). The one that proposed the most
 * of those left is named first (the earliest of equals), so a pull request that proposed them all
 * is the only one named, as when a whole request was kept back by one.
 */
export function refusalsOf(
  updates: readonly Update[],
  proposed: readonly { pull: ClosedPull; updates: ReadonlySet<Update> }[],
): Refusal[] {
  const refusals: Refusal[] = [];
  let left = [...updates];
  for (;;) {
    let best: Refusal | undefined;
    for (const { pull, updates: its } of proposed) {
      const kept = left.filter((u) => its.has(u));
      if (kept.length > (best?.updates.length ?? 0)) best = { pull, updates: kept };
    }
    if (!best) return refusals;
    refusals.push(best);
    left = left.filter((u) => !best.updates.includes(u));
  }
}

/** One file the planned edit changes. */
export interface PlannedFile {
  path: string;
  /** Git blob id of the base's copy. */
  baseBlob: string;
  /** Git blob id of the edited text. */
  desiredBlob: string;
}

/** The planned edit applied to the base branch's text. */
export type PlannedEdit = { ok: true; files: PlannedFile[] } | { ok: false; reason: string };

/** The head commit of a branch. */
export interface BranchHead extends CommitDates {
  sha: string;
  parents: readonly string[];
  message: string;
  /** Git blob id of each planned file at the head (undefined: not there, or not read). */
  blobs: ReadonlyMap<string, string | undefined>;
  /**
   * Git blob id of each planned file at the head's parent, read only when the parent is not the
   * base's head (so whether the base's copy changed since can be told); undefined when not read.
   */
  parentBlobs?: ReadonlyMap<string, string | undefined>;
}

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

/** What was read from GitHub about one requested branch. */
export interface BranchFacts {
  /**
   * A closed pull request of ours that proposed these targets; nothing else is read then. (One that
   * proposed some of them narrows the request instead: `read-branch-facts.ts`.)
   */
  closed?: ClosedPull;
  /**
   * The planned edit on the base's text; absent when `closed` is set, or when the open pull
   * request's head carries the plan (see {@link carriesPlan}).
   */
  edit?: PlannedEdit;
  /** The branch's head commit; undefined when the branch does not exist (or was not read). */
  head?: BranchHead;
  /** When the base moved on since the head's parent: the files' blob ids at both. */
  baseMove?: BaseMove;
  /**
   * An open pull request a person opened from the branch (no marker of ours): the branch is
   * theirs now, and moving it would change their pull request under them. Or one of ours into
   * another base (`base`), which the branch would carry this base's commits into.
   */
  othersPull?: OthersOpen;
}

/** The title, body and commit message the request should have. */
export interface PlannedText {
  title: string;
  body: string;
  message: string;
}

/** State shared by the pull requests of one run. */
export interface WriterState {
  /** The base branch. */
  base: string;
  /** The base branch's head commit when the run started. */
  baseSha: string;
  /** Our open pull requests on the base, by head branch. */
  open: Map<string, OpenPull>;
  /** How many of ours are open (counting those this run opened). */
  openCount: number;
  /** For our open pull requests whose head's parent is not the base: their files' blob ids at both. */
  baseMoves?: ReadonlyMap<string, BaseMove>;
  /** Containers of our open pull requests whose files moved on the base (`moved-files.ts`). */
  moved?: MovedFiles;
}

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

/** Blob ids of a pull request's files at its head's parent and at the base (read in bulk). */
export interface BaseMove {
  parent: ReadonlyMap<string, string | undefined>;
  base: ReadonlyMap<string, string | undefined>;
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
  return files.every((path) => {
    const blob = baseMove.base.get(path);
    return blob !== undefined && baseMove.parent.get(path) === blob;
  });
}

/** The files a request's updates change, each once. */
export function filesOf(updates: readonly Update[]): string[] {
  return [...new Set(updates.map((u) => u.file))];
}

/** True when a marker proposes exactly the updates' targets, no more and no fewer. */
export function proposesExactly(marker: PullRequestMarker, updates: readonly Update[]): boolean {
  return marker.updates.length === updates.length && proposesAll(marker, updates);
}

/** True when a marker proposes every update's target (same file, release, container and tag). */
export function proposesAll(marker: PullRequestMarker, updates: readonly Update[]): boolean {
  return updates.every((u) =>
    marker.updates.some(
      (m) => m.file === u.file && m.release === u.release && m.container === u.container && m.to === u.to,
    ),
  );
}

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
