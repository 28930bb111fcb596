/**
 * Turns groups of planned updates into pull requests on GitHub (or GitHub Enterprise Server): for
 * each requested branch, read its state ({@link readWriterState} in `read-state.ts`, `base-files.ts`, `branch-head.ts`),
 * decide ({@link decidePullRequest}, pure), and carry the decision out (`carry-out-decision.ts`,
 * with `git-commits.ts`, `open-pull.ts`, `pull-requests.ts`, `decorations.ts`,
 * `superseded-pulls.ts`); and close the open
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
  regroupedBranches,
  sanitizeBranchPrefix,
  type GroupBy,
  type PullRequestRequest,
} from '../plan/branch-name.js';
import type { Update } from '../plan/types.js';
import { DEFAULT_REBASE_WHEN } from './branch-status.js';
import { DecisionCarrier } from './carry-out-decision.js';
import { decidePullRequest } from './decide-pull-request.js';
import { wantedDecorations } from './decorations.js';
import {
  GitHubPermissionError,
  GitHubRateLimitError,
  GitHubStopError,
  isGitHubOutage,
  type Repository,
} from './github-call.js';
import { closeObsoletePulls, readMovedPulls, unnamedPulls } from './obsolete-pulls.js';
import { renderPlannedText, titleFor } from './planned-text.js';
import { titlePlaces } from '../plan/title-places.js';
import { newerPullFor, newerPullResult } from './newer-pulls.js';
import { proposesExactly } from './proposed-updates.js';
import type { OpenPull, WriterState } from './pull-request-facts.js';
import { readBaseMoves } from './read-base-moves.js';
import { readBranchFacts } from './read-branch-facts.js';
import { readBranches, type KnownBranch } from './read-branches.js';
import { BaseFiles } from './base-files.js';
import { readWriterState } from './read-state.js';
import { closeCarriedByRun } from './superseded-pulls.js';
import { unlistedTagWarnings } from './unlisted-tags.js';
import {
  leftOpenResults,
  MAX_OUTAGE_FAILURES,
  resultOf,
  skippedResult,
  stoppedByCancel,
  stoppedByOutage,
  stoppedByRateLimit,
  type PullRequestResult,
} from './writer-results.js';
import { DEFAULT_MAX_PULL_REQUESTS, type PullRequestWriterOptions } from './writer-options.js';

export {
  GitHubCancelledError,
  GitHubError,
  GitHubPermissionError,
  GitHubRateLimitError,
  MissingBaseBranchError,
} from './github-call.js';
export type { ApplyUpdates } from './base-files.js';
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
    write: (updates, listedTags) =>
      writePullRequests(groupUpdates(updates, options.groupBy, options.branchPrefix), {
        ...options,
        ...(listedTags ? { listedTags } : {}),
      }),
  };
}

/** One run of the writer: the state it read, and the results and problems so far. */
class Writer {
  private readonly results: PullRequestResult[] = [];
  private readonly problems: Problem[] = [];
  private readonly repository: Repository;
  private readonly prefix: string;
  private readonly carrier: DecisionCarrier;
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
  /** The file(s) named in the title of each request another of the run would be titled alike. */
  private places: ReadonlyMap<string, string> = new Map();

  constructor(private readonly options: PullRequestWriterOptions) {
    this.repository = { github: options.github, owner: options.owner, repo: options.repo };
    this.prefix = sanitizeBranchPrefix(options.branchPrefix);
    this.carrier = new DecisionCarrier({
      repository: this.repository,
      options,
      keptOpen: this.keptOpen,
      problem: (severity, updates, message) => this.problem(severity, updates, message),
      closeObsolete: (pulls, state) => this.closeObsolete(pulls, state, false),
    });
  }

