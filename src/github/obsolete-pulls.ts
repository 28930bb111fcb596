/**
 * Closing our open pull requests whose change the base branch already has: a person made the bump
 * by hand, or it came in another way (Renovate's "autoclosed"). Left open, such a pull request
 * proposes nothing, is never mentioned again, and holds one of the `max-pull-requests` slots, so
 * new bumps are held back with no other word.
 *
 * Only what is certain is closed: a request of the run found the base already has its tags, or the
 * base's text of a pull request's files, with its marker's targets applied, is unchanged (every
 * tag it proposes is there). A pull request the run's plan merely lacks is left open: a registry
 * that failed or an `images` or `paths` scope keeps a bump out of one run's plan, and it still
 * applies to the base, so nothing is said; one that no longer applies there (its file or container
 * gone, its release locked, its tag no longer allowed by the filter there or moved on by someone)
 * stays open with a warning saying why, unless its file moved and a request of the run is for the
 * new file (`moved-files.ts`): that request's pull request supersedes it. Like the superseded ones
 * (`superseded-pulls.ts`), only pull requests whose branches hold just our commit are closed; one
 * with someone else's commits is left open with a warning.
 */
import { groupBy } from '../group-by.js';
import type { UpdateTarget } from '../edit/locate-target.js';
import type { MarkerUpdate, PullRequestMarker } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import { warning, type Problem } from '../problems.js';
import { closeOurPull, freeSlot } from './branch-cleanup.js';
import { closable } from './replaced-pulls.js';
import { type OpenPull, type WriterState } from './pull-request-facts.js';
import { GitHubPermissionError, GitHubStopError, type Repository } from './github-call.js';
import { findMoves, movesOf } from './moved-files.js';
import { closeAsObsolete } from './pull-requests.js';
import type { ApplyUpdates, BaseFiles } from './base-files.js';
import type { PullRequestResult } from './writer-results.js';

/** What a pull request's proposal is checked against: the base commit's files and the edit. */
export interface BaseCheck {
  baseFiles: BaseFiles;
  applyUpdates: ApplyUpdates;
}

/**
 * A marker's updates as edit targets. The marker records neither the document index, the digest
 * nor the filter: a release whose name two documents of its file share, or an image pinned by
 * digest, is refused, and so never taken for done. Without `from`, the tag there now is not
 * checked. The filter there must still allow the tag proposed (`allowedHere`), as a lock must be
 * lifted: a filter narrowed since refuses it.
 */
export function markerTargets(updates: readonly MarkerUpdate[]): UpdateTarget[] {
  return updates.map((u) => ({
    release: u.release,
    documentIndex: -1,
    container: u.container,
    repository: u.repository,
    from: u.from,
    to: u.to,
    allowedHere: true,
  }));
}

/**
 * What the base's text makes of a pull request's marker: every tag it proposes is there (`done`),
 * it still applies from the tags it was made from (`applies`), or it no longer does (a file or
 * container gone, a lock, a filter that no longer allows its tag, a tag moved on by someone), with
 * the sentence saying why.
 */
export type BaseState = { kind: 'done' } | { kind: 'applies' } | { kind: 'refused'; reason: string };

/** {@link BaseState} of `marker` against `texts` (each file's base text, undefined where gone). */
export function baseStateOf(
  marker: PullRequestMarker,
  texts: ReadonlyMap<string, string | undefined>,
  applyUpdates: ApplyUpdates,
): BaseState {
  let applies = false;
  for (const [file, updates] of groupBy(marker.updates, (u) => u.file)) {
    const text = texts.get(file);
    if (text === undefined) return { kind: 'refused', reason: `${file} does not exist on the base branch` };
    const applied = applyUpdates(file, text, markerTargets(updates));
    if (!applied.ok) return { kind: 'refused', reason: `${file}: ${applied.reason}` };
    if (applied.text !== text) applies = true;
  }
  return applies ? { kind: 'applies' } : { kind: 'done' };
}

/**
 * True when the base no longer holds a marker update's release in its file: `text` (the base's
 * text of the file) is undefined, as the file is gone, or the release is not in it. Any other
 * refusal (a lock, a container removed, a tag changed) is not a move.
 */
export function isGoneFrom(m: MarkerUpdate, text: string | undefined, applyUpdates: ApplyUpdates): boolean {
  if (text === undefined) return true;
  const applied = applyUpdates(m.file, text, markerTargets([m]));
  return !applied.ok && applied.releaseAbsent === true;
}

/**
 * Which of `pulls` (our open pull requests no request names) edit files that moved on the base to
 * a file of the `requests`' updates (`moved-files.ts`): records the moves in `state.moved`, so the
 * requests of the new files supersede them, and returns them. Reads the base's text of their files
 * (once, with the run's other reads of them); a file that cannot be read is taken as not moved.
 */
export async function readMovedPulls(
  pulls: readonly OpenPull[],
  state: WriterState,
  requests: readonly { updates: readonly Update[] }[],
  check: BaseCheck,
): Promise<OpenPull[]> {
  const texts = new Map<string, string | undefined>();
  const unread = new Set<string>();
  for (const file of new Set(pulls.flatMap((pull) => pull.marker.updates.map((u) => u.file)))) {
    try {
      texts.set(file, (await check.baseFiles.read(file))?.text);
    } catch {
      unread.add(file);
    }
  }
  const updates = requests.flatMap((request) => request.updates);
  const gone = (m: MarkerUpdate): boolean =>
    !unread.has(m.file) && isGoneFrom(m, texts.get(m.file), check.applyUpdates);
  state.moved = findMoves(pulls, state.open.values(), updates, gone);
  return pulls.filter((pull) => movesOf(pull.marker, state.moved).length > 0);
}

