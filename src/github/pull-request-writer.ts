/**
 * Turns groups of planned updates into pull requests on GitHub (or GitHub Enterprise Server): for
 * each requested branch, read its state ({@link readWriterState} and friends in `read-state.ts`),
 * decide ({@link decidePullRequest}, pure), and carry the decision out (`git-commits.ts`,
 * `open-pull.ts`, `pull-requests.ts`, `decorations.ts`, `superseded-pulls.ts`); and close the open
 * pull requests the base made obsolete (`obsolete-pulls.ts`). This file holds the run itself:
 * the order of reads and writes, and what a failure of one request means for the others. Its options
 * are in `writer-options.ts`, the text of pull requests in `planned-text.ts`, the wording of results
 * in `writer-results.ts`.
 *
 * The edit is applied to the *base branch's* text (read through the contents API), not the
 * workspace's, so a workspace at another commit cannot smuggle other changes in. Expected API
 * conditions are matched at the boundary (`github-call.ts`); a 403 on a write becomes a
 * {@link GitHubPermissionError} naming the missing permission and stops the run.
 */
import type { PullRequestPort } from '../ports.js';
import { error as errorProblem, warning, type Problem } from '../problems.js';
import {
  groupUpdates,
  sanitizeBranchPrefix,
  type GroupBy,
  type PullRequestRequest,
} from '../plan/branch-name.js';
import type { Update } from '../plan/types.js';
import {
  DEFAULT_REBASE_WHEN,
  decidePullRequest,
  proposesExactly,
  type Decision,
  type OpenPull,
  type PlannedText,
  type WriterState,
} from './decide-pull-request.js';
import { completeOpenPull, LabelSetup, wantedDecorations, type Decorations } from './decorations.js';
import { BaseTree } from './git-commits.js';
import { commitPlanned } from './commit-planned.js';
import { readBaseMoves } from './read-base-moves.js';
import { readBranchFacts } from './read-branch-facts.js';
import { readBranches, type KnownBranch } from './read-branches.js';
import { GitHubPermissionError, GitHubRateLimitError, type Repository } from './github-call.js';
import { renderPlannedText } from './planned-text.js';
import { openPull } from './open-pull.js';
import { updatePull } from './pull-requests.js';
import { BaseFiles, readWriterState, type PlannedChange } from './read-state.js';
import { closeObsoletePulls, readMovedPulls, unnamedPulls } from './obsolete-pulls.js';
import { closeCarriedByRun, supersedeReplaced, wouldSupersedeReplaced } from './superseded-pulls.js';
import {
  leftOpenResults,
  othersPullResult,
  resultOf,
  heldBackReason,
  skippedResult,
  stoppedByRateLimit,
  wouldWriteResult,
  type PullRequestResult,
  type Superseding,
} from './writer-results.js';
import { DEFAULT_MAX_PULL_REQUESTS, type PullRequestWriterOptions } from './writer-options.js';

export {
  GitHubError,
  GitHubPermissionError,
  GitHubRateLimitError,
  MissingBaseBranchError,
} from './github-call.js';
export type { ApplyUpdates } from './read-state.js';
export type { PullRequestAction, PullRequestResult } from './writer-results.js';
export { DEFAULT_MAX_PULL_REQUESTS, type PullRequestWriterOptions } from './writer-options.js';

/**
 * Writes one pull request per request, in order. A failure of one is reported (result `failed`
 * and a problem) and the others go ahead; a missing permission rejects the whole call with a
 * {@link GitHubPermissionError}.
 */
export async function writePullRequests(
  requests: readonly PullRequestRequest[],
  options: PullRequestWriterOptions,
): Promise<{ results: PullRequestResult[]; problems: Problem[] }> {
  // Even with no request: open pull requests of ours may have become obsolete.
  return new Writer(options).run(requests);
}

/** Builds the port the orchestrator uses: groups updates, then writes them. */
export function createPullRequestPort(
  options: PullRequestWriterOptions & { groupBy: GroupBy },
): PullRequestPort {
  return {
    write: (updates) =>
      writePullRequests(groupUpdates(updates, options.groupBy, options.branchPrefix), options),
  };
}

