/**
 * What a run reports, as plain data and text: the Action's outputs, its job summary, and the CLI's
 * table. Pure; the shells print or publish it.
 */
import type { ContainerDecision } from '../plan/types.js';
import { UPDATE_TYPES } from '../update.js';
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
  filter: string;
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
      downgrade: u.downgrade,
      type: u.type,
      chosenBy: u.chosenBy,
      ...(pr
        ? { pullRequest: { number: pr.number, url: pr.url, branch: pr.branch, action: pr.action } }
        : {}),
    };
  });
}

/** What counts as a pull request in the `pull-requests` output (held-back or dry-run entries do not). */
const PULL_REQUEST_ACTIONS = new Set(['created', 'updated', 'unchanged']);

/** The pull requests that exist after the run (`created`, `updated` or `unchanged`). */
function existingPullRequests(report: Pick<RunReport, 'pullRequests'>): PullRequestOutcome[] {
  return report.pullRequests.filter((pr) => PULL_REQUEST_ACTIONS.has(pr.action));
}

/** The `pull-requests` output: number, url, branch, action (created | updated | unchanged). */
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

/** Escapes text for an HTML table cell (the job summary is HTML-capable Markdown). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '&#124;')
    .replace(/\r?\n/g, ' ');
}

/** A container's decision as shown to people: the update type (`minor`, `downgrade`, ...) or the decision kind. */
function decisionLabel(c: ContainerDecision): string {
  if (c.decision !== 'update') return c.decision;
  return c.update?.type ?? 'update';
}

/** `1 major, 2 patch`: the updates counted by type, in the order of {@link UPDATE_TYPES}. */
function countByType(report: Pick<RunReport, 'plan'>): string {
  return UPDATE_TYPES.flatMap((type) => {
    const n = report.plan.updates.filter((u) => u.type === type).length;
    return n > 0 ? [`${n} ${type}`] : [];
  }).join(', ');
}

/** The job summary: every container seen, then the problems. */
export function renderSummary(report: RunReport, dryRun: boolean): string {
  const rows = report.plan.containers.map((c) => {
    const pr = pullRequestFor(report, c);
    const chosen = c.update?.to ?? '';
    const decision = decisionLabel(c);
    const prCell = pr
      ? pr.url
        ? `<a href="${escapeHtml(pr.url)}">#${pr.number}</a> ${escapeHtml(pr.action)}`
        : escapeHtml(pr.action + (pr.reason ? `: ${pr.reason}` : ''))
      : '';
    return `<tr><td>${escapeHtml(c.release)}</td><td>${escapeHtml(c.container)}</td><td><code>${escapeHtml(
      c.repository,
    )}</code></td><td>${escapeHtml(c.current ?? '')}</td><td>${escapeHtml(chosen)}</td><td>${escapeHtml(
      decision,
    )}: ${escapeHtml(c.reason)}</td><td>${prCell}</td></tr>`;
  });
  const { counts } = report;
  const lines = [
    `## HelmRelease image updates${dryRun ? ' (dry run)' : ''}`,
    '',
    `${counts.files} files scanned, ${counts.releases} HelmReleases, ${counts.containers} containers, ` +
      `${counts.repositories} repositories queried, ${report.plan.updates.length} updates` +
      (report.plan.updates.length > 0 ? ` (${countByType(report)}), ` : ', ') +
      `${existingPullRequests(report).length} pull requests.`,
    '',
  ];
  if (rows.length) {
    lines.push(
      '<table><thead><tr><th>HelmRelease</th><th>Container</th><th>Image</th><th>Current</th><th>Chosen</th><th>Decision</th><th>Pull request</th></tr></thead><tbody>',
      ...rows,
      '</tbody></table>',
      '',
    );
  }
  const heldBack = report.pullRequests.filter((pr) => pr.action === 'held-back');
  if (heldBack.length) {
    lines.push(`### Held back (max-pull-requests reached)`, '');
    for (const pr of heldBack) lines.push(`- ${escapeHtml(pr.branch)}`);
    lines.push('');
  }
  if (report.problems.length) {
    lines.push(
      '### Problems',
      '',
      '<table><thead><tr><th>File</th><th>Line</th><th>Severity</th><th>Problem</th></tr></thead><tbody>',
    );
    for (const p of report.problems) {
      lines.push(
        `<tr><td>${escapeHtml(p.file)}</td><td>${p.line || ''}</td><td>${p.severity}</td><td>${escapeHtml(p.message)}</td></tr>`,
      );
    }
    lines.push('</tbody></table>', '');
  }
  return lines.join('\n');
}

/** Pads a table of text cells into aligned columns. */
function formatColumns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The CLI's readable table of the plan and problems. */
export function renderPlanTable(report: RunReport): string {
  const out: string[] = [];
  if (report.plan.containers.length) {
    const rows = [['FILE:LINE', 'RELEASE', 'CONTAINER', 'IMAGE', 'CURRENT', 'CHOSEN', 'DECISION']];
    for (const c of report.plan.containers) {
      rows.push([
        `${c.file}:${c.line}`,
        c.release,
        c.container,
        c.repository,
        c.current ?? '-',
        c.update?.to ?? '-',
        `${decisionLabel(c)}: ${c.reason}`,
      ]);
    }
    out.push(formatColumns(rows));
  } else {
    out.push('No HelmRelease images found.');
  }
  out.push(
    '',
    `${report.counts.files} files, ${report.counts.releases} HelmReleases, ${report.counts.containers} containers, ` +
      `${report.counts.repositories} repositories, ${report.plan.updates.length} updates.`,
  );
  if (report.problems.length) {
    out.push('', 'Problems:');
    for (const p of report.problems) {
      out.push(`  ${p.severity}: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    }
  }
  return out.join('\n') + '\n';
}