/**
 * True when `texts` (the base's text of each file, undefined where it does not exist) already hold
 * every tag the marker proposes: applying its targets changes nothing. A file that is gone, or a
 * target that no longer applies (a lock, a container removed), is not "already there".
 */
export function hasEveryTag(
  marker: PullRequestMarker,
  texts: ReadonlyMap<string, string | undefined>,
  applyUpdates: ApplyUpdates,
): boolean {
  return marker.updates.length > 0 && baseStateOf(marker, texts, applyUpdates).kind === 'done';
}

/** Our open pull requests whose branches no request of the run names. */
export function unnamedPulls(
  open: ReadonlyMap<string, OpenPull>,
  requests: readonly { branch: string }[],
): OpenPull[] {
  const named = new Set(requests.map((request) => request.branch));
  return [...open.values()].filter((pull) => !named.has(pull.branch));
}

/** `main already has docker.io/bitnami/mongodb:4.0.4`: why a pull request is obsolete. */
export function obsoleteReason(base: string, marker: PullRequestMarker): string {
  const tags = [...new Set(marker.updates.map((u) => `${u.repository}:${u.to}`))];
  return tags.length ? `${base} already has ${tags.join(', ')}` : `${base} already has these tags`;
}

/** The warning for an obsolete pull request left open. */
function keptObsoleteWarning(pull: OpenPull, base: string, headRead: boolean): string {
  const why = headRead ? 'has commits not made by this Action' : 'has a head commit that could not be read';
  return `#${pull.number} proposes tags ${base} already has, but ${why}, so it was left open`;
}

/**
 * The warning for an open pull request of ours that the base no longer lets apply as proposed: it
 * is not closed (a lock may be lifted, a file moved back), but it is not left unsaid either.
 */
function noLongerAppliesWarning(pull: OpenPull, base: string, reason: string): string {
  return `#${pull.number} stays open but no longer applies to ${base} as proposed (${reason}); close it if its bump is not wanted`;
}

/** The file of a pull request's first update ('' when its marker lists none). */
function fileOf(pull: OpenPull): string {
  return pull.marker.updates[0]?.file ?? '';
}

/** How {@link closeObsoletePulls} works. */
export interface ObsoleteOptions {
  /**
   * Check each pull request's marker against the base's text first; absent when the caller found
   * the base already has what it proposes (a request's `no-change`).
   */
  check?: BaseCheck;
  /** Say what would be closed, and close nothing. */
  dryRun?: boolean;
  log?: (message: string) => void;
}

/**
 * Closes `pulls` as obsolete (those the base already has, when `check`), deletes their branches,
 * and frees their slots in the run's `state`; one result (`closed`, or `would-close` in a dry run)
 * per pull request closed. A failure is a warning and leaves the pull request open; a missing
 * permission stops the run.
 */
export async function closeObsoletePulls(
  repository: Repository,
  pulls: readonly OpenPull[],
  state: WriterState,
  options: ObsoleteOptions = {},
  /**
   * Where each result and problem goes as it comes: a stop part way (a rate limit, a cancellation)
   * throws, and the pull requests closed before it must still be reported as closed.
   */
  into: { results: PullRequestResult[]; problems: Problem[] } = { results: [], problems: [] },
): Promise<{ results: PullRequestResult[]; problems: Problem[] }> {
  const { results, problems } = into;
  const { base } = state;
  for (const pull of pulls) {
    const reason = obsoleteReason(base, pull.marker);
    const result = (action: 'closed' | 'would-close'): PullRequestResult => ({
      action,
      branch: pull.branch,
      number: pull.number,
      url: pull.url,
      updates: [],
      reason,
    });
    try {
      if (options.check) {
        const onBase = await baseStateOfPull(pull.marker, options.check);
        // At its file, as a problem of the run's own releases is: the annotation lands beside them.
        if (onBase.kind === 'refused')
          problems.push(warning(fileOf(pull), 0, noLongerAppliesWarning(pull, base, onBase.reason)));
        if (onBase.kind !== 'done') continue;
      }
      if (!closable(pull)) {
        problems.push(warning('', 0, keptObsoleteWarning(pull, base, pull.head !== undefined)));
        continue;
      }
      if (options.dryRun) {
        freeSlot(state, pull);
        results.push(result('would-close'));
        continue;
      }
      const warn = (message: string): void => {
        problems.push(warning('', 0, message));
      };
      const closed = await closeOurPull(
        repository,
        pull,
        state,
        () => closeAsObsolete(repository, pull, base),
        warn,
      );
      if (!closed) {
        problems.push(warning('', 0, keptObsoleteWarning(pull, base, true)));
        continue;
      }
      options.log?.(`${pull.branch}: closed #${pull.number}, ${reason}`);
      results.push(result('closed'));
    } catch (caught) {
      // A rate limit or a cancellation stops the writer: no more calls this run.
      if (caught instanceof GitHubPermissionError || caught instanceof GitHubStopError) throw caught;
      const message = caught instanceof Error ? caught.message : String(caught);
      problems.push(warning('', 0, `Could not check or close #${pull.number} as obsolete: ${message}`));
    }
  }
  return { results, problems };
}

/** {@link BaseState} of a pull request's marker against the base commit's files. */
async function baseStateOfPull(marker: PullRequestMarker, check: BaseCheck): Promise<BaseState> {
  if (marker.updates.length === 0) return { kind: 'applies' };
  const texts = new Map<string, string | undefined>();
  for (const file of new Set(marker.updates.map((u) => u.file))) {
    texts.set(file, (await check.baseFiles.read(file))?.text);
  }
  return baseStateOf(marker, texts, check.applyUpdates);
}