  async run(
    requests: readonly PullRequestRequest[],
  ): Promise<{ results: PullRequestResult[]; problems: Problem[] }> {
    this.places = titlePlaces(requests, (request) => titleFor(request, this.options));
    try {
      await this.writeAll(requests);
    } catch (caught) {
      if (!(caught instanceof GitHubStopError)) throw caught;
      // Every call would be refused until the limit resets, or the run was cancelled (and the
      // client's gates make no call): what is not written yet, closing included, waits for the next run.
      const { writing } = this;
      const rest = requests.filter(
        (r) => r.branch !== writing?.branch && !this.results.some((x) => x.branch === r.branch),
      );
      const stopped =
        caught instanceof GitHubRateLimitError
          ? stoppedByRateLimit(writing, caught, rest)
          : stoppedByCancel(writing, caught, rest);
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
    // Those a newer version's pull request proposes for are not read, nor written.
    const newer = new Map(
      requests.flatMap((request) => {
        const pull = newerPullFor(request, state.newer ?? []);
        return pull ? [[request.branch, pull] as const] : [];
      }),
    );
    // Branches without an open pull request proposing exactly their updates are read in bulk.
    const unknown = requests.filter((request) => {
      if (newer.has(request.branch)) return false;
      const open = state.open.get(request.branch);
      return !open || !proposesExactly(open.marker, request.updates);
    });
    this.known = await readBranches(
      this.repository,
      unknown.map((request) => request.branch),
      this.options.log,
      this.prefix,
      state.base,
      new Map(unknown.map((request) => [request.branch, regroupedBranches(request, this.prefix)])),
    );
    // Pull requests GitHub failed in a row with no answer or a server error (`stoppedByOutage`).
    let outages = 0;
    for (const [index, request] of requests.entries()) {
      if (outages >= MAX_OUTAGE_FAILURES) {
        const stopped = stoppedByOutage(requests.slice(index));
        this.results.push(...stopped.results);
        this.problem('error', stopped.problem.updates, stopped.problem.message);
        // The closing and checks after the writes would call the same GitHub: they wait too.
        return;
      }
      const newerPull = newer.get(request.branch);
      if (newerPull) {
        const { result, warning } = newerPullResult(request, newerPull);
        this.options.log?.(`${result.branch}: ${result.action} (${result.reason})`);
        this.results.push(result);
        this.problem('warning', request.updates, warning);
        continue;
      }
      let result: PullRequestResult;
      try {
        this.writing = request;
        result = await this.writeOne(request, state);
        outages = 0;
      } catch (caught) {
        if (caught instanceof GitHubPermissionError || caught instanceof GitHubStopError) throw caught;
        outages = isGitHubOutage(caught) ? outages + 1 : 0;
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
    // What no request names and stays open: one whose tag its registry no longer lists is not valid.
    const { listedTags } = this.options;
    if (listedTags) {
      const staying = unnamed.filter((pull) => state.open.get(pull.branch) === pull);
      this.problems.push(...unlistedTagWarnings(staying, listedTags));
    }
  }

  /** Closes obsolete pull requests (`obsolete-pulls.ts`), checking the base's text first when `check`. */
  private async closeObsolete(pulls: readonly OpenPull[], state: WriterState, check: boolean): Promise<void> {
    const { applyUpdates, dryRun, log } = this.options;
    const baseFiles = this.baseFilesOf(state.baseSha);
    // Into the run's own lists as it goes: those closed before a stop are reported too.
    await closeObsoletePulls(
      this.repository,
      pulls,
      state,
      {
        ...(check ? { check: { baseFiles, applyUpdates } } : {}),
        ...(dryRun ? { dryRun } : {}),
        ...(log ? { log } : {}),
      },
      { results: this.obsolete, problems: this.problems },
    );
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
      plannedText: (request, withNotes) =>
        renderPlannedText(request, this.options, state.base, withNotes, this.places.get(branch)),
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
    return this.carrier.carryOut(request, decision, { state, text, edit: change });
  }

  private baseFilesOf(sha: string): BaseFiles {
    if (this.baseFiles?.sha !== sha) this.baseFiles = new BaseFiles(this.repository, sha);
    return this.baseFiles;
  }
}
