/**
 * What a run reports as plain data: the Action's outputs and the CLI's `--json`. Pure; the shells
 * print or publish it (the job summary is `summary.ts`, the CLI's text `plan-text.ts`).
 */
import type { ContainerDecision } from '../plan/types.js';
import type { PullRequestOutcome } from '../ports.js';
import type { Problem } from '../problems.js';
import type { RunReport } from '../run-update.js';

/** One entry of the `updates` output (and of the CLI's `--json` `updates`). */
export interface UpdateOutput {
  file: string;
  line: number;
  release: string;
  container: string;
  repository: string;
  image: string;
  from: string;
  to: string;
  /** The filter the tag was chosen with: the filter annotation's value, or Flux's default `glob:*`. */
  filter: string;
  /** Present (true) when there is no filter annotation: `filter` is the default nobody wrote. */
  noFilterAnnotation?: true;
  downgrade: boolean;
  /** major, minor, patch, pre-release, build or downgrade. */
  type: string;
  chosenBy: string;
  pullRequest?: { number?: number; url?: string; branch: string; action: string };
}

/** The pull request that carries an update, if any. */
function pullRequestFor(
  report: Pick<RunReport, 'pullRequests'>,
  decision: Pick<ContainerDecision, 'file' | 'release' | 'container'>,
): PullRequestOutcome | undefined {
  return report.pullRequests.find((pr) =>
    pr.updates.some(
      (u) => u.file === decision.file && u.release === decision.release && u.container === decision.container,
    ),
  );
}

/** The `updates` output. */
export function updatesOutput(report: Pick<RunReport, 'plan' | 'pullRequests'>): UpdateOutput[] {
  return report.plan.updates.map((u) => {
    const pr = pullRequestFor(report, u);
    return {
      file: u.file,
      line: u.line,
      release: u.release,
      container: u.container,
      repository: u.repository,
      image: u.image,
      from: u.from,
      to: u.to,
      filter: u.filter,
      ...(u.noFilterAnnotation ? { noFilterAnnotation: true as const } : {}),
      downgrade: u.downgrade,
      type: u.type,
      chosenBy: u.chosenBy,
      ...(pr
        ? { pullRequest: { number: pr.number, url: pr.url, branch: pr.branch, action: pr.action } }
        : {}),
    };
  });
}

/**
 * What counts as a pull request in the `pull-requests` output (held-back or dry-run entries do not;
 * one closed as obsolete does, so a workflow learns of it). Every one of ours open after the run has
 * a result with one of these (`unchanged` for one the run left alone: `leftOpenResults`).
 */
const PULL_REQUEST_ACTIONS = new Set(['created', 'updated', 'unchanged', 'closed']);

/** The pull requests the run left open (`created`, `updated` or `unchanged`) or `closed` as obsolete. */
function existingPullRequests(report: Pick<RunReport, 'pullRequests'>): PullRequestOutcome[] {
  return report.pullRequests.filter((pr) => PULL_REQUEST_ACTIONS.has(pr.action));
}

/** The `pull-requests` output: number, url, branch, action (created | updated | unchanged | closed). */
export function pullRequestsOutput(report: Pick<RunReport, 'pullRequests'>) {
  return existingPullRequests(report).map((pr) => ({
    number: pr.number,
    url: pr.url,
    branch: pr.branch,
    action: pr.action,
  }));
}

/** The `problems` output. */
export function problemsOutput(problems: readonly Problem[]) {
  return problems.map((p) => ({ file: p.file, line: p.line, message: p.message, severity: p.severity }));
}

/** One entry of the CLI's `--json` `containers`: every container seen, with its decision. */
export interface ContainerOutput {
  file: string;
  line: number;
  release: string;
  container: string;
  /** The image as written. */
  image: string;
  repository: string;
  /** The current tag ('' for an untagged image). */
  current: string;
  /** The filter the container is checked with: the filter annotation's value, or Flux's default `glob:*`. */
  filter: string;
  /** Present (true) when there is no filter annotation: `filter` is the default nobody wrote. */
  noFilterAnnotation?: true;
  /** `update`, `up-to-date`, `not-automated`, `locked`, `ignored`, `no-matching-tag`, `skipped`, `too-new`, `out-of-scope` or `error`. */
  decision: ContainerDecision['decision'];
  /** How the tag was chosen, or why there is no update. */
  reason: string;
  /** The new tag, for an update. */
  to?: string;
  /** For an update: major, minor, patch, pre-release, build or downgrade. */
  type?: string;
}

/** Every container seen, in plan order, so scripts can tell "checked, nothing to do" from "never seen". */
export function containersOutput(report: Pick<RunReport, 'plan'>): ContainerOutput[] {
  return report.plan.containers.map((c) => ({
    file: c.file,
    line: c.line,
    release: c.release,
    container: c.container,
    image: c.image,
    repository: c.repository,
    current: c.current ?? '',
    filter: c.filter,
    ...(c.noFilterAnnotation ? { noFilterAnnotation: true as const } : {}),
    decision: c.decision,
    reason: c.reason,
    ...(c.update ? { to: c.update.to, type: c.update.type } : {}),
  }));
}