/** One run of the writer: the state it read, and the results and problems so far. */
class Writer {
  private readonly results: PullRequestResult[] = [];
  private readonly problems: Problem[] = [];
  private readonly repository: Repository;
  private readonly prefix: string;
  private readonly labels: LabelSetup;
  /** The base commit's tree, read once for every commit of the run. */
  private baseTree: BaseTree | undefined;
  /** The base commit's files, read once for every pull request of the run. */
  private baseFiles: BaseFiles | undefined;
  /** Pull requests a newer one replaced but that were kept open (and their warnings given). */
  private readonly keptOpen = new Set<number>();
  /** The requested branches read in bulk before the first is written. */
  private known: ReadonlyMap<string, KnownBranch> = new Map();
  /** Open pull requests closed as obsolete (or that would be, in a dry run). */
  private readonly obsolete: PullRequestResult[] = [];
  /**
   * The request being written, if any, once read narrowed to what no closed pull request keeps
   * back: the one a rate limit stops mid-way.
   */
  private writing: PullRequestRequest | undefined;
  /** The state read at the start, once read: its `open` are ours still open as the run goes. */
  private state: WriterState | undefined;
  /** The results of the updates of the request being written that closed pull requests keep back. */
  private refused: PullRequestResult[] = [];

  constructor(private readonly options: PullRequestWriterOptions) {
    this.repository = { github: options.github, owner: options.owner, repo: options.repo };
    this.prefix = sanitizeBranchPrefix(options.branchPrefix);
    this.labels = new LabelSetup(this.repository);
  }

  async run(
    requests: readonly PullRequestRequest[],
  ): Promise<{ results: PullRequestResult[]; problems: Problem[] }> {
    try {
      await this.writeAll(requests);
    } catch (caught) {
      if (!(caught instanceof GitHubRateLimitError)) throw caught;
      // Every call would be refused until the limit resets (and the client's gate makes none):
      // what is not written yet, closing included, waits for the next run.
      const { writing } = this;
      const rest = requests.filter(
        (r) => r.branch !== writing?.branch && !this.results.some((x) => x.branch === r.branch),
      );
      const stopped = stoppedByRateLimit(writing, caught, rest);
      // What closed pull requests keep back of the one stopped is reported after it, as it would be.
      const [first, ...others] = stopped.results;
      this.results.push(...(writing && first ? [first, ...this.refused, ...others] : stopped.results));
      for (const { updates, message } of stopped.problems) this.problem('error', updates, message);
    }
    const results = [...this.results, ...this.obsolete];
    // Every one of ours open after the run is a result, so the `pull-requests` output lists it.
    const left = leftOpenResults(this.state?.open.values() ?? [], results, this.options.dryRun ?? false);
    return { results: [...results, ...left], problems: this.problems };
  }

  /** Reads the state, closes what the base made obsolete, and writes each request in order. */
  private async writeAll(requests: readonly PullRequestRequest[]): Promise<void> {
    const state = await readWriterState(this.repository, this.prefix, this.options.base);
    this.state = state;
    const unnamed = unnamedPulls(state.open, requests);
    const check = { baseFiles: this.baseFilesOf(state.baseSha), applyUpdates: this.options.applyUpdates };
    // Those whose files moved are superseded by the requests of their new files instead.
    const moving = await readMovedPulls(unnamed, state, requests, check);
    // Before any request is written, so the slots they free count for this run's new pull requests
    // (closed after, they would hold a new bump back for one more run). Only pull requests no
    // request names: a named one's base text is read, if at all, with its request.
    await this.closeObsolete(
      unnamed.filter((pull) => !moving.includes(pull)),
      state,
      true,
    );
    if ((this.options.rebaseWhen ?? DEFAULT_REBASE_WHEN) === 'conflicted') {
      state.baseMoves = await readBaseMoves(this.repository, state.baseSha, [...state.open.values()]);
    }
    // Branches without an open pull request proposing exactly their updates are read in bulk.
    const unknown = requests.filter((request) => {
      const open = state.open.get(request.branch);
      return !open || !proposesExactly(open.marker, request.updates);
    });
    this.known = await readBranches(
      this.repository,
      unknown.map((request) => request.branch),
      this.options.log,
      this.prefix,
      state.base,
    );
    for (const request of requests) {
      let result: PullRequestResult;
      try {
        this.writing = request;
        result = await this.writeOne(request, state);
      } catch (caught) {
        if (caught instanceof GitHubPermissionError || caught instanceof GitHubRateLimitError) throw caught;
        const message = caught instanceof Error ? caught.message : String(caught);
        // What closed pull requests keep back is reported as kept back (`refused`), not as failed.
        const failed = this.writing ?? request;
        result = resultOf(failed, 'failed', { reason: message });
        this.problem(
          'error',
          failed.updates,
          `Could not write the pull request for ${request.branch}: ${message}`,
        );
      }
      for (const done of [result, ...this.refused]) {
        this.options.log?.(`${done.branch}: ${done.action}${done.reason ? ` (${done.reason})` : ''}`);
        this.results.push(done);
      }
      this.writing = undefined;
      this.refused = [];
    }
    // A dry run says what it would close (in the reasons of the pull requests that would carry them).
    this.problems.push(
      ...(await closeCarriedByRun(this.repository, state, this.results, {
        log: this.options.log,
        keptOpen: this.keptOpen,
        dryRun: this.options.dryRun ?? false,
      })),
    );
    // A moved one that no pull request replaced (held back, refused): what the base makes of it. A
    // dry run says so too: its results free the slots of those it would supersede alike.
    const left = moving.filter((pull) => state.open.has(pull.branch) && !this.keptOpen.has(pull.number));
    await this.closeObsolete(left, state, true);
  }

