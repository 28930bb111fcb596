/**
 * Carries one decision of the writer out on GitHub (`decide-pull-request.ts` decides): commits the
 * planned files, opens or updates the pull request, brings its decorations up to date, and closes
 * what it supersedes; in a dry run, says what would be done instead. The run itself (the order of
 * reads and writes, and what a failure means for the other requests) is `pull-request-writer.ts`.
 */
import type { PullRequestRequest } from '../plan/branch-name.js';
import type { Update } from '../plan/types.js';
import { commitPlanned } from './commit-planned.js';
import type { Decision } from './decide-pull-request.js';
import { completeOpenPull, DecorationSetup, wantedDecorations, type Decorations } from './decorations.js';
import { BaseTree } from './git-commits.js';
import type { Repository } from './github-call.js';
import { openPull } from './open-pull.js';
import type { OpenPull, PlannedText, WriterState } from './pull-request-facts.js';
import { updatePull } from './pull-requests.js';
import type { PlannedChange } from './base-files.js';
import { supersedeReplaced, wouldSupersedeReplaced } from './superseded-pulls.js';
import type { PullRequestWriterOptions } from './writer-options.js';
import {
  FOUND_OPEN,
  heldBackReason,
  othersPullResult,
  resultOf,
  skippedResult,
  wouldWriteResult,
  type PullRequestResult,
  type Superseding,
} from './writer-results.js';

/** What the carrier shares with the run that uses it. */
export interface CarrierContext {
  repository: Repository;
  options: PullRequestWriterOptions;
  /** Pull requests a newer one replaced but that were kept open (and their warnings given). */
  keptOpen: Set<number>;
  /** Reports a problem at a request's first update. */
  problem: (severity: 'error' | 'warning', updates: readonly Update[], message: string) => void;
  /** Closes open pull requests the base made obsolete (without checking the base's text again). */
  closeObsolete: (pulls: readonly OpenPull[], state: WriterState) => Promise<void>;
}

/** Carries out the decisions of one run (sharing its decoration set-up and base tree). */
export class DecisionCarrier {
  private readonly repository: Repository;
  private readonly options: PullRequestWriterOptions;
  private readonly decorations: DecorationSetup;
  /** The base commit's tree, read once for every commit of the run. */
  private baseTree: BaseTree | undefined;

  constructor(private readonly context: CarrierContext) {
    this.repository = context.repository;
    this.options = context.options;
    this.decorations = new DecorationSetup(this.repository);
  }

  private get keptOpen(): Set<number> {
    return this.context.keptOpen;
  }

  private problem(severity: 'error' | 'warning', updates: readonly Update[], message: string): void {
    this.context.problem(severity, updates, message);
  }

  /** Carries a decision out (or, in a dry run, says what would be done). */
  async carryOut(
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
        if (open) await this.context.closeObsolete([open], state);
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
          reason: heldBackReason(decision, options.dashboard ?? false, options.dryRun),
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
            setup: this.decorations,
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
          ...(created.created ? {} : { reason: FOUND_OPEN }),
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

  /** Warns of something about a request's pull request (at its first update). */
  private warnFor(request: PullRequestRequest): (message: string) => void {
    return (message) => this.problem('warning', request.updates, message);
  }

  /** Brings an open pull request's decorations up to date; says what changed, or ''. */
  private complete(request: PullRequestRequest, open: OpenPull, missing: Decorations): Promise<string> {
    const { repository, decorations, options } = this;
    const warn = this.warnFor(request);
    return completeOpenPull(
      repository,
      open,
      missing,
      decorations,
      options.labels ?? [],
      request.updates,
      warn,
    );
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
