/**
 * What one requested branch needs read before it is decided, and no more: nothing when its open
 * pull request's head already carries the plan (see `carriesPlan`); otherwise its closed pull
 * requests, the base's text of its files with the planned edit applied, and its head commit.
 */
import type { PullRequestRequest } from '../plan/branch-name.js';
import { releaseNotesParts, withReleaseNotesParts } from '../plan/release-notes-parts.js';
import { stampBody, type MarkerUpdate } from '../plan/pull-request-text.js';
import {
  carriesPlan,
  filesOf,
  proposesExactly,
  type BranchFacts,
  type PlannedText,
  type RebaseWhen,
  type WriterState,
} from './decide-pull-request.js';
import type { Repository } from './github-call.js';
import type { KnownBranch } from './read-branches.js';
import { isGoneFrom } from './obsolete-pulls.js';
import {
  BaseFiles,
  readBranchHead,
  readBranchPulls,
  readClosedMatch,
  readPlannedEdit,
  type ApplyUpdates,
  type PlannedChange,
} from './read-state.js';

/** What the reading needs besides the request and the run's state. */
export interface FactsContext {
  repository: Repository;
  /** The sanitised branch prefix. */
  prefix: string;
  applyUpdates: ApplyUpdates;
  rebaseWhen: RebaseWhen;
  /** A ticked dashboard box: a closed pull request that proposed this does not keep it back. */
  retryClosed?: boolean;
  /** Renders the planned text; release notes are read only `withNotes`. */
  plannedText: (withNotes: boolean) => Promise<PlannedText>;
  /** The run's reads of the base's files (each file once for all pull requests). */
  baseFiles?: BaseFiles;
  /** Branches read beforehand in bulk (`read-branches.ts`); the others are read here. */
  known?: ReadonlyMap<string, KnownBranch>;
}

/** Reads the facts of one request: the facts, the planned change (files and texts) and the text. */
export async function readBranchFacts(
  request: PullRequestRequest,
  state: WriterState,
  context: FactsContext,
): Promise<{ facts: BranchFacts; change: PlannedChange; text: PlannedText }> {
  const { repository, rebaseWhen } = context;
  const open = state.open.get(request.branch);
  const known = context.known?.get(request.branch);
  const facts: BranchFacts = known?.othersOpen ? { othersPull: known.othersOpen } : {};
  let change: PlannedChange = { files: [], texts: new Map() };
  let kept: PlannedText | undefined;
  if (open && proposesExactly(open.marker, request.updates)) {
    // An open pull request proposes exactly this, so a closed one cannot keep it back; when its
    // head carries the plan, nothing more is read. Its release notes were read when it was
    // written, for the same tags: they are kept, not read again.
    kept = await textKeepingNotes(open.body, context);
    const baseMove = state.baseMoves?.get(request.branch);
    const files = filesOf(request.updates);
    if (carriesPlan(open.head, kept.message, state.baseSha, files, rebaseWhen, baseMove)) {
      return { facts: { head: open.head, ...(baseMove ? { baseMove } : {}) }, change, text: stamped(kept) };
    }
  } else {
    // Not read in bulk: through REST, with whether a person opened a pull request from the branch.
    const pulls = known ? undefined : await readBranchPulls(repository, request.branch, state.base);
    if (pulls?.othersOpen) facts.othersPull = pulls.othersOpen;
    if (!context.retryClosed) {
      const baseFiles = context.baseFiles ?? new BaseFiles(repository, state.baseSha);
      // A closed pull request from before a file moved: its file's release is gone from the base.
      const gone = async (m: MarkerUpdate): Promise<boolean> =>
        isGoneFrom(m, (await baseFiles.read(m.file))?.text, context.applyUpdates);
      const closed =
        known?.closed ??
        pulls?.closed ??
        (await readBranchPulls(repository, request.branch, state.base)).closed;
      facts.closed = await readClosedMatch(repository, context.prefix, request, closed, {
        elsewhere: known?.elsewhere ?? [],
        gone,
      });
    }
  }
  if (!facts.closed) {
    const edit = await readPlannedEdit(
      repository,
      request.updates,
      state.baseSha,
      context.applyUpdates,
      context.baseFiles,
    );
    facts.edit = edit;
    if (edit.ok && edit.files.length > 0) {
      change = edit;
      facts.head = await readBranchHead(
        repository,
        request.branch,
        edit.files.map((f) => f.path),
        rebaseWhen === 'behind-base' ? undefined : state.baseSha,
        open?.head ?? known?.head,
      );
    }
  }
  // Release notes are read only for a pull request that may be written (not a closed or empty one).
  return { facts, change, text: stamped(kept ?? (await context.plannedText(change.files.length > 0))) };
}

/** The text with its body's marker recording what it is written with (see `mustRewriteText`). */
function stamped(text: PlannedText): PlannedText {
  return { ...text, body: stampBody(text.title, text.body) };
}

/**
 * The planned text with the release notes parts of `body`, each put back by its key; read afresh
 * when `body` has none, or not one for each of the planned text's parts (a body written before
 * grouped bodies had a part under each image's section).
 */
async function textKeepingNotes(body: string, context: FactsContext): Promise<PlannedText> {
  const notes = releaseNotesParts(body);
  if (notes.size === 0) return context.plannedText(true);
  const text = await context.plannedText(false);
  const kept = withReleaseNotesParts(text.body, notes);
  return kept === undefined ? context.plannedText(true) : { ...text, body: kept };
}
