/**
 * What one requested branch needs read before it is decided, and no more: nothing when its open
 * pull request's head already carries the plan (see `carriesPlan`); otherwise its closed pull
 * requests (which may narrow the request: see {@link readBranchFacts}), the base's text of its
 * files with the planned edit applied, and its head commit.
 */
import { regroupedBranches, type PullRequestRequest } from '../plan/branch-name.js';
import { releaseNotesParts, withReleaseNotesParts } from '../plan/release-notes-parts.js';
import { stampBody, type MarkerUpdate } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import { carriesPlan, type RebaseWhen } from './branch-status.js';
import { filesOf, proposesAll, proposesExactly, type Refusal } from './proposed-updates.js';
import { type BranchFacts, type PlannedText, type WriterState } from './pull-request-facts.js';
import type { Repository } from './github-call.js';
import type { KnownBranch } from './read-branches.js';
import { isGoneFrom } from './obsolete-pulls.js';
import { BaseFiles, readPlannedEdit, type ApplyUpdates, type PlannedChange } from './base-files.js';
import { readBranchHead } from './branch-head.js';
import { readBranchPulls, readClosedRefusals, type ListedPull } from './read-state.js';

/** What the reading needs besides the request and the run's state. */
export interface FactsContext {
  repository: Repository;
  /** The sanitised branch prefix. */
  prefix: string;
  applyUpdates: ApplyUpdates;
  rebaseWhen: RebaseWhen;
  /**
   * Whether the dashboard's Retry box of these updates of the request is ticked: a closed pull
   * request that proposed them does not keep them back.
   */
  retry?: (updates: readonly Update[]) => boolean;
  /** Renders the planned text of a request; release notes are read only `withNotes`. */
  plannedText: (request: PullRequestRequest, withNotes: boolean) => Promise<PlannedText>;
  /** The run's reads of the base's files (each file once for all pull requests). */
  baseFiles?: BaseFiles;
  /** Branches read beforehand in bulk (`read-branches.ts`); the others are read here. */
  known?: ReadonlyMap<string, KnownBranch>;
}

/** What was read of one request. */
export interface ReadRequest {
  /**
   * The request to decide: the one given, less the updates `refused` keeps back. When a closed
   * pull request keeps back all that is left, these are its updates and `facts.closed` is set.
   */
  request: PullRequestRequest;
  /** Updates of the request closed pull requests of ours keep back, besides `facts.closed`'s. */
  refused: Refusal[];
  facts: BranchFacts;
  /** The planned change: its files and texts. */
  change: PlannedChange;
  text: PlannedText;
}

/** The closed pull requests of a request's branches under the other `group-by` values, through REST. */
async function readRegroupedPulls(
  repository: Repository,
  request: PullRequestRequest,
  prefix: string,
): Promise<ListedPull[]> {
  const closed: ListedPull[] = [];
  for (const branch of regroupedBranches(request, prefix)) {
    closed.push(...(await readBranchPulls(repository, branch)).closed);
  }
  return closed;
}

/**
 * Reads the facts of one request. An update its branch's open pull request does not propose is
 * kept back when a closed pull request of ours proposed it (and no Retry box of it is ticked):
 * the request is narrowed to the others, so a release added since, or another container's newer
 * tag, is proposed without the tags a person refused, and, the next run, the open pull request
 * proposing the narrowed request is recognised as it.
 */