  /** Closes obsolete pull requests (`obsolete-pulls.ts`), checking the base's text first when `check`. */
  private async closeObsolete(pulls: readonly OpenPull[], state: WriterState, check: boolean): Promise<void> {
    const { applyUpdates, dryRun, log } = this.options;
    const baseFiles = this.baseFilesOf(state.baseSha);
    const closed = await closeObsoletePulls(this.repository, pulls, state, {
      ...(check ? { check: { baseFiles, applyUpdates } } : {}),
      ...(dryRun ? { dryRun } : {}),
      ...(log ? { log } : {}),
    });
    this.obsolete.push(...closed.results);
    this.problems.push(...closed.problems);
  }

  private problem(severity: 'error' | 'warning', updates: readonly Update[], message: string): void {
    const first = updates[0];
    const make = severity === 'error' ? errorProblem : warning;
    this.problems.push(make(first?.file ?? '', first?.line ?? 0, message));
  }

  /**
   * Reads, decides and carries out one request: narrowed to what no closed pull request keeps back,
   * whose updates get results of their own (`refused`), as a request wholly kept back does.
   */
  private async writeOne(requested: PullRequestRequest, state: WriterState): Promise<PullRequestResult> {
    const rebaseWhen = this.options.rebaseWhen ?? DEFAULT_REBASE_WHEN;
    const { branch } = requested;
    const read = await readBranchFacts(requested, state, {
      retry: (updates) => this.options.ticked?.({ branch, updates: [...updates] }).retry ?? false,
      repository: this.repository,
      prefix: this.prefix,
      applyUpdates: this.options.applyUpdates,
      rebaseWhen,
      plannedText: (request, withNotes) => renderPlannedText(request, this.options, state.base, withNotes),
      known: this.known,
      baseFiles: this.baseFilesOf(state.baseSha),
    });
    const { request, facts, change, text } = read;
    this.writing = request;
    this.refused = read.refused.map(
      ({ pull, updates }) =>
        skippedResult(
          { branch, updates },
          { kind: 'skip', why: 'closed', pull },
          state.base,
          this.options.dashboard ?? false,
        ).result,
    );
    // Its Open now box is the narrowed request's, as its held-back result shows it.
    const ticked = this.options.ticked?.(request);
    const decision = decidePullRequest({
      request,
      facts,
      text,
      state,
      maxPullRequests: this.options.maxPullRequests ?? DEFAULT_MAX_PULL_REQUESTS,
      decorations: wantedDecorations(this.options, request.updates),
      rebaseWhen,
      pastCap: ticked?.openNow ?? false,
    });
    return this.carryOut(request, decision, { state, text, edit: change });
  }

