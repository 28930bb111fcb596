/**
 * What the writer reads from GitHub about one requested branch and about the run (our open and
 * closed pull requests, a branch's head commit, the planned edit on the base's text), as plain
 * data: the input of the writer's decisions (`decide-pull-request.ts`).
 */
import type { PullRequestMarker } from '../plan/pull-request-text.js';
import type { PresentDecorations } from './missing-decorations.js';
import type { MovedFiles } from './moved-files.js';
import type { CommitDates } from './our-commit.js';
import type { NewerPull } from './newer-pulls.js';
import type { OthersOpen } from './others-open.js';

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
/** What the base did to a pull request's files since its head's parent (read in bulk). */
export interface BaseMove {
  /** The files the base holds as the head's parent held them. */
  unchanged: ReadonlySet<string>;
}
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
  /** When the base moved on since the head's parent: which files it left as they were. */
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
  /** How many of ours are open (counting those this run opened, and {@link newer}). */
  openCount: number;
  /**
   * Open pull requests on the base from our branches whose marker a newer version of this Action
   * wrote: never written to, and no request they propose for is written (`newer-pulls.ts`).
   */
  newer?: readonly NewerPull[];
  /** For our open pull requests whose head's parent is not the base: which files it left as they were. */
  baseMoves?: ReadonlyMap<string, BaseMove>;
  /** Containers of our open pull requests whose files moved on the base (`moved-files.ts`). */
  moved?: MovedFiles;
}