export async function readBranchFacts(
  requested: PullRequestRequest,
  state: WriterState,
  context: FactsContext,
): Promise<ReadRequest> {
  const { repository, rebaseWhen } = context;
  const retry = context.retry ?? (() => false);
  let request = requested;
  const refused: Refusal[] = [];
  const open = state.open.get(request.branch);
  const known = context.known?.get(request.branch);
  const facts: BranchFacts = known?.othersOpen ? { othersPull: known.othersOpen } : {};
  const change: PlannedChange = { files: [], texts: new Map() };
  const result = (text: PlannedText, more: Partial<ReadRequest> = {}): ReadRequest => ({
    request,
    refused,
    facts,
    change,
    text: stamped(text),
    ...more,
  });
  if (!(open && proposesExactly(open.marker, request.updates))) {
    // Not read in bulk: through REST, with whether a person opened a pull request from the branch.
    const pulls = known ? undefined : await readBranchPulls(repository, request.branch, state.base);
    if (pulls?.othersOpen) facts.othersPull = pulls.othersOpen;
    if (!retry(request.updates)) {
      const baseFiles = context.baseFiles ?? new BaseFiles(repository, state.baseSha);
      // A closed pull request from before a file moved: its file's release is gone from the base.
      const gone = async (m: MarkerUpdate): Promise<boolean> =>
        isGoneFrom(m, (await baseFiles.read(m.file))?.text, context.applyUpdates);
      const closed = [
        ...(known?.closed ??
          pulls?.closed ??
          (await readBranchPulls(repository, request.branch, state.base)).closed),
        // A tag refused under another `group-by` stays refused.
        ...(known?.regrouped ?? (await readRegroupedPulls(repository, request, context.prefix))),
      ];
      // What the open pull request proposes was proposed again (Retry ticked, or written so
      // before): no closed one keeps it back.
      const askable = request.updates.filter((u) => !open || !proposesAll(open.marker, [u]));
      const refusals = await readClosedRefusals(repository, context.prefix, askable, closed, {
        elsewhere: known?.elsewhere ?? [],
        gone,
      });
      refused.push(...refusals.filter((r) => !retry(r.updates)));
      const rest = request.updates.filter((u) => !refused.some((r) => r.updates.includes(u)));
      if (rest.length === 0) {
        // All kept back: the request is the first pull request's, the others are reported beside it.
        const first = refused.shift()!;
        facts.closed = first.pull;
        if (first.updates.length !== request.updates.length) {
          request = { branch: request.branch, updates: first.updates };
        }
        // Release notes are read only for a pull request that may be written.
        return result(await context.plannedText(request, false));
      }
      if (refused.length > 0) request = { branch: request.branch, updates: rest };
    }
  }
  let kept: PlannedText | undefined;
  if (open && proposesExactly(open.marker, request.updates)) {
    // An open pull request proposes exactly this, so a closed one cannot keep it back; when its
    // head carries the plan, nothing more is read. Its release notes were read when it was
    // written, for the same tags: they are kept, not read again.
    kept = await textKeepingNotes(open.body, request, context);
    const baseMove = state.baseMoves?.get(request.branch);
    const files = filesOf(request.updates);
    if (carriesPlan(open.head, kept.message, state.baseSha, files, rebaseWhen, baseMove)) {
      return result(kept, { facts: { ...facts, head: open.head, ...(baseMove ? { baseMove } : {}) } });
    }
  }
  const edit = await readPlannedEdit(
    repository,
    request.updates,
    state.baseSha,
    context.applyUpdates,
    context.baseFiles,
  );
  facts.edit = edit;
  let planned = change;
  if (edit.ok && edit.files.length > 0) {
    planned = edit;
    facts.head = await readBranchHead(
      repository,
      request.branch,
      edit.files.map((f) => f.path),
      rebaseWhen === 'behind-base' ? undefined : state.baseSha,
      open?.head ?? known?.head,
    );
  }
  // Release notes are read only for a pull request that may be written (not an empty one).
  const text = kept ?? (await context.plannedText(request, planned.files.length > 0));
  return result(text, { change: planned });
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
async function textKeepingNotes(
  body: string,
  request: PullRequestRequest,
  context: FactsContext,
): Promise<PlannedText> {
  const notes = releaseNotesParts(body);
  if (notes.size === 0) return context.plannedText(request, true);
  const text = await context.plannedText(request, false);
  const kept = withReleaseNotesParts(text.body, notes);
  return kept === undefined ? context.plannedText(request, true) : { ...text, body: kept };
}
