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

/**
 * The most characters of each output's JSON. GitHub fails a job whose mapped outputs
 * (`jobs.<id>.outputs`) pass 1 MB, sized as UTF-16 (two bytes a character), and an expression that
 * reads a step's output of about that size: the three outputs together stay under 1 MB so.
 * https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idoutputs
 */
export const OUTPUT_MAX_CHARS = { updates: 240_000, 'pull-requests': 120_000, problems: 120_000 } as const;

/** An output's JSON array, with as many of its entries, in order, as fit in `maxChars`. */
export function boundedJsonArray(
  entries: readonly unknown[],
  maxChars: number,
): { json: string; listed: number; total: number } {
  const parts: string[] = [];
  // The brackets, then each entry with its comma.
  let used = 2;
  for (const entry of entries) {
    const part = JSON.stringify(entry);
    if (used + part.length + (parts.length ? 1 : 0) > maxChars) break;
    used += part.length + (parts.length ? 1 : 0);
    parts.push(part);
  }
  return { json: `[${parts.join(',')}]`, listed: parts.length, total: entries.length };
}

/** The warning for an output that lists only the first of its entries (`boundedJsonArray`). */
export function outputCutText(
  output: keyof typeof OUTPUT_MAX_CHARS,
  cut: { listed: number; total: number },
  entries: string,
): string {
  return (
    `The \`${output}\` output lists the first ${cut.listed} of ${cut.total} ${entries}: GitHub fails a job ` +
    `whose outputs pass 1 MB, so each is kept under ${OUTPUT_MAX_CHARS[output].toLocaleString('en-US')} ` +
    'characters. The CLI (`--json`) on the same checkout lists every one.'
  );
}