  /** Carries a decision out (or, in a dry run, says what would be done). */
  private async carryOut(
    request: PullRequestRequest,
    decision: Decision,
    context: { state: WriterState; text: PlannedText; edit: PlannedChange },
  ): Promise<PullRequestResult> {
    const { repository, options } = this;
    const { state, text } = context;
    const { branch, updates } = request;
    switch (decision.kind) {
      case 'skip': {
        const { result, warning: why } = skippedResult(
          request,
          decision,
          state.base,
          options.dashboard ?? false,
        );
        if (why) this.problem('warning', updates, why);
        // The base has these tags already: the branch's open pull request proposes nothing.
        const open = decision.why === 'no-change' ? state.open.get(branch) : undefined;
        if (open) await this.closeObsolete([open], state, false);
        return result;
      }
      case 'leave': {
        const { open } = decision;
        const reason = options.dryRun ? '' : await this.complete(request, open, decision.decorate);
        return resultOf(request, 'unchanged', {
          number: open.number,
          url: open.url,
          ...(reason ? { reason } : {}),
        });
      }
      case 'hold-back':
        return resultOf(request, 'held-back', {
          reason: heldBackReason(decision, options.dashboard ?? false),
        });
      case 'update': {
        const { open } = decision;
        if (options.dryRun) return this.wouldWrite(request, decision, state);
        const moved = await this.rebuild(request, decision, context);
        if (moved === 'foreign') return this.leaveMoved(request, open, state);
        if (decision.retitle) await updatePull(repository, open.number, text.title, text.body);
        await this.complete(request, open, decision.decorate);
        const superseded = await this.supersede(request, decision, open.number, state);
        return resultOf(request, 'updated', { number: open.number, url: open.url, ...superseded });
      }
      case 'create': {
        if (options.dryRun) return this.wouldWrite(request, decision, state);
        const moved = await this.rebuild(request, decision, context);
        if (moved === 'foreign') return this.leaveMoved(request, undefined, state);
        const created = await openPull(
          repository,
          { branch, base: state.base, title: text.title, body: text.body },
          {
            createdBranch: !decision.head,
            wanted: wantedDecorations(options, updates),
            labels: this.labels,
            warn: this.warnFor(request),
          },
        );
        if ('others' in created) {
          const { result, warning: why } = othersPullResult(request, created.pull);
          this.problem('warning', updates, why);
          return result;
        }
        if (created.created) state.openCount++;
        const superseded = await this.supersede(request, decision, created.pull.number, state);
        return resultOf(request, created.created ? 'created' : 'updated', {
          ...created.pull,
          ...superseded,
        });
      }
    }
  }

  /**
   * What a dry run says of a request a real run would create or update: the result, with the open
   * pull requests it would close as superseded, and the warnings of those it would leave open.
   */
  private wouldWrite(
    request: PullRequestRequest,
    decision: Extract<Decision, { kind: 'create' | 'update' }>,
    state: WriterState,
  ): PullRequestResult {
    if (decision.kind === 'create') state.openCount++;
    // One to open has no number yet: it is named by its branch.
    const by = decision.kind === 'update' ? { number: decision.open.number } : { branch: request.branch };
    const superseded = wouldSupersedeReplaced(decision, by, state, this.keptOpen, this.warnFor(request));
    return wouldWriteResult(request, decision, superseded);
  }

  /**
   * Commits the planned files when the decision rebuilds the branch (commit-planned.ts); false
   * when it keeps the branch's commit.
   */
  private async rebuild(
    request: PullRequestRequest,
    decision: Extract<Decision, { kind: 'create' | 'update' }>,
    context: { state: WriterState; text: PlannedText; edit: PlannedChange },
  ): Promise<'written' | 'foreign' | false> {
    if (!decision.rebuild) return false;
    const { state, text, edit } = context;
    return commitPlanned(
      this.repository,
      this.baseTreeOf(state.baseSha),
      request,
      state,
      text,
      edit,
      decision.head,
    );
  }

  /** The result for a branch someone pushed to while the run worked: left alone, as if read so. */
  private leaveMoved(
    request: PullRequestRequest,
    open: OpenPull | undefined,
    state: WriterState,
  ): PullRequestResult {
    const { result, warning: why } = skippedResult(
      request,
      { kind: 'skip', why: 'foreign', open },
      state.base,
    );
    if (why) this.problem('warning', request.updates, why);
    return result;
  }

  /** The base commit's tree, shared by the run's commits (all on the base it started from). */
  private baseTreeOf(sha: string): BaseTree {
    if (this.baseTree?.sha !== sha) this.baseTree = new BaseTree(this.repository, sha);
    return this.baseTree;
  }

  /** The base commit's files, each read once for all the run's pull requests. */
  private baseFilesOf(sha: string): BaseFiles {
    if (this.baseFiles?.sha !== sha) this.baseFiles = new BaseFiles(this.repository, sha);
    return this.baseFiles;
  }

  /** Warns of something about a request's pull request (at its first update). */
  private warnFor(request: PullRequestRequest): (message: string) => void {
    return (message) => this.problem('warning', request.updates, message);
  }

  /** Brings an open pull request's decorations up to date; says what changed, or ''. */
  private complete(request: PullRequestRequest, open: OpenPull, missing: Decorations): Promise<string> {
    const { repository, labels, options } = this;
    const warn = this.warnFor(request);
    return completeOpenPull(repository, open, missing, labels, options.labels ?? [], request.updates, warn);
  }

  /** Closes what a request's pull request (`by`) replaces (`superseded-pulls.ts`). */
  private supersede(
    request: PullRequestRequest,
    replaced: { supersede: readonly OpenPull[]; keep: readonly OpenPull[] },
    by: number,
    state: WriterState,
  ): Promise<Superseding> {
    return supersedeReplaced(this.repository, replaced, by, state, this.keptOpen, this.warnFor(request));
  }
}
